"""TrendChart: mistakes per 100 words by week, as a small line chart drawn with QPainter.

QtCharts is not part of PySide6-Essentials, and one line with its dots and a few labels
is little to draw. Weeks without writing have no point: the line across such a gap is
dashed, so a pause never reads as a week without mistakes.

In a right-to-left interface (Arabic) the chart is mirrored (chart_parts.Mirror): the
values on the right, time running from right to left. Shared in ui/widgets: the mistakes
notebook and the Progress view both show it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tutor.domain.notebook import WeekPoint
from tutor.domain.time_words import long_date
from tutor.i18n.formats import format_number, locale_in_use
from tutor.i18n.translate import N_, _, ngettext
from tutor.ui.widgets.chart_parts import Mirror, draw_panel

WEEKS_SHOWN = 12
"""The chart covers at most this many calendar weeks, ending with the newest point."""
# Translators: what the mistakes chart shows while there is nothing to draw.
EMPTY_TEXT = N_("Write a few messages to see a trend")
_NICE_STEPS = (1, 2, 5)
_MAX_STEPS = 4
_DOT_RADIUS = 3.5
_PAD = 10  # inside the panel


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Mistakes per 100 words by week"))
        self.setMinimumSize(240, 120)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # screen readers reach the summary
        self._points: list[WeekPoint] = []
        self.set_points([])

    # -- data -------------------------------------------------------------------------

    def set_points(self, points: Sequence[WeekPoint]) -> None:
        """Show the newest WEEKS_SHOWN calendar weeks of `points` (oldest first)."""
        ordered = sorted(points, key=lambda p: p.week_start)
        if ordered:
            first_shown = ordered[-1].week_start - timedelta(weeks=WEEKS_SHOWN - 1)
            ordered = [p for p in ordered if p.week_start >= first_shown]
        self._points = ordered
        summary = self.summary()
        self.setAccessibleDescription(summary)
        self.setToolTip("" if ordered else summary)
        self.update()

    @property
    def points(self) -> list[WeekPoint]:
        """The points drawn, oldest first."""
        return list(self._points)

    def summary(self) -> str:
        """The chart in words, for screen readers and for the empty state's tooltip."""
        points = self._points
        if not points:
            return _(
                "Mistakes per 100 words: no checked writing yet. Write a few messages to see "
                "a trend."
            )
        last = points[-1]
        day = long_date(last.week_start)
        if len(points) == 1:
            # Translators: the mistakes chart in words, for screen readers, with one week.
            # {counts} is "2 mistakes in 50 words".
            return _("Mistakes per 100 words, week of {day}: {rate} ({counts}).").format(
                day=day, rate=_rate(last.per_100_words), counts=_counts(last)
            )
        first = points[0]
        weeks = _weeks_between(first.week_start, last.week_start) + 1
        start, end = round(first.per_100_words, 1), round(last.per_100_words, 1)
        if end < start:
            # Translators: how mistakes per 100 words changed over the chart's weeks.
            change = _("down from {start} to {end}").format(start=_rate(start), end=_rate(end))
        elif end > start:
            # Translators: how mistakes per 100 words changed over the chart's weeks.
            change = _("up from {start} to {end}").format(start=_rate(start), end=_rate(end))
        else:
            # Translators: mistakes per 100 words did not change over the chart's weeks.
            change = _("steady at {end}").format(end=_rate(end))
        if len(points) == weeks:
            # Translators: the mistakes chart in words, for screen readers. {change} is
            # "down from 10.0 to 4.0", "up from 2.0 to 3.5" or "steady at 4.0".
            summary = ngettext(
                "Mistakes per 100 words, last {weeks} week: {change} (week of {day}).",
                "Mistakes per 100 words, last {weeks} weeks: {change} (week of {day}).",
                weeks,
            )
        else:
            # Translators: the mistakes chart in words, for screen readers: {written} of
            # the {weeks} weeks had writing. {change} is "down from 10.0 to 4.0", "up from
            # 2.0 to 3.5" or "steady at 4.0".
            summary = ngettext(
                "Mistakes per 100 words, last {weeks} week, {written} of them with writing: "
                "{change} (week of {day}).",
                "Mistakes per 100 words, last {weeks} weeks, {written} of them with writing: "
                "{change} (week of {day}).",
                weeks,
            )
        return summary.format(
            weeks=format_number(weeks),
            written=format_number(len(points)),
            change=change,
            day=day,
        )

    # -- drawing ----------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, 170)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_color = palette.color(QPalette.ColorRole.WindowText)
        hint_color = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = draw_panel(painter, self)
        if not self._points:
            painter.setPen(hint_color)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, _(EMPTY_TEXT))
            return
        metrics = QFontMetricsF(self.font())
        top_value, steps = nice_axis(max(p.per_100_words for p in self._points))
        plot = self._plot_rect(metrics, top_value, steps)

        # Horizontal grid lines with their values, on the left.
        for index in range(steps + 1):
            value = top_value * index / steps
            y = plot.bottom() - plot.height() * index / steps
            painter.setPen(QPen(grid, 1))
            ends = QPointF(plot.left(), y), QPointF(plot.right(), y)
            painter.drawLine(self._flip(ends[0]), self._flip(ends[1]))
            painter.setPen(hint_color)
            label = QRectF(_PAD, y - metrics.height() / 2, plot.left() - _PAD - 6, metrics.height())
            painter.drawText(
                self._flip_rect(label),
                self._align(Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter,
                _value(value),
            )

        # The line: solid between neighbouring weeks, dashed across weeks without writing.
        line_color = line_color_of(palette)
        upright = [self._centre(plot, p, top_value) for p in self._points]
        centres = [self._flip(centre) for centre in upright]
        for (a, b), (pa, pb) in zip(
            itertools.pairwise(centres), itertools.pairwise(self._points), strict=True
        ):
            gap = _weeks_between(pa.week_start, pb.week_start) > 1
            style = Qt.PenStyle.DashLine if gap else Qt.PenStyle.SolidLine
            painter.setPen(QPen(line_color, 2, style, Qt.PenCapStyle.RoundCap))
            painter.drawLine(a, b)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Base), 1.5))
        painter.setBrush(line_color)
        for centre in centres:
            painter.drawEllipse(centre, _DOT_RADIUS, _DOT_RADIUS)

        # The newest value beside its dot, so the number that matters needs no hover.
        last, newest = centres[-1], self._points[-1]
        painter.setPen(text_color)
        value_rect = QRectF(last.x() - 40, last.y() - metrics.height() - 6, 80, metrics.height())
        painter.drawText(value_rect, Qt.AlignmentFlag.AlignCenter, _rate(newest.per_100_words))

        # Week labels under the dots, newest first, skipping any that would overlap.
        painter.setPen(hint_color)
        right_edge = math.inf
        for centre, point in zip(reversed(upright), reversed(self._points), strict=True):
            text = short_date(point.week_start)
            width = metrics.horizontalAdvance(text)
            left = min(max(centre.x() - width / 2, _PAD), self.width() - _PAD - width)
            if left + width + 8 > right_edge:
                continue
            painter.drawText(
                self._flip_rect(QRectF(left, plot.bottom() + 6, width, metrics.height())),
                Qt.AlignmentFlag.AlignCenter,
                text,
            )
            right_edge = left

        painter.setPen(hint_color)
        painter.drawText(
            self._flip_rect(QRectF(_PAD, _PAD, plot.right() - _PAD, metrics.height())),
            self._align(Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter,
            # Translators: the mistakes chart's title, drawn above it.
            _("Mistakes per 100 words, by week"),
        )

    def _plot_rect(self, metrics: QFontMetricsF, top_value: float, steps: int) -> QRectF:
        widest = max(metrics.horizontalAdvance(_value(top_value * i / steps)) for i in range(steps))
        left = _PAD + max(widest, metrics.horizontalAdvance(_value(top_value))) + 6
        top = _PAD + metrics.height() * 2 + 6  # the title, then room for the newest value
        bottom = self.height() - _PAD - metrics.height() - 6
        right = self.width() - _PAD - 16
        return QRectF(left, top, max(right - left, 1), max(bottom - top, 1))

    # -- right to left ------------------------------------------------------------------

    def _flip(self, point: QPointF) -> QPointF:
        return Mirror(self).point(point)

    def _flip_rect(self, rect: QRectF) -> QRectF:
        return Mirror(self).rect(rect)

    def _align(self, side: Qt.AlignmentFlag) -> Qt.AlignmentFlag:
        return Mirror(self).align(side)

    def _centre(self, plot: QRectF, point: WeekPoint, top_value: float) -> QPointF:
        """Where a point's dot is, left to right (see _flip)."""
        first, last = self._points[0].week_start, self._points[-1].week_start
        span = _weeks_between(first, last)
        fraction = 0.5 if span == 0 else _weeks_between(first, point.week_start) / span
        x = plot.left() + 12 + (plot.width() - 24) * fraction
        y = plot.bottom() - plot.height() * min(point.per_100_words / top_value, 1)
        return QPointF(x, y)

    # -- events -----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._points and isinstance(event, QHelpEvent):
            point = self._point_near(QPointF(event.pos()))
            if point is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), _point_text(point), self)
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LayoutDirectionChange):
            self.update()  # the colours come from the palette (light or dark)
        super().changeEvent(event)

    def _point_near(self, where: QPointF) -> WeekPoint | None:
        centres = self.point_positions()
        if not centres:
            return None
        distance, index = min((abs(c.x() - where.x()), i) for i, c in enumerate(centres))
        return self._points[index] if distance <= 16 else None

    def point_positions(self) -> list[QPointF]:
        """Where each point's dot is drawn, in widget coordinates (oldest first)."""
        if not self._points:
            return []
        top_value, steps = nice_axis(max(p.per_100_words for p in self._points))
        plot = self._plot_rect(QFontMetricsF(self.font()), top_value, steps)
        return [self._flip(self._centre(plot, p, top_value)) for p in self._points]

    @property
    def line_color(self) -> QColor:
        return line_color_of(self.palette())


