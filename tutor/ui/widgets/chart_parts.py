"""What Tutor's small charts share (the notebook's trend, the Progress view's bars and
calendar): the panel they are drawn on, its grid colour, and mirroring for a
right-to-left interface.

QPainter draws in plain coordinates whatever the layout direction, so a chart works its
positions out left to right and passes each through a `Mirror` as it draws: in Arabic
the values stand on the right and time runs from right to left, as its readers expect.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget


class Mirror:
    """Left-to-right positions of `widget`, flipped when it is laid out right to left."""

    def __init__(self, widget: QWidget) -> None:
        self.width = widget.width()
        self.on = widget.layoutDirection() == Qt.LayoutDirection.RightToLeft

    def x(self, x: float) -> float:
        return self.width - x if self.on else x

    def point(self, point: QPointF) -> QPointF:
        return QPointF(self.x(point.x()), point.y())

    def rect(self, rect: QRectF) -> QRectF:
        if not self.on:
            return rect
        return QRectF(self.width - rect.right(), rect.top(), rect.width(), rect.height())

    def align(self, side: Qt.AlignmentFlag) -> Qt.AlignmentFlag:
        """`side` as drawn: left and right swap when mirrored (AlignAbsolute: exactly)."""
        if self.on:
            left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
            side = right if side == left else left if side == right else side
        return side | Qt.AlignmentFlag.AlignAbsolute


def draw_panel(painter: QPainter, widget: QWidget) -> QColor:
    """The panel in the view colour (darker than the window in dark mode) that holds a
    chart; returns the colour of its grid lines."""
    palette = widget.palette()
    grid = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
    grid.setAlphaF(0.35)
    painter.setPen(QPen(grid, 1))
    painter.setBrush(palette.color(QPalette.ColorRole.Base))
    painter.drawRoundedRect(QRectF(widget.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    return grid


def draw_title(painter: QPainter, widget: QWidget, title: str, pad: float) -> None:
    """A chart's title along its top, at the reading side's edge, in the quiet colour."""
    mirror = Mirror(widget)
    height = QFontMetricsF(widget.font()).height()
    painter.setPen(widget.palette().color(QPalette.ColorRole.PlaceholderText))
    painter.drawText(
        mirror.rect(QRectF(pad, pad, widget.width() - 2 * pad, height)),
        mirror.align(Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter,
        title,
    )
