"""Reading aids per session: the default a new session gets, the choice kept with the
session on disk, and the use case that changes it (tutor/services/reading_aids.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.reading_aids import shown_by_default
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.services.reading_aids import show_reading_aids
from tutor.services.turns import Turns
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.sessions import SessionStore


@pytest.mark.parametrize(
    ("target", "level", "native", "shown"),
    [
        ("zh", "A1", "en", True),
        ("ja", "A2", "es", True),
        ("ko", "A1", "de", True),
        ("ja", "A1", "zh", True),  # knows the kanji, not how Japanese reads them
        ("zh", "A2", "ja", True),  # knows the characters, not pinyin
        ("zh", "B1", "en", False),  # expected to read the script from B1 on
        ("ja", "C2", "en", False),
        ("es", "A1", "en", False),  # no aid for Spanish
        ("zh", "A1", "zh", False),  # their own language
        ("zh-Hant", "A1", "zh-Hans", False),
    ],
)
def test_a_new_session_shows_readings_for_a_beginner_in_a_language_with_an_aid(
    target: str, level: str, native: str, shown: bool
) -> None:
    assert shown_by_default(target, level, native) is shown


@pytest.fixture
def store(tmp_path: Path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    yield SessionStore(connection)
    connection.close()


def _start(store: SessionStore, profile: LearnerProfile):
    turns = Turns(store, CorrectionStore(store._db), ChangeHub())
    return turns.start_session(profile, FREE_CONVERSATION, base_url="http://x/v1", model="m")


def test_a_session_starts_with_its_default(store: SessionStore) -> None:
    assert _start(store, LearnerProfile("zh", Level.A1, "en")).reading_aids is True
    assert _start(store, LearnerProfile("zh", Level.B2, "en")).reading_aids is False
    assert _start(store, LearnerProfile("es", Level.A1, "en")).reading_aids is False


def test_the_choice_is_kept_with_the_session_and_published(tmp_path: Path) -> None:
    path = tmp_path / "tutor.sqlite3"
    connection = open_database(path)
    store = SessionStore(connection)
    session = _start(store, LearnerProfile("ja", Level.B1, "en"))
    heard: list[Changes] = []
    hub = ChangeHub()
    hub.subscribe(heard.append)
    context = SimpleNamespace(sessions=store, changes=hub)

    changed = show_reading_aids(context, session.id, True)

    assert changed.reading_aids is True
    assert heard == [Changes(Change.SESSIONS, session.id)]
    connection.close()
    again = open_database(path)  # as the next start reads it
    try:
        reopened = SessionStore(again).session(session.id)
        assert reopened.reading_aids is True
        assert SessionStore(again).sessions()[0].reading_aids is True
        show_reading_aids(
            SimpleNamespace(sessions=SessionStore(again), changes=hub), session.id, False
        )
        assert SessionStore(again).session(session.id).reading_aids is False
    finally:
        again.close()
