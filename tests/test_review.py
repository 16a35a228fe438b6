"""Review cards without Qt: which corrections make cards, FSRS over a simulated month,
word cards, and the store's due lists and review log."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tutor.domain.conversation import Role
from tutor.domain.corrections import (
    Category,
    CoachItem,
    CoachVerdict,
    Correction,
    CorrectionState,
    Mark,
    MarkKind,
    build_marks,
)
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.review import (
    WHOLE_MESSAGE,
    Rating,
    cards_for,
    interval_words,
    new_schedule_state,
    next_intervals,
    rate,
    word_card,
)
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.i18n.translate import use_language
from tutor.store.database import open_database
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore

GOED = "Yesterday I goed to the park"
WENT = "Yesterday I went to the park"
WHY = "Go is irregular: its past is went."
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _correction(message_id: int, text: str = GOED, corrected: str = WENT) -> Correction:
    items = (CoachItem("goed", "went", WHY, Category.GRAMMAR),) if text != corrected else ()
    marks = build_marks(text, CoachVerdict(corrected, items))
    return Correction(message_id, CorrectionState.CHECKED, corrected, marks=marks)


@pytest.fixture
def connection(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    db = open_database(tmp_path / "tutor.sqlite3")
    yield db
    db.close()


@pytest.fixture
def store(connection: sqlite3.Connection) -> ReviewStore:
    return ReviewStore(connection)


def _messages(connection: sqlite3.Connection, *texts: str) -> list[int]:
    sessions = SessionStore(connection)
    session = sessions.create_session(
        LearnerProfile("en", Level.A2, "es"),
        FREE_CONVERSATION,
        base_url="http://127.0.0.1:8080/v1",
        model="m",
        system_message="s",
    )
    return [sessions.add_message(session.id, Role.USER, text).id for text in texts]


# -- which corrections make cards ----------------------------------------------------------


def test_a_corrected_message_makes_one_card_front_as_written_back_corrected():
    two = "Yesterday I goed to the parc"
    items = (
        CoachItem("goed", "went", WHY, Category.GRAMMAR),
        CoachItem("parc", "park", "English spells it with k.", Category.SPELLING),
    )
    marks = build_marks(two, CoachVerdict(WENT, items))
    assert len(marks) == 2
    correction = Correction(7, CorrectionState.CHECKED, WENT, marks=marks)

    [card] = cards_for(two, correction, "en")
    assert card.front == two
    assert card.back == WENT
    assert card.explanation == f"{WHY}\nEnglish spells it with k."
    assert card.category == "grammar"
    assert card.language == "en"
    assert (card.message_id, card.mark_position) == (7, WHOLE_MESSAGE)


def test_the_category_is_the_first_counted_marks():
    correction = _correction(1)
    dismissed = replace(correction.marks[0], dismissed=True)
    extra = Mark(20, "park", "garden", MarkKind.CHANGE, Category.VOCABULARY, "")
    correction = replace(correction, marks=(dismissed, extra))
    [card] = cards_for(GOED, correction, "en")
    assert card.category == "vocabulary"
    assert card.explanation == ""  # the dismissed mark's explanation is not repeated


@pytest.mark.parametrize(
    "change",
    [
        "all dismissed",
        "notes only",
        "no mistakes",
        "still checking",
        "failed",
    ],
)
def test_no_card_without_a_counted_change(change: str):
    correction = _correction(1)
    if change == "all dismissed":
        correction = correction.with_dismissed(0, True)
    elif change == "notes only":
        note = Mark(12, "goed", "went", MarkKind.NOTE, Category.GRAMMAR, WHY)
        correction = replace(correction, corrected_text=GOED, marks=(note,))
    elif change == "no mistakes":
        correction = _correction(1, GOED, GOED)
    elif change == "still checking":
        correction = Correction(1, CorrectionState.CHECKING)
    else:
        correction = Correction(1, CorrectionState.FAILED, error="The server had a problem.")
    assert cards_for(GOED, correction, "en") == []


def test_cards_are_stored_once_per_message_however_often_it_is_checked(
    store: ReviewStore, connection: sqlite3.Connection
):
    [message_id] = _messages(connection, GOED)
    assert store.add_cards_for_message(message_id, GOED, _correction(message_id), "en", START) == 1
    [card] = store.cards()
    rated = store.rate(card.id, Rating.GOOD, START + timedelta(minutes=1))

    # Checked again: a better correction updates what the card says, not its schedule.
    better = "Yesterday, I went to the park"
    again = _correction(message_id, GOED, better)
    assert store.add_cards_for_message(message_id, GOED, again, "en", START) == 0
    [card] = store.cards()
    assert card.back == better
    assert (card.due, card.schedule) == (rated.due, rated.schedule)

    # Every mark dismissed later: the card stays (the learner may delete it).
    dismissed = again.with_dismissed(0, True)
    assert store.add_cards_for_message(message_id, GOED, dismissed, "en", START) == 0
    assert [c.id for c in store.cards()] == [card.id]

    # A message without mistakes makes nothing.
    [clean] = _messages(connection, WENT)
    assert store.add_cards_for_message(clean, WENT, _correction(clean, WENT, WENT), "en") == 0
    assert len(store.cards()) == 1


def test_a_new_card_is_due_at_once_and_keeps_its_card_when_the_message_goes(
    store: ReviewStore, connection: sqlite3.Connection
):
    [message_id] = _messages(connection, GOED)
    store.add_cards_for_message(message_id, GOED, _correction(message_id), "en", START)
    assert store.due_count(START) == 1
    assert store.due_count(START - timedelta(seconds=1)) == 0
    [card] = store.due_cards(START)
    assert card.is_sentence and card.message_id == message_id

    connection.execute("DELETE FROM messages WHERE id = ?", (message_id,))
    [card] = store.cards()
    assert card.message_id is None and card.is_sentence and card.back == WENT


# -- FSRS ------------------------------------------------------------------------------------


def test_fsrs_wants_aware_times_and_ratings_one_to_four():
    state = new_schedule_state(START)
    with pytest.raises(ValueError):
        new_schedule_state(datetime(2025, 3, 3, 9))
    with pytest.raises(ValueError):
        rate(state, 3, datetime(2025, 3, 3, 9))
    for wrong in (0, 5):
        with pytest.raises(ValueError):
            rate(state, wrong, START)


def test_a_time_in_another_zone_is_the_same_moment():
    paris = timezone(timedelta(hours=1))
    _state, due, _log = rate(new_schedule_state(START), Rating.GOOD, START.astimezone(paris))
    assert due == START + timedelta(minutes=10)
    assert due.tzinfo is not None


def test_the_buttons_preview_grows_from_again_to_easy():
    state = new_schedule_state(START)
    for rating in (Rating.GOOD, Rating.GOOD, Rating.GOOD):
        previews = next_intervals(state, START)
        assert previews[Rating.AGAIN] <= previews[Rating.HARD] <= previews[Rating.GOOD]
        assert previews[Rating.GOOD] < previews[Rating.EASY]
        state, _due, _log = rate(state, rating, START)
    # A card the learner knows: Again still brings it back within minutes.
    assert next_intervals(state, START)[Rating.AGAIN] <= timedelta(minutes=10)


@pytest.mark.parametrize(
    ("interval", "words"),
    [
        (timedelta(seconds=20), "1 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(hours=5), "5 h"),
        (timedelta(days=3), "3 d"),
        (timedelta(days=61), "2 mo"),
        (timedelta(days=365), "1 y"),
        (timedelta(days=548), "1.5 y"),
    ],
)
def test_intervals_in_words(interval: timedelta, words: str):
    assert interval_words(interval) == words


def test_an_interval_is_written_with_the_interface_languages_decimal_sign():
    use_language("de")
    try:
        assert "1,5" in interval_words(timedelta(days=548))
    finally:
        use_language("en")


# Each card's learner: how they rate it, given how many times they have seen it.
PATTERNS = {
    "good": lambda seen: Rating.GOOD,
    "easy": lambda seen: Rating.EASY,
    # Hard keeps a card in its learning step, so this learner first learns it.
    "hard": lambda seen: Rating.GOOD if seen < 2 else Rating.HARD,
    # Learnt, then forgotten once on the fourth review, then learnt again.
    "lapse": lambda seen: Rating.AGAIN if seen == 3 else Rating.GOOD,
}
CARD_PATTERNS = ["good"] * 3 + ["easy"] * 2 + ["hard"] * 2 + ["lapse"] * 3


def test_a_simulated_month_of_daily_reviews(store: ReviewStore, connection: sqlite3.Connection):
    random.seed(20250303)  # fsrs fuzzes long intervals with `random`
    texts = [f"Yesterday I goed to the park {n}" for n in range(10)]
    for message_id, text in zip(_messages(connection, *texts), texts, strict=True):
        corrected = text.replace("goed", "went")
        assert store.add_cards_for_message(
            message_id, text, _correction(message_id, text, corrected), "en", START
        )
    cards = store.cards()
    pattern = {card.id: CARD_PATTERNS[n] for n, card in enumerate(cards)}
    # (rating, how long until the card came due again) for each review of each card
    history: dict[int, list[tuple[Rating, timedelta]]] = {card.id: [] for card in cards}
    due_per_day: list[int] = []
    given = 0

    for day in range(31):
        now = START + timedelta(days=day)
        end = now + timedelta(hours=1)
        # Cards rated at 9:10 come back at 9:10: count what this sitting will see.
        due_per_day.append(store.due_count(end))
        # A sitting: review what is due, wait ten minutes for the cards in their
        # learning steps to come back, until nothing is left (or an hour has gone).
        while now < end:
            for card in store.due_cards(now):
                rating = PATTERNS[pattern[card.id]](len(history[card.id]))
                rated = store.rate(card.id, rating, now)
                history[card.id].append((rating, rated.due - now))
                given += 1
                assert rated.due > now
            now += timedelta(minutes=10)
        assert store.due_count(end) == 0, f"day {day}: cards left at the end of a sitting"

    # Every rating is in the review log, in order.
    reviews = store.reviews()
    assert len(reviews) == given
    for card in cards:
        logged = [r.rating for r in store.reviews(card.id)]
        assert logged == [rating for rating, _ in history[card.id]]

    one_day = timedelta(days=1)
    for card in cards:
        seen = history[card.id]
        kind = pattern[card.id]
        assert len(seen) >= 2, f"{kind} card reviewed only {len(seen)} times in a month"
        long_gaps = [gap for _, gap in seen if gap >= one_day]
        if kind in ("good", "easy", "hard"):
            # Once learnt, each review pushes the next one further away.
            assert long_gaps == sorted(long_gaps) and len(set(long_gaps)) == len(long_gaps)
            assert long_gaps[-1] >= timedelta(days=10)
        if kind == "lapse":
            again = [gap for rating, gap in seen if rating is Rating.AGAIN]
            assert again and all(gap <= timedelta(minutes=10) for gap in again)
            assert any(gap >= one_day for _, gap in seen[: seen.index((Rating.AGAIN, again[0]))])

    def gaps(kind: str) -> list[timedelta]:
        card_id = next(c for c, k in pattern.items() if k == kind)
        return [gap for _, gap in history[card_id]]

    # Easy at once schedules further than Good twice. (Hard against Good is checked on
    # the buttons' previews: fuzz can put one fuzzed interval either side of the other.)
    assert gaps("easy")[0] > gaps("good")[1]
    # All ten are due on the first day, none on the next (Good's first long step is two
    # days), and after that only a few on a day, on many days none.
    assert due_per_day[0] == 10
    assert due_per_day[1] == 0
    assert all(count <= 8 for count in due_per_day[1:])
    assert sum(1 for count in due_per_day[1:] if count == 0) >= 10
    assert sum(due_per_day[1:]) < 10 * 30 / 3
    # Hard cards come back more often than easy ones.
    reviews_of = {k: max(len(history[c]) for c, p in pattern.items() if p == k) for k in PATTERNS}
    assert reviews_of["hard"] > reviews_of["easy"]


# -- words ---------------------------------------------------------------------------------


def test_word_cards(store: ReviewStore):
    card = store.add_word("es", "  la mochila ", "the backpack", START)
    assert (card.front, card.back, card.language) == ("la mochila", "the backpack", "es")
    assert card.category == "vocabulary" and not card.is_sentence
    assert card.message_id is None and card.due == START

    # Saved again: the same card, its meaning updated.
    same = store.add_word("es", "la mochila", "the backpack, the rucksack", START)
    assert same.id == card.id and same.back == "the backpack, the rucksack"
    other = store.add_word("it", "la mochila", "?", START)
    assert other.id != card.id
    with pytest.raises(ValueError):
        word_card("es", "  ", "nothing")


def test_due_cards_oldest_first_by_language_with_a_limit_and_delete(store: ReviewStore):
    later = store.add_word("es", "el perro", "the dog", START + timedelta(hours=1))
    first = store.add_word("es", "el gato", "the cat", START)
    french = store.add_word("fr", "le chat", "the cat", START + timedelta(minutes=30))
    now = START + timedelta(hours=2)

    assert [c.id for c in store.due_cards(now)] == [first.id, french.id, later.id]
    assert [c.id for c in store.due_cards(now, "es")] == [first.id, later.id]
    assert [c.id for c in store.due_cards(now, limit=1)] == [first.id]
    assert store.due_count(now) == 3 and store.due_count(now, "fr") == 1
    assert store.next_due() == START and store.next_due("fr") == french.due

    store.rate(first.id, Rating.EASY, now)
    assert store.due_count(now) == 2
    assert len(store.reviews(first.id)) == 1
    store.delete(first.id)
    assert [c.id for c in store.cards()] == [later.id, french.id]
    assert store.reviews() == []  # its log went with it
    with pytest.raises(KeyError):
        store.card(first.id)
