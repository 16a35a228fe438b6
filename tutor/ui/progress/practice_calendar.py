"""PracticeCalendar: a year of days as small squares, a column a week, shaded by minutes.

No streak and no count of days missed: a day without practice is a plain square, like a
day not yet come. Each square says its day in a tooltip; the whole calendar says in
words how many days of the year had practice, for screen readers. Mirrored in a
right-to-left interface (chart_parts.Mirror): the newest week on the left.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tutor.domain.progress import DayFigures
from tutor.domain.time_words import long_date
from tutor.i18n.formats import format_number, locale_in_use
from tutor.i18n.translate import _, ngettext
from tutor.ui.widgets.chart_parts import Mirror, draw_panel, draw_title
from tutor.ui.widgets.trend_chart import line_color_of

WEEKS = 53
"""Columns: the week of `today` and the 52 before it."""
SHADES = (10.0, 20.0, 40.0)
"""Minutes at which a practised day's square turns one shade darker."""
_CELL = 11.0
_GAP = 3.0
_PAD = 10.0


def shade(minutes: float | None) -> int:
    """0 for a day without practice; 1-4 as the day's minutes grow (SHADES)."""
    if minutes is None:
        return 0
    return 1 + sum(minutes >= limit for limit in SHADES)


class PracticeCalendar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Translators: the name of the calendar of days practised, for screen readers.
        self.setAccessibleName(_("Days practised"))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # screen readers reach the summary
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._days: dict[date, DayFigures] = {}
        self._first = date.today()
        self.set_days([], date.today())

    def set_days(self, days: Sequence[DayFigures], today: date) -> None:
        """Show the WEEKS weeks that end with the week of `today`."""
        monday = today - timedelta(days=today.weekday())
        self._first = monday - timedelta(weeks=WEEKS - 1)
        self._days = {d.day: d for d in days if self._first <= d.day <= today}
        summary = self.summary()
        self.setAccessibleDescription(summary)
        self.setToolTip(summary if not self._days else "")
        self.update()

    @property
    def first_day(self) -> date:
        """The Monday of the first column."""
        return self._first

    def shown_days(self) -> list[DayFigures]:
        """The practised days shown, oldest first."""
        return [self._days[day] for day in sorted(self._days)]

    def summary(self) -> str:
        count = len(self._days)
        if not count:
            # Translators: the calendar of days practised, when the last year has none.
            return _("No practice in the last 12 months.")
        # Translators: the calendar of days practised, in words, for screen readers.
        return ngettext(
            "{count} day practised in the last 12 months.",
            "{count} days practised in the last 12 months.",
            count,
        ).format(count=format_number(count))

    # -- drawing ----------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        metrics = QFontMetricsF(self.font())
        width = self._grid_left(metrics) + WEEKS * (_CELL + _GAP) + _PAD
        height = _PAD * 3 + metrics.height() * 3 + 8 + 7 * (_CELL + _GAP)
        return QSize(int(width), int(height))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        grid = draw_panel(painter, self)
        mirror = Mirror(self)
        metrics = QFontMetricsF(self.font())
        # Translators: the title drawn above the calendar of days practised.
        draw_title(painter, self, _("Days practised, shaded by minutes"), _PAD)
        colors = _shades(palette, grid)
        top = self._grid_top(metrics)
        left = self._grid_left(metrics)
        # Weekday names beside Monday, Wednesday and Friday.
        for row in (0, 2, 4):
            rect = QRectF(_PAD, top + row * (_CELL + _GAP) - 2, left - _PAD - 4, _CELL + 4)
            painter.drawText(
                mirror.rect(rect),
                mirror.align(Qt.AlignmentFlag.AlignRight) | Qt.AlignmentFlag.AlignVCenter,
                _weekday(self._first + timedelta(days=row)),
            )
        # Month names above the week in which each month begins.
        last_label_end = -1e9
        for column in range(WEEKS):
            monday = self._first + timedelta(weeks=column)
            month_start = _month_start_in(monday)
            if month_start is None:
                # The first column names its month only when no month begins soon after.
                if column or any(_month_start_in(monday + timedelta(weeks=n)) for n in (1, 2)):
                    continue
                month_start = monday
            text = _month(month_start)
            x = left + column * (_CELL + _GAP)
            width = metrics.horizontalAdvance(text)
            if x < last_label_end + 6:
                continue
            rect = QRectF(x, top - metrics.height() - 4, width, metrics.height())
            painter.drawText(mirror.rect(rect), Qt.AlignmentFlag.AlignCenter, text)
            last_label_end = x + width
        self._draw_legend(painter, mirror, metrics, colors, top + 7 * (_CELL + _GAP) + 6)
        painter.setPen(Qt.PenStyle.NoPen)
        today = self._first + timedelta(weeks=WEEKS - 1, days=6)
        for day, rect in self._cells():
            if day > today:
                continue
            figures = self._days.get(day)
            painter.setBrush(colors[shade(figures.minutes if figures else None)])
            painter.drawRoundedRect(mirror.rect(rect), 2, 2)

    def _draw_legend(
        self,
        painter: QPainter,
        mirror: Mirror,
        metrics: QFontMetricsF,
        colors: list[QColor],
        top: float,
    ) -> None:
        """What each shade means, in minutes, under the grid on the reading side."""
        hint = self.palette().color(QPalette.ColorRole.PlaceholderText)
        x = self._grid_left(metrics)
        for index, text in enumerate(legend_texts()):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors[index])
            square = QRectF(x, top + (metrics.height() - _CELL) / 2, _CELL, _CELL)
            painter.drawRoundedRect(mirror.rect(square), 2, 2)
            x += _CELL + 4
            width = metrics.horizontalAdvance(text)
            painter.setPen(hint)
            painter.drawText(
                mirror.rect(QRectF(x, top, width + 2, metrics.height())),
                Qt.AlignmentFlag.AlignCenter,
                text,
            )
            x += width + 14
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _grid_top(self, metrics: QFontMetricsF) -> float:
        return _PAD + metrics.height() * 2 + 8

    def _grid_left(self, metrics: QFontMetricsF) -> float:
        widest = max(
            metrics.horizontalAdvance(_weekday(date(2024, 1, 1) + timedelta(days=d)))
            for d in (0, 2, 4)
        )
        return _PAD + widest + 8

    def _cells(self) -> list[tuple[date, QRectF]]:
        """Each day and its square, left to right (mirror them to draw)."""
        metrics = QFontMetricsF(self.font())
        top, left = self._grid_top(metrics), self._grid_left(metrics)
        return [
            (
                self._first + timedelta(weeks=column, days=row),
                QRectF(left + column * (_CELL + _GAP), top + row * (_CELL + _GAP), _CELL, _CELL),
            )
            for column in range(WEEKS)
            for row in range(7)
        ]

    def day_rect(self, day: date) -> QRectF | None:
        """Where `day`'s square is drawn, in widget coordinates; None if not shown."""
        mirror = Mirror(self)
        return next((mirror.rect(rect) for d, rect in self._cells() if d == day), None)

    # -- events -----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(QPointF(event.pos()))
            if day is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.day_text(day), self)
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LayoutDirectionChange):
            self.update()
        super().changeEvent(event)

    def day_at(self, where: QPointF) -> date | None:
        mirror = Mirror(self)
        today = self._first + timedelta(weeks=WEEKS - 1, days=6)
        for day, rect in self._cells():
            if mirror.rect(rect).adjusted(-1, -1, 1, 1).contains(where):
                return day if day <= today else None
        return None

    def day_text(self, day: date) -> str:
        """A square's tooltip: the day and what was practised on it."""
        figures = self._days.get(day)
        if figures is None:
            # Translators: a day in the calendar of days practised, without practice.
            return _("{day}: no practice").format(day=long_date(day))
        # Translators: a day in the calendar of days practised: "3 March 2025: 12
        # minutes, 4 messages, 40 words".
        return _("{day}: {minutes}, {messages}, {words}").format(
            day=long_date(day),
            minutes=minutes_text(figures.minutes),
            messages=ngettext("{count} message", "{count} messages", figures.messages).format(
                count=format_number(figures.messages)
            ),
            words=ngettext("{count} word", "{count} words", figures.words).format(
                count=format_number(figures.words)
            ),
        )


