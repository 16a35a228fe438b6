"""The retry box under a review card: the learner writes the sentence again (or uses the
word in one), and sees what the coach made of it.

Only the widgets and their states live here; asking the coach is the review window's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from tutor.i18n.translate import _
from tutor.ui.review.page_parts import button, fit_height, text_browser


class RetryBox(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(_("Your sentence"))
        self.edit.setPlaceholderText(_("Type it here, then press Enter"))
        self.edit.setMaxLength(2000)
        # Translators: the button that asks the coach to check a retried sentence.
        self.check_button = button(_("Check"), "Enter")
        self.status = QLabel()
        self.status.setAccessibleName(_("Check result"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.marks = text_browser(_("Corrections of your sentence"))
        fit_height(self.marks, 160)

        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.marks)

    def reset(self, hint: str, *, right_to_left: bool) -> None:
        """Empty and hidden, for a new card; typing goes the way its language is written."""
        self.hint.setText(hint)
        self.edit.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if right_to_left else Qt.LayoutDirection.LeftToRight
        )
        self.hide()
        self.edit.clear()
        self.set_status("")
        self.marks.hide()
        self.check_button.setEnabled(True)

    def set_status(self, text: str, *, state: str = "") -> None:
        """Say how the check went; `state` "ok" or "error" colours it."""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        # style.py colours QLabel[state="ok"] and [state="error"]; the style must be
        # applied again for a changed property to show.
        self.status.setProperty("state", state)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
