"""Time in words: when a card comes due, and how long a wait is, in the interface language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from tutor.domain.time_words import due_in_words, duration_words, long_date
from tutor.i18n.formats import format_time
from tutor.i18n.translate import use_language

NOW = datetime(2025, 3, 4, 14, 15, tzinfo=UTC)  # a Tuesday


@pytest.mark.parametrize(
    ("wait", "words"),
    [
        (timedelta(seconds=5), "1 min"),  # never "0 min"
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=10, seconds=20), "10 min"),
        (timedelta(minutes=59, seconds=20), "59 min"),
        (timedelta(minutes=60), "1 hour"),
        (timedelta(minutes=89), "1 hour"),
        (timedelta(minutes=95), "2 hours"),
        (timedelta(hours=19), "19 hours"),
    ],
)
def test_a_wait_is_said_in_minutes_then_hours(wait, words):
    assert duration_words(wait) == words


def test_a_card_already_due_is_due_now():
    assert due_in_words(NOW, NOW) == "now"
    assert due_in_words(NOW - timedelta(days=3), NOW) == "now"


def test_a_card_due_today_says_the_wait_and_the_clock_time_where_the_learner_is():
    said = due_in_words(NOW + timedelta(minutes=10), NOW, UTC)
    assert said.replace("\u202f", " ") == "in 10 min (at 2:25 PM)"  # CLDR's narrow space
    two_hours_east = timezone(timedelta(hours=2))
    said = due_in_words(NOW + timedelta(hours=3), NOW, two_hours_east)
    assert said == f"in 3 hours (at {format_time(time(19, 15))})"


def test_a_card_due_in_twenty_hours_or_more_says_the_day():
    assert due_in_words(NOW + timedelta(hours=20), NOW, UTC) == "on Wed, Mar 5"
    assert due_in_words(NOW + timedelta(days=30), NOW, UTC) == "on Thu, Apr 3"


def test_without_a_zone_the_computers_own_is_used():
    due = NOW + timedelta(minutes=10)
    assert due_in_words(due, NOW) == f"in 10 min (at {format_time(due.astimezone())})"


def test_a_long_date_has_the_day_month_and_year():
    assert long_date(date(2025, 3, 4)) == "Mar 4, 2025"


@pytest.fixture
def german() -> Iterator[None]:
    use_language("de")
    try:
        yield
    finally:
        use_language("en")


def test_days_and_clock_times_are_written_as_the_interface_language_writes_them(german):
    assert long_date(date(2025, 3, 4)) == "4. März 2025"
    assert "Mi., 5. März" in due_in_words(NOW + timedelta(hours=20), NOW, UTC)
    assert "14:25" in due_in_words(NOW + timedelta(minutes=10), NOW, UTC)
    use_language("ko")
    assert long_date(date(2025, 3, 4)) == "2025년 3월 4일"  # the cache keeps days per language


def test_one_hour_is_singular_and_a_thousand_hours_are_grouped():
    assert duration_words(timedelta(hours=1)) == "1 hour"
    assert duration_words(timedelta(hours=2)) == "2 hours"
    assert duration_words(timedelta(hours=1000)) == "1,000 hours"
