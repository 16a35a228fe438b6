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
    def __init__(
        self, session: PracticeSession, parent: QWidget | None = None, steering: str | None = None
    ) -> None:
        """`steering`: what the next request adds to it (AppContext.partner_steering: the
        level steering of services/level_fit.py, the facts of services/memory.py), if any."""
        super().__init__(parent)
        sent = f"{session.system_message}\n\n{steering}" if steering else session.system_message
        self.setWindowTitle(_("System message"))
        intro = QLabel(
            _(
                "Tutor sends this to the model ({model} at {address}) before the "
                "conversation, in every request of this session."
            ).format(model=session.model, address=session.base_url)
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(sent)
        self.text.setReadOnly(True)
        self.text.setAccessibleName(_("System message"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(_("Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(sent))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)
