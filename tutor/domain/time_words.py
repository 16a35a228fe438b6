"""Time in words, as the interface says it in the interface language: when something
comes due ("in 10 min (at 2:25 PM)", "on Tue, Mar 4"), how long a wait is ("10 min",
"2 hours"), and a day in full ("Mar 4, 2025"; "4. März 2025" in German).

Pure: the caller gives the moments; the clock time is shown in the computer's own time
zone unless another is given.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache

from tutor.i18n.formats import format_number, format_time, locale_in_use
from tutor.i18n.translate import _, language_in_use, ngettext

_SAME_DAY = timedelta(hours=20)
"""Within this long, a due time is said as a wait and a clock time; beyond it, as a day."""


def due_in_words(due: datetime, now: datetime, zone: tzinfo | None = None) -> str:
    """When `due` comes, seen at `now`: "now", "in 10 min (at 2:25 PM)", "on Tue, Mar 4".

    `zone`: where the clock time and day are read; None for the computer's own.
    """
    wait = due - now
    if wait <= timedelta(0):
        # Translators: when a review card is due, put into "Next card due {when}.": it is
        # due already.
        return _("now")
    local = due.astimezone(zone)
    if wait < _SAME_DAY:
        # Translators: when a review card is due: "in 10 min (at 2:25 PM)".
        return _("in {duration} (at {time})").format(
            duration=duration_words(wait), time=format_time(local)
        )
    # Translators: when a review card is due: "on Tue, Mar 4" (a weekday and a day).
    return _("on {day}").format(day=_skeleton("MMMEd", local))


def duration_words(wait: timedelta) -> str:
    """A wait in whole minutes under an hour ("1 min" at least), else in whole hours."""
    minutes = max(1, round(wait.total_seconds() / 60))
    if minutes < 60:
        # Translators: a wait in minutes, abbreviated as a clock or a timer shows it.
        return ngettext("{count} min", "{count} min", minutes).format(count=format_number(minutes))
    hours = round(minutes / 60)
    return ngettext("{count} hour", "{count} hours", hours).format(count=format_number(hours))


def long_date(day: date) -> str:
    """ "Mar 4, 2025" ("4. März 2025", "2025년 3월 4일"): a day with its month and year."""
    return _long_date(day, language_in_use())


@lru_cache(maxsize=1024)  # many notebook rows share a day, and formatting is slow
def _long_date(day: date, language: str) -> str:
    return _skeleton("yMMMd", day)


def _skeleton(skeleton: str, moment: date) -> str:
    """`moment` in the fields of a CLDR `skeleton` ("MMMEd": weekday, day, short month),
    in the order and words the interface language uses for them."""
    from babel.dates import format_skeleton

    return format_skeleton(skeleton, moment, locale=locale_in_use())
