"""Shows the exact system message a session was made with: for learners and bug reports."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.session import PracticeSession
from tutor.i18n.translate import _


class SystemMessageDialog(QDialog):
    def __init__(self, session: PracticeSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("System message"))
        intro = QLabel(
            _(
                "Tutor sends this to the model ({model} at {address}) before the "
                "conversation, in every request of this session."
            ).format(model=session.model, address=session.base_url)
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(session.system_message)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(_("System message"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(_("Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(session.system_message))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)