def legend_texts() -> list[str]:
    """The legend under the calendar, a text a shade: "none", "under 10 min", "10+ min"…"""
    return [
        # Translators: the calendar's legend: the shade of a day without practice.
        _("none"),
        # Translators: the calendar's legend: a day practised under {count} minutes.
        _("under {count} min").format(count=format_number(int(SHADES[0]))),
        *(
            # Translators: the calendar's legend: a day practised {count} minutes or more.
            _("{count}+ min").format(count=format_number(int(limit)))
            for limit in SHADES
        ),
    ]


def minutes_text(minutes: float) -> str:
    """ "12 minutes", rounded to whole minutes, a half up ("0 minutes" for a moment)."""
    whole = math.floor(minutes + 0.5)
    return ngettext("{count} minute", "{count} minutes", whole).format(count=format_number(whole))


def _shades(palette: QPalette, grid: QColor) -> list[QColor]:
    """A day without practice (fainter than the lightest shade), then four shades of the
    highlight, lightest first."""
    base = line_color_of(palette)
    empty = QColor(grid)
    empty.setAlphaF(0.18)
    colors = [empty]
    for alpha in (0.35, 0.55, 0.78, 1.0):
        color = QColor(base)
        color.setAlphaF(alpha)
        colors.append(color)
    return colors


def _month_start_in(monday: date) -> date | None:
    """The first day of a month in the week starting on `monday`, if there is one."""
    return next((d for d in (monday + timedelta(days=i) for i in range(7)) if d.day == 1), None)


def _weekday(day: date) -> str:
    from babel.dates import format_date

    return format_date(day, "EEE", locale=locale_in_use())


def _month(day: date) -> str:
    from babel.dates import format_date

    return format_date(day, "LLL", locale=locale_in_use())
