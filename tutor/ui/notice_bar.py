"""A quiet bar above the composer: what went wrong, and Retry where that helps."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class NoticeBar(QFrame):
    retry_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Notice")
        self.retry = QPushButton("Retry")
        self.retry.setAccessibleName("Retry")
        self.retry.clicked.connect(self.retry_clicked)
        close = QPushButton("Dismiss")
        close.setFlat(True)
        close.setAccessibleName("Dismiss notice")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry)
        layout.addWidget(close)
        self.hide()

    def say(self, message: str, *, can_retry: bool = False) -> None:
        self.label.setText(message)
        self.retry.setVisible(can_retry)
        self.show()
