"""A quiet bar above the composer: what went wrong, and Retry, Undo or Cancel where that
helps (Cancel stops an automatic retry that is counting down)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from tutor.i18n.translate import _


class NoticeBar(QFrame):
    retry_clicked = Signal()
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName(_("Notice"))
        self.retry = QPushButton(_("Retry"))
        self.retry.setAccessibleName(_("Retry"))
        self.retry.clicked.connect(self.retry_clicked)
        self.undo = QPushButton(_("Undo"))
        self.undo.setAccessibleName(_("Undo"))
        self.undo.clicked.connect(self._undo_clicked)
        self.cancel = QPushButton(_("Cancel"))
        self.cancel.setAccessibleName(_("Cancel the automatic retry"))
        self.cancel.setToolTip(_("Stop waiting; Retry stays available (Esc)"))
        self.cancel.clicked.connect(self.cancel_clicked)
        self._undo_action: Callable[[], None] | None = None
        close = QPushButton(_("Dismiss"))
        close.setFlat(True)
        close.setAccessibleName(_("Dismiss notice"))
        close.clicked.connect(self._dismiss)
        self.close_button = close
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry)
        layout.addWidget(self.undo)
        layout.addWidget(self.cancel)
        layout.addWidget(close)
        self.hide()

    def say(
        self,
        message: str,
        *,
        can_retry: bool = False,
        undo: Callable[[], None] | None = None,
        can_cancel: bool = False,
    ) -> None:
        self.label.setText(message)
        self.retry.setVisible(can_retry)
        self._undo_action = undo
        self.undo.setVisible(undo is not None)
        self.cancel.setVisible(can_cancel)
        self.show()

    def _dismiss(self) -> None:
        # Dismissing a countdown must not leave a retry running unseen.
        if self.cancel.isVisible():
            self.cancel_clicked.emit()
        self.hide()

    def _undo_clicked(self) -> None:
        action, self._undo_action = self._undo_action, None
        self.hide()
        if action is not None:
            action()
