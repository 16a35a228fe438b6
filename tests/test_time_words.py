"""Time in words: when a card comes due, and how long a wait is."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tutor.domain.time_words import due_in_words, duration_words, long_date

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
    assert due_in_words(NOW + timedelta(minutes=10), NOW, UTC) == "in 10 min (at 14:25)"
    two_hours_east = timezone(timedelta(hours=2))
    assert due_in_words(NOW + timedelta(hours=3), NOW, two_hours_east) == "in 3 hours (at 19:15)"


def test_a_card_due_in_twenty_hours_or_more_says_the_day():
    assert due_in_words(NOW + timedelta(hours=20), NOW, UTC) == "on Wed 5 Mar"
    assert due_in_words(NOW + timedelta(days=30), NOW, UTC) == "on Thu 3 Apr"


def test_without_a_zone_the_computers_own_is_used():
    due = NOW + timedelta(minutes=10)
    assert due_in_words(due, NOW) == f"in 10 min (at {due.astimezone():%H:%M})"


def test_a_long_date_has_the_day_month_and_year():
    assert long_date(date(2025, 3, 4)) == "4 Mar 2025"
