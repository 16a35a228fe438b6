"""Spoken messages below the interface: stored as spoken, their recordings kept with
them and removed with their session, and checked by the coach as speech."""

from __future__ import annotations

import json
import stat

import pytest

from tutor.domain.coach_prompt import coach_messages
from tutor.domain.conversation import Role
from tutor.domain.corrections import (
    Category,
    CoachItem,
    CoachPath,
    CoachVerdict,
    CorrectionStyle,
    build_marks,
)
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.speech_check import marks_for_speech
from tutor.services.changes import ChangeHub
from tutor.services.turns import Turns
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.recordings import RecordingStore
from tutor.store.sessions import SessionStore

PROFILE = LearnerProfile("es", Level.A2, "en")


@pytest.fixture
def stores(tmp_path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    yield SessionStore(connection), CorrectionStore(connection)
    connection.close()


def test_a_spoken_message_is_stored_and_read_back_as_spoken_a_typed_one_not(stores):
    sessions, corrections = stores
    turns = Turns(sessions, corrections, ChangeHub())
    session = turns.start_session(PROFILE, FREE_CONVERSATION, base_url="u", model="m")
    spoken = turns.accept("hola me llamo Ana", spoken=True)
    typed = turns.accept("Hola, me llamo Ana.")
    said = turns.commit_message(session, spoken, checking_with=None)  # type: ignore[arg-type]
    wrote = turns.commit_message(session, typed, checking_with=None)  # type: ignore[arg-type]
    assert said.spoken and not wrote.spoken
    read = sessions.messages(session.id)
    assert [(m.role, m.spoken) for m in read] == [(Role.USER, True), (Role.USER, False)]
    assert sessions.message(said.id).spoken


def test_recordings_are_kept_per_message_privately_and_deleted_per_message_or_session(tmp_path):
    store = RecordingStore.in_data_folder(tmp_path)
    path = store.save(3, 41, b"RIFF....WAVE")
    store.save(3, 42, b"RIFF....WAVE")
    store.save(4, 50, b"RIFF....WAVE")
    assert path == tmp_path / "recordings" / "3" / "41.wav"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.has(3, 41) and store.kept_in(3) == {41, 42}
    assert store.delete(3, 41) and not store.has(3, 41) and not store.delete(3, 41)
    assert store.delete_session(3) == 1 and store.kept_in(3) == set()
    assert not (tmp_path / "recordings" / "3").exists() and store.has(4, 50)


def test_recordings_of_purged_sessions_go_those_awaiting_undo_stay(stores, tmp_path):
    sessions, _corrections = stores
    kept = sessions.create_session(
        PROFILE, FREE_CONVERSATION, base_url="", model="", system_message=""
    )
    undoable = sessions.create_session(
        PROFILE, FREE_CONVERSATION, base_url="", model="", system_message=""
    )
    purged = sessions.create_session(
        PROFILE, FREE_CONVERSATION, base_url="", model="", system_message=""
    )
    store = RecordingStore.in_data_folder(tmp_path)
    for session in (kept, undoable, purged):
        store.save(session.id, 1, b"RIFF")
    sessions.delete_session(purged.id)
    sessions.purge_deleted()
    sessions.delete_session(undoable.id)
    assert store.keep_only(sessions.session_ids()) == 1
    assert store.has(kept.id, 1) and store.has(undoable.id, 1) and not store.has(purged.id, 1)


def test_the_app_removes_recordings_of_sessions_purged_at_start(tmp_path):
    from tutor.app import build_context
    from tutor.cli.arguments import parse_arguments

    options = parse_arguments(["--data-dir", str(tmp_path)])
    context, _notice = build_context(options, {})
    session = context.sessions.create_session(
        PROFILE, FREE_CONVERSATION, base_url="", model="", system_message=""
    )
    store = RecordingStore.in_data_folder(tmp_path)
    store.save(session.id, 7, b"RIFF")
    context.sessions.delete_session(session.id)
    context.sessions.close()
    context, _notice = build_context(options, {})
    context.sessions.close()
    assert not store.has(session.id, 7)


def _request(spoken: bool) -> tuple[str, dict[str, object]]:
    system, user = coach_messages(
        PROFILE, CorrectionStyle(), "hola me llamo ana", "", CoachPath.JSON_SCHEMA, spoken=spoken
    )
    return system["content"], json.loads(user["content"])


def test_the_coach_is_told_a_spoken_message_is_speech_and_a_typed_one_not():
    rules, question = _request(spoken=True)
    assert "said this message aloud" in rules and "do not flag them" in rules
    assert question["said_aloud"] is True and question["learner_wrote"] == "hola me llamo ana"
    rules, question = _request(spoken=False)
    assert "aloud" not in rules and "said_aloud" not in question


def test_marks_of_punctuation_capitals_and_spelling_are_dropped_for_speech_only():
    text = "hola me llamo ana y tengo veinte ano"
    verdict = CoachVerdict(
        "Hola, me llamo Ana y tengo veinte años.",
        (
            CoachItem("hola", "Hola,", "Capital and comma.", Category.PUNCTUATION),
            CoachItem("ana", "Ana", "Names take a capital.", Category.SPELLING),
            CoachItem("ano", "años", "Año, plural: años.", Category.GRAMMAR),
        ),
    )
    marks = build_marks(text, verdict)
    kept = marks_for_speech(marks)
    assert [m.category for m in kept] == [Category.GRAMMAR]
    assert kept[0].original.startswith("ano") or "ano" in kept[0].original
    assert len(marks) > len(kept)
