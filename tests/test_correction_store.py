"""Corrections in SQLite: saved with their marks, failed with a reason, dismissed, recovered."""

from __future__ import annotations

import sqlite3

import pytest

from tutor.domain.conversation import Role, TokenUsage
from tutor.domain.corrections import (
    Category,
    CoachItem,
    CoachPath,
    CoachVerdict,
    CorrectionState,
    build_marks,
)
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.store.corrections import INTERRUPTED, CorrectionStore
from tutor.store.database import open_database
from tutor.store.sessions import SessionStore

GOED = "Yesterday I goed to the park"
VERDICT = CoachVerdict(
    "Yesterday I went to the park",
    (CoachItem("goed", "went", "Go is irregular.", Category.GRAMMAR),),
    natural="Yesterday I went to the park.",
)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "tutor.sqlite3"


@pytest.fixture
def stores(db_path):
    connection = open_database(db_path)
    yield SessionStore(connection), CorrectionStore(connection)
    connection.close()


def _learner_message(sessions: SessionStore, text: str = GOED):
    session = sessions.create_session(
        LearnerProfile("es", Level.A2, "en"),
        FREE_CONVERSATION,
        base_url="http://127.0.0.1:8080/v1",
        model="m",
        system_message="s",
    )
    return sessions.add_message(session.id, Role.USER, text)


def test_a_started_check_is_on_disk_before_the_request_leaves(stores, db_path):
    sessions, corrections = stores
    message = _learner_message(sessions)
    checking = corrections.begin(message.id, "coach-model")
    assert checking.state is CorrectionState.CHECKING
    other = sqlite3.connect(db_path)
    try:
        row = other.execute("SELECT state, model FROM corrections").fetchone()
    finally:
        other.close()
    assert row == ("checking", "coach-model")


def test_a_saved_correction_comes_back_with_its_marks_path_and_model(stores):
    sessions, corrections = stores
    message = _learner_message(sessions)
    corrections.begin(message.id, "m")
    marks = build_marks(GOED, VERDICT)
    saved = corrections.save(
        message.id, VERDICT, marks, model="m", path=CoachPath.JSON_OBJECT, usage=TokenUsage(9, 4)
    )
    assert saved.state is CorrectionState.CHECKED
    assert saved.corrected_text == "Yesterday I went to the park"
    assert saved.natural_text == "Yesterday I went to the park."
    assert saved.marks == marks
    assert saved.path is CoachPath.JSON_OBJECT and saved.model == "m"
    assert saved.mistake_count == 1


def test_messages_of_a_session_carry_their_corrections(stores):
    sessions, corrections = stores
    message = _learner_message(sessions)
    corrections.save(
        message.id, VERDICT, build_marks(GOED, VERDICT), model="m", path=CoachPath.PLAIN, usage=None
    )
    (shown,) = corrections.attach(sessions.messages(message.session_id))
    assert shown.correction is not None
    assert shown.correction.marks[0].original == "goed"


def test_a_failed_check_keeps_its_reason_and_a_later_check_replaces_it(stores):
    sessions, corrections = stores
    message = _learner_message(sessions)
    corrections.fail(message.id, "The server had a problem (500).", "m")
    failed = corrections.correction(message.id)
    assert failed is not None and failed.state is CorrectionState.FAILED
    assert failed.error == "The server had a problem (500)."
    corrections.begin(message.id, "m")
    corrections.save(message.id, VERDICT, (), model="m", path=CoachPath.PLAIN, usage=None)
    again = corrections.correction(message.id)
    assert again is not None and again.state is CorrectionState.CHECKED and again.error is None


def test_dismissing_a_mark_is_kept_and_can_be_taken_back(stores):
    sessions, corrections = stores
    message = _learner_message(sessions)
    corrections.save(
        message.id, VERDICT, build_marks(GOED, VERDICT), model="m", path=CoachPath.PLAIN, usage=None
    )
    corrections.set_dismissed(message.id, 0, True)
    found = corrections.correction(message.id)
    assert found is not None and found.marks[0].dismissed and found.mistake_count == 0
    corrections.set_dismissed(message.id, 0, False)
    found = corrections.correction(message.id)
    assert found is not None and found.mistake_count == 1


def test_checks_left_running_by_a_crash_become_failed_with_a_reason(stores):
    sessions, corrections = stores
    message = _learner_message(sessions)
    corrections.begin(message.id, "m")
    assert corrections.mark_interrupted_checks() == 1
    found = corrections.correction(message.id)
    assert found is not None and found.state is CorrectionState.FAILED
    assert found.error == INTERRUPTED


def test_the_path_that_worked_is_remembered_per_server_and_model(stores):
    _sessions, corrections = stores
    assert corrections.coach_path("http://a/v1", "m") is None
    corrections.remember_coach_path("http://a/v1", "m", CoachPath.JSON_OBJECT)
    corrections.remember_coach_path("http://a/v1", "m", CoachPath.PLAIN)
    corrections.remember_coach_path("http://b/v1", "m", CoachPath.JSON_SCHEMA)
    assert corrections.coach_path("http://a/v1", "m") is CoachPath.PLAIN
    assert corrections.coach_path("http://a/v1", "other") is None
    assert corrections.coach_path("http://b/v1", "m") is CoachPath.JSON_SCHEMA


def test_deleting_a_message_deletes_its_correction_and_marks(stores, db_path):
    sessions, corrections = stores
    message = _learner_message(sessions)
    corrections.save(
        message.id, VERDICT, build_marks(GOED, VERDICT), model="m", path=CoachPath.PLAIN, usage=None
    )
    sessions.delete_message(message.id)
    assert corrections.correction(message.id) is None
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("SELECT COUNT(*) FROM correction_marks").fetchone() == (0,)
    finally:
        other.close()


def test_a_message_and_the_start_of_its_check_are_one_transaction(stores, db_path):
    sessions, _corrections = stores
    session_id = _learner_message(sessions).session_id
    message = sessions.add_message(session_id, Role.USER, "Hola", checking_with="coach")
    other = sqlite3.connect(db_path)
    try:
        row = other.execute(
            "SELECT state, model FROM corrections WHERE message_id = ?", (message.id,)
        ).fetchone()
    finally:
        other.close()
    assert row == ("checking", "coach")
    # When the check cannot be recorded, the message is not stored either.
    sessions._db.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON corrections"
        " BEGIN SELECT RAISE(ABORT, 'no room'); END"
    )
    before = len(sessions.messages(session_id))
    with pytest.raises(sqlite3.IntegrityError):
        sessions.add_message(session_id, Role.USER, "Adiós", checking_with="coach")
    assert len(sessions.messages(session_id)) == before
