"""Time in words, as the interface says it: when something comes due ("in 10 min (at
14:25)", "on Tue 4 Mar"), how long a wait is ("10 min", "2 hours"), and a day in full
("4 Mar 2025").

Pure: the caller gives the moments; the clock time is shown in the computer's own time
zone unless another is given.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache

_SAME_DAY = timedelta(hours=20)
"""Within this long, a due time is said as a wait and a clock time; beyond it, as a day."""


def due_in_words(due: datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """When `due` comes, seen at `now`: "now", "in 10 min (at 14:25)", "on Tue 4 Mar".

    `zone`: where the clock time and day are read; None for the computer's own.
    """
    wait = due - now
    if wait <= timedelta(0):
        return "now"
    local = due.astimezone(zone)
    if wait < _SAME_DAY:
        return f"in {duration_words(wait)} (at {local:%H:%M})"
    return f"on {local:%a} {local.day} {local:%b}"


def duration_words(wait: timedelta) -> str:
    """A wait in whole minutes under an hour ("1 min" at least), else in whole hours."""
    minutes = max(1, round(wait.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = round(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"


@lru_cache(maxsize=1024)  # many notebook rows share a day, and strftime is slow
def long_date(day: date) -> str:
    """ "4 Mar 2025": a day with its month and year."""
    return f"{day.day} {day:%b %Y}"
