"""A problem said in red under a form, hidden when there is none."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from tutor.i18n.translate import _


class ErrorLabel(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setProperty("state", "error")
        self.setAccessibleName(_("Problem"))
        self.hide()

    def say(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))
