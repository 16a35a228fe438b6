"""How the coach model in use measured on labelled learner texts, beside the place it is
chosen, with the button that measures it (score_dialog.py).

One line per language measured, newest first, for this server, model and correction
style: the figures are the evidence a learner picks a model with.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tutor.domain.coach_score import Scorecard
from tutor.i18n.translate import _
from tutor.ui.setup.score_words import figure_lines
from tutor.ui.widgets.error_label import ErrorLabel


class CoachFigures(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = QLabel()
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.PlainText)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines.setAccessibleName(_("How this model measured"))
        self.measure_button = QPushButton(_("Measure this model…"))
        self.measure_button.setToolTip(
            _(
                "Let the coach mark learner sentences whose mistakes people labelled, and "
                "see how many of its marks are right and how many mistakes it finds."
            )
        )
        button_row = QHBoxLayout()
        button_row.setContentsMargins(0, 0, 0, 0)
        button_row.addWidget(self.measure_button)
        button_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lines)
        layout.addLayout(button_row)
        self.problem = ErrorLabel()
        layout.addWidget(self.problem)
        self.show_cards([])

    def show_cards(self, cards: Sequence[Scorecard]) -> None:
        """The model's runs for one style, newest first; "Not measured yet" without any."""
        lines = figure_lines(cards)
        self.lines.setText("\n".join(lines) if lines else _("Not measured yet."))
