"""Ties Settings → Corrections to the coach's scorecards: the figures of the coach model
in the boxes (the server and partner model of the Model server tab, the coach model and
style of this one), refreshed as any of them changes and after each run, and the button
that opens the measure dialog on them.

The figures follow what the boxes say now, saved or not, so a learner can compare models
before choosing one.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from tutor.domain.providers import check_base_url
from tutor.i18n.translate import _
from tutor.ui.setup.corrections_form import CorrectionsForm
from tutor.ui.setup.provider_form import ProviderForm
from tutor.ui.setup.score_dialog import MeasureDialog, ScoreTarget
from tutor.ui.setup.score_words import figure_lines
from tutor.ui.shell.context import AppContext


class CoachScoreLink(QObject):
    def __init__(
        self,
        context: AppContext,
        provider_form: ProviderForm,
        corrections_form: CorrectionsForm,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)  # goes with the Settings dialog
        self._context = context
        self._provider = provider_form
        self._corrections = corrections_form
        self._parent = parent
        self.dialog: MeasureDialog | None = None
        corrections_form.coach_model.textChanged.connect(self.refresh)
        corrections_form.style_changed.connect(self.refresh)
        provider_form.base_url.textChanged.connect(self.refresh)
        provider_form.model.editTextChanged.connect(self.refresh)
        corrections_form.figures.measure_button.clicked.connect(self.open_dialog)
        self.model_note = _note_under_model(provider_form)
        self.refresh()

    def address(self) -> tuple[str, str] | None:
        """(server, coach model) as the boxes say now; None while either is unusable."""
        try:
            base_url = check_base_url(self._provider.base_url.text())
        except ValueError:
            return None
        model = (
            self._corrections.coach_model.text().strip()
            or self._provider.model.currentText().strip()
        )
        return (base_url, model) if model else None

    def refresh(self) -> None:
        figures = self._corrections.figures
        figures.problem.say(None)
        address = self.address()
        style = self._corrections.chosen_style().key
        cards = self._context.coach_scores.for_model(*address, style=style) if address else []
        figures.show_cards(cards)
        # The partner's model box picks the coach too while the coach model is empty.
        lines = figure_lines(cards)
        coach_is_partner = not self._corrections.coach_model.text().strip()
        self.model_note.setText(
            "\n".join([_("As the coach (Settings → Corrections):"), *lines]) if lines else ""
        )
        self.model_note.setVisible(coach_is_partner and bool(lines))

    def open_dialog(self) -> None:
        """The measure dialog on the server, key and coach model in the boxes; what is
        missing or wrong in them is said under the button instead."""
        figures = self._corrections.figures
        try:
            choice = self._provider.choice()
            model = self._corrections.chosen_coach_model() or choice.settings.model
        except ValueError as error:
            figures.problem.say(str(error))
            return
        figures.problem.say(None)
        target = ScoreTarget(
            choice.settings.base_url,
            model,
            choice.api_key,
            choice.proxy,
            self._corrections.chosen_style(),
        )
        dialog = MeasureDialog(self._context, target, self._parent, saved=self._saved)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def _saved(self) -> None:
        """A card was kept: the figures show it, if Settings is still open."""
        if shiboken6.isValid(self):
            self.refresh()


def _note_under_model(form: ProviderForm) -> QLabel:
    """A hint row under the Model server tab's model box, in its form."""
    note = QLabel()
    note.setObjectName("hint")
    note.setWordWrap(True)
    note.setTextFormat(Qt.TextFormat.PlainText)
    note.setAccessibleName(_("How this model measured"))
    rows = form.rows
    for row in range(rows.rowCount()):
        item = rows.itemAt(row, QFormLayout.ItemRole.FieldRole)
        inner = item.layout() if item is not None else None
        if inner is not None and inner.indexOf(form.model) >= 0:
            rows.insertRow(row + 1, "", note)
            return note
    rows.addRow("", note)
    return note
