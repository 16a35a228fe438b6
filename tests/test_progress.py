"""The Progress view's figures without Qt: minutes, days, words, mistakes per 100 words
by week, words used correctly, cards learnt and the replies' fit, from a database with
known contents (tests/progress_data.py), and the CSV's exact text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.progress_data import MONDAY, WEEK1, WEEK3, fill_known
from tutor.domain.progress import (
    MAX_GAP,
    ReportFit,
    SessionMessage,
    day_figures,
    minutes_by_day,
    progress,
    week_figures,
)
from tutor.domain.progress_csv import days_csv, weeks_csv
from tutor.i18n.translate import use_language
from tutor.services import progress as progress_service
from tutor.store.database import open_database


def _message(
    session: int, minutes: float, learner: bool = True, text: str = "uno dos"
) -> SessionMessage:
    return SessionMessage(session, MONDAY + timedelta(minutes=minutes), learner, text, True)


# -- the domain ----------------------------------------------------------------------


def test_minutes_are_the_gaps_between_messages_each_capped():
    messages = [
        _message(1, 0),
        _message(1, 2, learner=False),
        _message(1, 3.5),
        _message(1, 63.5, learner=False),  # an hour away counts as MAX_GAP
    ]
    assert timedelta(minutes=5) == MAX_GAP
    assert minutes_by_day(messages, UTC) == {MONDAY.date(): 2 + 1.5 + 5}


def test_gaps_are_not_counted_across_sessions_and_a_lone_message_counts_none():
    messages = [_message(1, 0), _message(2, 1), _message(3, 2), _message(2, 4)]
    # Session 2's gap (3 minutes) only: 1 → 3 and 2 are other sessions.
    assert minutes_by_day(messages, UTC) == {MONDAY.date(): 3.0}


def test_a_gap_counts_on_the_day_of_the_message_that_ends_it_in_the_learners_zone():
    late = datetime(2025, 3, 3, 23, 58, tzinfo=UTC)
    messages = [
        SessionMessage(1, late, True, "a"),
        SessionMessage(1, late + timedelta(minutes=4), False),
    ]
    assert minutes_by_day(messages, UTC) == {date(2025, 3, 4): 4.0}
    tokyo = timezone(timedelta(hours=9))  # 08:58 and 09:02 on the 4th there
    assert minutes_by_day(messages, tokyo) == {date(2025, 3, 4): 4.0}
    assert [d.day for d in day_figures(messages, UTC)] == [date(2025, 3, 3)]


def test_days_count_the_learners_messages_and_words_in_any_script():
    messages = [
        _message(1, 0, text="Yesterday I went to the park"),
        _message(1, 1, learner=False, text=""),
        _message(1, 2, text="私は昨日公園に行きました。"),  # 12 characters: 6 words
    ]
    (day,) = day_figures(messages, UTC)
    assert (day.messages, day.words, day.minutes) == (2, 6 + 6, 2.0)


def test_weeks_run_without_holes_and_rates_only_where_something_was_checked():
    messages = [
        _message(1, 0, text="uno dos tres cuatro"),
        SessionMessage(2, MONDAY + timedelta(weeks=2), True, "cinco seis", checked=False),
    ]
    fits = [
        ReportFit(MONDAY, 3, 0.9, 1),
        ReportFit(MONDAY + timedelta(days=1), 1, 0.98, 0),
        ReportFit(MONDAY, 0, None, 0),  # a report from before the fit meter
    ]
    weeks = week_figures(messages, [MONDAY], fits, UTC)
    assert [w.week_start for w in weeks] == [WEEK1, WEEK1 + timedelta(weeks=1), WEEK3]
    first, empty, third = weeks
    assert (first.checked_words, first.mistakes, first.per_100_words) == (4, 1, 25.0)
    assert first.replies_judged == 4 and first.replies_too_hard == 1
    assert first.known_share == pytest.approx((3 * 0.9 + 0.98) / 4)
    assert (empty.days, empty.minutes, empty.per_100_words, empty.known_share) == (
        0,
        0.0,
        None,
        None,
    )
    assert (third.words, third.checked_words, third.per_100_words) == (2, 0, None)


def test_nothing_practised_is_an_empty_progress():
    shown = progress("fr", [], [], card_states=[2])
    assert shown.is_empty and shown.weeks == () and shown.cards_learnt == 1


# -- the store and the service, on a database with known contents ------------------------


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    connection = open_database(path)
    fill_known(connection)
    yield path  # the app's connection stays open, as it does beside the count
    connection.close()


def _spanish(database):
    return progress_service.count(database, "es", UTC).progress


def test_languages_are_those_written_in_with_the_one_asked_for(database):
    use_language("en")
    assert progress_service.count(database, "fr", UTC).languages == ["fr", "ja", "es"]
    assert progress_service.count(database, None, UTC).languages == ["ja", "es"]


def test_days_minutes_messages_and_words_of_the_known_database(database):
    shown = _spanish(database)
    assert [(d.day, d.minutes, d.messages, d.words) for d in shown.days] == [
        (date(2025, 3, 3), 9.5, 2, 9),  # 2 + 2.5 + 5 (a 16-minute pause)
        (date(2025, 3, 5), 1.0, 1, 2),
        (date(2025, 3, 17), 3.0, 1, 5),
    ]  # the deleted session of 4 March counts for nothing
    totals = shown.totals
    assert (totals.days, totals.minutes, totals.messages, totals.words) == (3, 13.5, 4, 16)


def test_mistakes_per_100_words_by_week_leave_dismissed_marks_and_unchecked_words_out(database):
    weeks = _spanish(database).weeks
    assert [w.week_start for w in weeks] == [WEEK1, WEEK1 + timedelta(weeks=1), WEEK3]
    # Week 1: 1 mistake in 9 checked words ("Hola amigo" was never checked).
    assert (weeks[0].mistakes, weeks[0].checked_words) == (1, 9)
    assert weeks[0].per_100_words == pytest.approx(100 / 9)
    assert weeks[1].per_100_words is None
    # Week 3: two marks, one dismissed: 1 in 5 words.
    assert (weeks[2].mistakes, weeks[2].per_100_words) == (1, 20.0)


def test_replies_fit_by_week_comes_from_the_session_reports(database):
    weeks = _spanish(database).weeks
    assert (weeks[0].replies_judged, weeks[0].known_share, weeks[0].replies_too_hard) == (
        2,
        0.9,
        1,
    )
    assert (weeks[2].replies_judged, weeks[2].known_share, weeks[2].replies_too_hard) == (
        1,
        0.96,
        0,
    )
    assert _spanish(database).totals.known_share == pytest.approx((2 * 0.9 + 0.96) / 3)


def test_words_used_correctly_and_cards_learnt(database):
    shown = _spanish(database)
    # Only "Me gusta el café" was correct (the deleted session's message is not counted).
    assert shown.correct_words == 4
    # One card learning, one in review, one relearning after a lapse: one learnt.
    assert (shown.cards_learnt, shown.cards) == (1, 3)
    japanese = progress_service.count(database, "ja", UTC).progress
    assert (japanese.cards_learnt, japanese.correct_words, japanese.totals.words) == (1, 4, 3)


def test_a_language_never_practised_is_empty(database):
    shown = progress_service.count(database, "fr", UTC).progress
    assert shown.is_empty and shown.cards == 0


# -- CSV -------------------------------------------------------------------------------


WEEKS_CSV = (
    "language,week_start,days_practised,minutes,messages,words,checked_words,mistakes,"
    "mistakes_per_100_words,replies_judged,replies_known_share,replies_too_hard\n"
    "es,2025-03-03,2,10.5,3,11,9,1,11.11,2,0.900,1\n"
    "es,2025-03-10,0,0.0,0,0,0,0,,0,,0\n"
    "es,2025-03-17,1,3.0,1,5,5,1,20.00,1,0.960,0\n"
)
DAYS_CSV = (
    "language,date,minutes,messages,words\n"
    "es,2025-03-03,9.5,2,9\n"
    "es,2025-03-05,1.0,1,2\n"
    "es,2025-03-17,3.0,1,5\n"
)


def test_the_csv_is_for_machines_whatever_the_interface_language(database):
    use_language("de")  # a comma for decimals in the interface: not in the file
    try:
        shown = _spanish(database)
        assert weeks_csv(shown) == WEEKS_CSV
        assert days_csv(shown) == DAYS_CSV
    finally:
        use_language("en")


def test_export_writes_the_file_whole_and_private(database, tmp_path):
    shown = _spanish(database)
    path = tmp_path / "progress.csv"
    assert progress_service.export(shown, progress_service.Table.WEEKS, path) == 3
    assert path.read_bytes() == WEEKS_CSV.encode("utf-8")
    assert path.stat().st_mode & 0o777 == 0o600
    assert progress_service.export(shown, progress_service.Table.DAYS, path) == 3
    assert path.read_text("utf-8") == DAYS_CSV
    with pytest.raises(OSError):
        progress_service.export(shown, progress_service.Table.DAYS, tmp_path / "no" / "x.csv")
