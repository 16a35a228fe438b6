"""WeekBars: one figure by week as bars, painted like the notebook's trend chart.

The Progress view shows minutes by week and the share of words the learner knew in the
partner's replies this way. A week without the figure (no reply judged) has no bar and
says so in its tooltip; a week of zero minutes is a zero. The newest WEEKS_SHOWN weeks are
drawn; the table under the charts holds every week. Mirrored in a right-to-left
interface (chart_parts.Mirror).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tutor.i18n.formats import format_number
from tutor.ui.widgets.chart_parts import Mirror, draw_panel, draw_title
from tutor.ui.widgets.trend_chart import line_color_of, nice_axis, short_date

WEEKS_SHOWN = 12
"""As many weeks as the mistakes chart shows (trend_chart.WEEKS_SHOWN)."""
_PAD = 10.0


@dataclass(frozen=True)
class WeekBar:
    week_start: date
    value: float | None
    """None: the week has no such figure (nothing to draw)."""
    tooltip: str


class WeekBars(QWidget):
    def __init__(
        self,
        title: str,
        *,
        value_text: Callable[[float], str] = lambda v: format_number(v, decimals=0),
        top: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`title` drawn above; `value_text` writes an axis value; `top` fixes the axis's
        top (100 for a percentage), None fits it to the highest bar."""
        super().__init__(parent)
        self._title = title
        self._value_text = value_text
        self._top = top
        self._bars: list[WeekBar] = []
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # screen readers reach the summary
        self.setMinimumSize(240, 120)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[WeekBar], summary: str) -> None:
        """The newest WEEKS_SHOWN of `bars` (oldest first); `summary` says them in words."""
        self._bars = list(bars)[-WEEKS_SHOWN:]
        self.setAccessibleDescription(summary)
        self.update()

    @property
    def bars(self) -> list[WeekBar]:
        return list(self._bars)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, 160)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        hint = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = draw_panel(painter, self)
        mirror = Mirror(self)
        metrics = QFontMetricsF(self.font())
        draw_title(painter, self, self._title, _PAD)
        if not self._bars:
            return
        top_value, steps = self._axis()
        plot = self._plot_rect(metrics, top_value, steps)
        for index in range(steps + 1):
            value = top_value * index / steps
            y = plot.bottom() - plot.height() * index / steps
            painter.setPen(QPen(grid, 1))
            painter.drawLine(
                mirror.point(QPointF(plot.left(), y)), mirror.point(QPointF(plot.right(), y))
            )
            painter.setPen(hint)
            label = QRectF(_PAD, y - metrics.height() / 2, plot.left() - _PAD - 6, metrics.height())
            painter.drawText(
                mirror.rect(label),
                mirror.align(Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter,
                self._value_text(value),
            )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(line_color_of(palette))
        for bar, rect in zip(self._bars, self._bar_rects(plot, top_value), strict=True):
            if bar.value is not None:
                painter.drawRoundedRect(mirror.rect(rect), 2, 2)
        # Week labels under the bars, newest first, skipping any that would overlap.
        painter.setPen(hint)
        right_edge = float("inf")
        slots = self._slots(plot)
        for bar, (x, width) in zip(reversed(self._bars), reversed(slots), strict=True):
            text = short_date(bar.week_start)
            advance = metrics.horizontalAdvance(text)
            left = min(max(x + width / 2 - advance / 2, _PAD), self.width() - _PAD - advance)
            if left + advance + 8 > right_edge:
                continue
            rect = QRectF(left, plot.bottom() + 6, advance, metrics.height())
            painter.drawText(mirror.rect(rect), Qt.AlignmentFlag.AlignCenter, text)
            right_edge = left

    def _axis(self) -> tuple[float, int]:
        if self._top is not None:
            return self._top, 4
        highest = max((bar.value or 0.0) for bar in self._bars)
        return nice_axis(max(highest, 1.0))

    def _plot_rect(self, metrics: QFontMetricsF, top_value: float, steps: int) -> QRectF:
        widest = max(
            metrics.horizontalAdvance(self._value_text(top_value * i / steps))
            for i in range(steps + 1)
        )
        left = _PAD + widest + 6
        top = _PAD + metrics.height() + 10
        bottom = self.height() - _PAD - metrics.height() - 6
        right = self.width() - _PAD - 6
        return QRectF(left, top, max(right - left, 1), max(bottom - top, 1))

    def _slots(self, plot: QRectF) -> list[tuple[float, float]]:
        """(left, width) of each week's slot, left to right."""
        slot = plot.width() / max(len(self._bars), 1)
        return [(plot.left() + slot * i, slot) for i in range(len(self._bars))]

    def _bar_rects(self, plot: QRectF, top_value: float) -> list[QRectF]:
        rects = []
        for bar, (x, slot) in zip(self._bars, self._slots(plot), strict=True):
            share = min(max((bar.value or 0.0) / top_value, 0.0), 1.0) if top_value else 0.0
            height = max(plot.height() * share, 1.0 if bar.value else 0.0)
            width = min(slot * 0.6, 28.0)
            rects.append(QRectF(x + (slot - width) / 2, plot.bottom() - height, width, height))
        return rects

    def bar_rects(self) -> list[QRectF]:
        """Where each week's bar is drawn, in widget coordinates (oldest first)."""
        if not self._bars:
            return []
        top_value, steps = self._axis()
        plot = self._plot_rect(QFontMetricsF(self.font()), top_value, steps)
        mirror = Mirror(self)
        return [mirror.rect(rect) for rect in self._bar_rects(plot, top_value)]

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            where = QPointF(event.pos())
            found = next(
                (
                    bar
                    for bar, rect in zip(self._bars, self.bar_rects(), strict=True)
                    if rect.left() - 6 <= where.x() <= rect.right() + 6
                ),
                None,
            )
            if found is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), found.tooltip, self)
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LayoutDirectionChange):
            self.update()
        super().changeEvent(event)
