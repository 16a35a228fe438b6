"""Progress as CSV for other programs: one file of weeks, one of days.

Written for machines, not for the interface language: column names are fixed
identifiers, dates are ISO 8601, decimals use a dot and no thousands separator, an
unknown figure (a rate in a week with nothing checked) is an empty cell, and the file is
UTF-8 without a byte-order mark. Every cell is a number, a date or a language tag, so
nothing can pass for a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from tutor.domain.progress import DayFigures, Progress, WeekFigures

CSV_ENCODING = "utf-8"

WEEK_COLUMNS = (
    "language",
    "week_start",
    "days_practised",
    "minutes",
    "messages",
    "words",
    "checked_words",
    "mistakes",
    "mistakes_per_100_words",
    "replies_judged",
    "replies_known_share",
    "replies_too_hard",
)
DAY_COLUMNS = ("language", "date", "minutes", "messages", "words")


def weeks_csv(progress: Progress) -> str:
    """One row per week, oldest first, empty weeks included."""
    return _table(WEEK_COLUMNS, (_week_row(progress.language, w) for w in progress.weeks))


def days_csv(progress: Progress) -> str:
    """One row per day practised, oldest first."""
    return _table(DAY_COLUMNS, (_day_row(progress.language, d) for d in progress.days))


def _week_row(language: str, week: WeekFigures) -> list[str]:
    return [
        language,
        week.week_start.isoformat(),
        str(week.days),
        _decimal(week.minutes, 1),
        str(week.messages),
        str(week.words),
        str(week.checked_words),
        str(week.mistakes),
        _decimal(week.per_100_words, 2),
        str(week.replies_judged),
        _decimal(week.known_share, 3),
        str(week.replies_too_hard),
    ]


def _day_row(language: str, day: DayFigures) -> list[str]:
    return [
        language,
        day.day.isoformat(),
        _decimal(day.minutes, 1),
        str(day.messages),
        str(day.words),
    ]


def _decimal(value: float | None, places: int) -> str:
    """ "12.5", whatever the interface language; "" for a figure that does not exist."""
    return "" if value is None else f"{value:.{places}f}"


def _table(header: Sequence[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
