"""The review use case: what is due, a rating that moves the card on and tells the views."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.review import Rating
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.services.review import Reviewing, retry_profile
from tutor.store.database import open_database
from tutor.store.review_cards import ReviewStore

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def connection(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    db = open_database(tmp_path / "tutor.sqlite3")
    yield db
    db.close()


def test_rating_the_due_cards_one_by_one_until_none_is_due(connection: sqlite3.Connection):
    store = ReviewStore(connection)
    hub = ChangeHub()
    heard: list[Changes] = []
    hub.subscribe(heard.append)
    reviewing = Reviewing(store, hub)
    assert reviewing.due_now(START) == (None, 0)
    assert reviewing.next_due() is None

    store.add_word("es", "la mochila", "the backpack", START)
    store.add_word("es", "el lápiz", "the pencil", START + timedelta(seconds=1))
    now = START + timedelta(minutes=1)
    first = reviewing.due_now(now)
    assert first.due == 2 and first.card is not None and first.card.front == "la mochila"

    assert reviewing.rate(first.card, Rating.GOOD, now) == 1
    assert [c.what for c in heard] == [Change.CARDS]
    second = reviewing.due_now(now)
    assert second.card is not None and second.card.front == "el lápiz"
    assert reviewing.rate(second.card, Rating.EASY, now) == 0
    assert reviewing.due_now(now) == (None, 0)
    upcoming = reviewing.next_due()
    assert upcoming is not None and upcoming > now


def test_a_retried_sentence_is_checked_in_the_cards_language_at_the_learners_level():
    learner = LearnerProfile("es", Level.B1, "ko")
    assert retry_profile(learner, "ja") == LearnerProfile("ja", Level.B1, "ko")
    assert retry_profile(None, "fr") == LearnerProfile("fr", Level.A2, "en")