def line_color_of(palette: QPalette) -> QColor:
    """The palette's highlight, lightened on a dark background so the line stands out."""
    color = QColor(palette.color(QPalette.ColorRole.Highlight))
    if palette.color(QPalette.ColorRole.Window).lightness() < 128 and color.lightness() < 140:
        color = color.lighter(150)
    return color


def nice_axis(highest: float) -> tuple[float, int]:
    """(top value, number of steps) for a y axis of at most 4 steps of 1, 2 or 5 × 10^n.

    The axis reaches at least 1 per 100 words, so a few stray mistakes are not blown up
    to fill the chart.
    """
    value = max(highest, 1.0)
    magnitude = 10.0 ** math.floor(math.log10(value / _MAX_STEPS))
    while True:
        for factor in _NICE_STEPS:
            step = factor * magnitude
            count = math.ceil(value / step - 1e-9)
            if count <= _MAX_STEPS:
                return step * count, count
        magnitude *= 10


def _weeks_between(first: date, last: date) -> int:
    return (last - first).days // 7


def _value(value: float) -> str:
    """An axis value: "2", "2.5" ("2,5" in German)."""
    return format_number(value, decimals=0 if value == int(value) else 1)


def _rate(per_100_words: float) -> str:
    """Mistakes per 100 words with one decimal: "4.0" ("4,0" in German)."""
    return format_number(per_100_words, decimals=1)


def short_date(day: date) -> str:
    """A week's label under its dot: "Jun 2", "2. Juni", "6月2日"."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", day, locale=locale_in_use())


def _counts(point: WeekPoint) -> str:
    """ "2 mistakes in 50 words", in the plural forms of the interface language."""
    mistakes = ngettext("{count} mistake", "{count} mistakes", point.mistakes).format(
        count=format_number(point.mistakes)
    )
    words = ngettext("{count} word", "{count} words", point.words).format(
        count=format_number(point.words)
    )
    # Translators: a week on the mistakes chart: "2 mistakes in 50 words".
    return _("{mistakes} in {words}").format(mistakes=mistakes, words=words)


def _point_text(point: WeekPoint) -> str:
    # Translators: the tooltip of a week on the mistakes chart; {counts} is "2 mistakes
    # in 50 words".
    return _("Week of {day}: {rate} per 100 words\n{counts}").format(
        day=long_date(point.week_start), rate=_rate(point.per_100_words), counts=_counts(point)
    )
