"""A microphone's level as a bar, for a recording and for Settings' microphone test."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from tutor.domain.wav import SILENCE_DBFS
from tutor.i18n.translate import _

METER_FLOOR_DBFS = -60.0
"""The meter's empty end: quieter than this is a silent room."""
LOUD_DBFS = -6.0
"""Louder than this is close to clipping: the bar turns orange."""


class LevelMeter(QWidget):
    """How loud the microphone hears, from the floor (-60 dBFS) to full scale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = SILENCE_DBFS
        self.setMinimumSize(QSize(90, 10))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Microphone level"))

    @property
    def fraction(self) -> float:
        """How full the bar is, 0 to 1."""
        span = -METER_FLOOR_DBFS
        return min(1.0, max(0.0, (self._level - METER_FLOOR_DBFS) / span))

    def set_level(self, dbfs: float) -> None:
        self._level = dbfs
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(140, 10)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(self.palette().mid().color())
        painter.setBrush(self.palette().base())
        painter.drawRoundedRect(rect, 4, 4)
        filled = QRectF(rect)
        filled.setWidth(rect.width() * self.fraction)
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            filled.moveRight(rect.right())
        loud = self._level > LOUD_DBFS
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e65100") if loud else QColor("#2e7d32"))
        painter.drawRoundedRect(filled, 4, 4)
