"""Applying a coach result (tutor/services/coaching.py): all of it in one transaction,
or none of it; and what it changed is said once, on the change hub."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

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
from tutor.llm.coach import CoachResult
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.services.coaching import apply_check
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database, transaction
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore

GOED = "Yesterday I goed to the park"
URL = "http://127.0.0.1:8080/v1"
VERDICT = CoachVerdict(
    "Yesterday I went to the park",
    (CoachItem("goed", "went", "Go is irregular.", Category.GRAMMAR),),
    natural="Yesterday I went to the park.",
    goals_met=(0,),
)
RESULT = CoachResult(VERDICT, CoachPath.JSON_OBJECT, "coach", TokenUsage(9, 4))


@dataclass
class Stores:
    sessions: SessionStore
    corrections: CorrectionStore
    review: ReviewStore
    changes: ChangeHub = field(default_factory=ChangeHub)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "tutor.sqlite3"


@pytest.fixture
def stores(db_path):
    connection = open_database(db_path)
    yield Stores(SessionStore(connection), CorrectionStore(connection), ReviewStore(connection))
    connection.close()


def _checking_message(stores: Stores):
    session = stores.sessions.create_session(
        LearnerProfile("es", Level.A2, "en"),
        FREE_CONVERSATION,
        base_url=URL,
        model="m",
        system_message="s",
    )
    message = stores.sessions.add_message(session.id, Role.USER, GOED, checking_with="coach")
    return message


def _stored(db_path, message_id: int, session_id: int) -> dict[str, object]:
    """What another connection sees: only what was committed."""
    other = sqlite3.connect(db_path)
    try:
        return {
            "state": other.execute(
                "SELECT state FROM corrections WHERE message_id = ?", (message_id,)
            ).fetchone(),
            "marks": other.execute("SELECT COUNT(*) FROM correction_marks").fetchone()[0],
            "goals": other.execute(
                "SELECT COUNT(*) FROM goals_met WHERE session_id = ?", (session_id,)
            ).fetchone()[0],
            "paths": other.execute("SELECT COUNT(*) FROM coach_paths").fetchone()[0],
            "cards": other.execute("SELECT COUNT(*) FROM review_cards").fetchone()[0],
        }
    finally:
        other.close()


def test_a_check_stores_goals_path_correction_and_cards_and_says_so(stores, db_path):
    message = _checking_message(stores)
    heard: list[Changes] = []
    stores.changes.subscribe(heard.append)
    marks = build_marks(GOED, VERDICT)
    applied = apply_check(stores, message, "es", URL, RESULT, marks)
    assert applied.correction.state is CorrectionState.CHECKED
    assert applied.cards_added == 1 and applied.goals_met == (0,)
    assert _stored(db_path, message.id, message.session_id) == {
        "state": ("checked",),
        "marks": len(marks),
        "goals": 1,
        "paths": 1,
        "cards": 1,
    }
    assert stores.sessions.goals_met(message.session_id) == {0: message.id}
    assert stores.corrections.coach_path(URL, "coach") is CoachPath.JSON_OBJECT
    (changes,) = heard
    assert changes.session_id == message.session_id
    assert changes.what == Change.CORRECTIONS | Change.SESSIONS | Change.CARDS | Change.GOALS


@pytest.mark.parametrize(
    ("store", "method"),
    [
        ("review", "add_cards_for_message"),  # the last part
        ("corrections", "save"),  # between the path and the cards
        ("corrections", "remember_coach_path"),  # just after the goals
    ],
)
def test_a_crash_between_the_parts_of_a_check_leaves_none_of_it(
    stores, db_path, monkeypatch, store, method
):
    message = _checking_message(stores)
    heard: list[Changes] = []
    stores.changes.subscribe(heard.append)

    def crash(*_args, **_kwargs):
        raise RuntimeError("the power went out")

    monkeypatch.setattr(getattr(stores, store), method, crash)
    with pytest.raises(RuntimeError):
        apply_check(stores, message, "es", URL, RESULT, build_marks(GOED, VERDICT))
    assert _stored(db_path, message.id, message.session_id) == {
        "state": ("checking",),  # offered again at the next start, as today
        "marks": 0,
        "goals": 0,
        "paths": 0,
        "cards": 0,
    }
    assert heard == []  # nothing changed, so nothing is said
    # The connection is usable afterwards, and the check can be applied again.
    monkeypatch.undo()
    assert not stores.corrections._db.in_transaction
    applied = apply_check(stores, message, "es", URL, RESULT, build_marks(GOED, VERDICT))
    assert applied.cards_added == 1
    assert _stored(db_path, message.id, message.session_id)["state"] == ("checked",)


def test_a_nested_transaction_keeps_its_own_atomicity_and_joins_the_outer(db_path):
    connection = open_database(db_path)
    try:
        connection.execute("CREATE TABLE t (x INTEGER)")
        with transaction(connection):
            connection.execute("INSERT INTO t VALUES (1)")
            with pytest.raises(ValueError), transaction(connection):
                connection.execute("INSERT INTO t VALUES (2)")
                raise ValueError("inner part fails")
            # The inner part is undone; the outer goes on.
            assert connection.execute("SELECT x FROM t").fetchall() == [(1,)]
            with transaction(connection):
                connection.execute("INSERT INTO t VALUES (3)")
        assert not connection.in_transaction
        assert connection.execute("SELECT x FROM t ORDER BY x").fetchall() == [(1,), (3,)]
        with pytest.raises(ValueError), transaction(connection):
            with transaction(connection):
                connection.execute("INSERT INTO t VALUES (4)")
            raise ValueError("the outer fails after the inner committed its savepoint")
        assert connection.execute("SELECT x FROM t ORDER BY x").fetchall() == [(1,), (3,)]
    finally:
        connection.close()


def test_a_commit_that_fails_rolls_back_and_the_next_transaction_commits(db_path):
    connection = open_database(db_path)
    try:
        # A deferred foreign key is checked at COMMIT: the way to make COMMIT itself fail.
        connection.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)")
        connection.execute(
            "CREATE TABLE c (pid INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)"
        )
        with pytest.raises(sqlite3.IntegrityError), transaction(connection):
            connection.execute("INSERT INTO c VALUES (7)")
        assert not connection.in_transaction
        assert connection.execute("SELECT count(*) FROM c").fetchone() == (0,)
        with transaction(connection):
            connection.execute("INSERT INTO p VALUES (7)")
            connection.execute("INSERT INTO c VALUES (7)")
        assert not connection.in_transaction
        other = sqlite3.connect(db_path)  # committed: another connection sees it
        assert other.execute("SELECT count(*) FROM c").fetchone() == (1,)
        other.close()
    finally:
        connection.close()
