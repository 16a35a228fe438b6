"""Taking a turn (tutor/services/turns.py) against a real SQLite file, without Qt: what
is refused, what is stored and in which state, and what is published on the change hub."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from tutor.domain.conversation import (
    LENGTH_LIMIT,
    MessageState,
    Role,
    StreamingReply,
    TokenUsage,
    failed_reply,
    finished_reply,
)
from tutor.domain.levels import Level
from tutor.domain.message_text import MessageText, Refusal
from tutor.domain.profile import LearnerProfile
from tutor.domain.prompts import OPENING_CUE
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.services import session_actions
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.services.turns import Turns
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.sessions import SessionStore

PROFILE = LearnerProfile("es", Level.A2, "en")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "tutor.sqlite3"


@pytest.fixture
def connection(db_path):
    connection = open_database(db_path)
    yield connection
    connection.close()


@pytest.fixture
def heard():
    return []


@pytest.fixture
def hub(heard):
    hub = ChangeHub()
    hub.subscribe(heard.append)
    return hub


@pytest.fixture
def turns(connection, hub):
    return Turns(SessionStore(connection), CorrectionStore(connection), hub)


def _start(turns: Turns):
    return turns.start_session(PROFILE, FREE_CONVERSATION, base_url="http://x/v1", model="m")


def _on_disk(db_path, sql, *args):
    """Read with a second connection: only what was committed shows."""
    other = sqlite3.connect(db_path)
    try:
        return other.execute(sql, args).fetchall()
    finally:
        other.close()


def _started_reply(turns: Turns, session, history):
    started = turns.start_reply(session, history, budget_tokens=4000, model="m")
    return started, StreamingReply(started.placeholder.id, 1, "m")


def test_a_too_long_message_is_refused_in_words_and_nothing_is_stored(turns, db_path):
    session = _start(turns)
    refused = turns.accept("palabra " * 1001)
    assert isinstance(refused, Refusal)
    assert refused.reason.startswith("That message has 8,007 characters; the limit is 8,000.")
    assert _on_disk(db_path, "SELECT count(*) FROM messages WHERE session_id = ?", session.id) == [
        (0,)
    ]


def test_what_is_stored_is_the_cleaned_text(turns, db_path):
    session = _start(turns)
    accepted = turns.accept("  Hola\u202e amigo\r\n")
    assert accepted == MessageText("Hola amigo", accepted.note)
    assert accepted.note is not None and "1 invisible control character" in accepted.note
    message = turns.commit_message(session, accepted, checking_with=None)
    assert _on_disk(db_path, "SELECT text FROM messages WHERE id = ?", message.id) == [
        ("Hola amigo",)
    ]


def test_a_message_is_committed_with_its_check_started_in_one_transaction(
    turns, connection, db_path
):
    session = _start(turns)
    message = turns.commit_message(session, MessageText("Hola"), checking_with="coach")
    assert message.role is Role.USER
    assert _on_disk(
        db_path, "SELECT state, model FROM corrections WHERE message_id = ?", message.id
    ) == [("checking", "coach")]
    # When the start of the check cannot be stored, neither is the message.
    connection.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON corrections"
        " BEGIN SELECT RAISE(ABORT, 'no room'); END"
    )
    with pytest.raises(sqlite3.DatabaseError):
        turns.commit_message(session, MessageText("Adiós"), checking_with="coach")
    assert _on_disk(db_path, "SELECT text FROM messages WHERE session_id = ?", session.id) == [
        ("Hola",)
    ]


def test_the_request_is_built_before_the_reply_is_stored_as_streaming(turns, db_path):
    session = _start(turns)
    mine = turns.commit_message(session, MessageText("Hola"), checking_with=None)
    started, _reply = _started_reply(turns, session, [mine])
    assert started.request == [
        {"role": "system", "content": session.system_message},
        {"role": "user", "content": OPENING_CUE + "\n\nHola"},
    ]
    assert _on_disk(
        db_path, "SELECT role, text, state FROM messages WHERE id = ?", started.placeholder.id
    ) == [("assistant", "", "streaming")]


def test_a_length_finish_is_stored_as_cut_off_with_its_reason_and_usage(turns, db_path):
    session = _start(turns)
    _started, reply = _started_reply(turns, session, [])
    reply.add("¡Hola! Bienvenido a")
    turns.save_partial(reply)
    assert _on_disk(db_path, "SELECT text, state FROM messages") == [
        ("¡Hola! Bienvenido a", "streaming")
    ]
    reply.add(" la clase")
    turns.finish_reply(
        reply,
        finished_reply(reply.text, "length"),
        finish_reason="length",
        usage=TokenUsage(20, 5),
    )
    _session, messages = turns.open_session(session.id)
    assert [(m.text, m.state, m.finish_reason, m.error, m.usage) for m in messages] == [
        ("¡Hola! Bienvenido a la clase", MessageState.CUT_OFF, "length", LENGTH_LIMIT,
         TokenUsage(20, 5)),
    ]  # fmt: skip


def test_a_failed_reply_is_dropped_before_asking_again(turns, db_path):
    session = _start(turns)
    mine = turns.commit_message(session, MessageText("Hola"), checking_with=None)
    _started, reply = _started_reply(turns, session, [mine])
    failed = turns.finish_reply(reply, failed_reply(reply.text, "No key."))
    assert failed.state is MessageState.FAILED
    history = [mine, failed]
    assert turns.drop_failed_reply(history) == failed
    assert _on_disk(db_path, "SELECT id FROM messages") == [(mine.id,)]
    assert turns.drop_failed_reply([mine]) is None  # nothing else is ever dropped


def test_a_turn_says_what_it_changed_on_the_hub(turns, heard, connection, hub):
    session = _start(turns)
    assert heard == [Changes(Change.SESSIONS, session.id)]
    heard.clear()
    mine = turns.commit_message(session, MessageText("Hola"), checking_with="coach")
    assert heard == [Changes(Change.MESSAGES | Change.SESSIONS | Change.CORRECTIONS, session.id)]
    heard.clear()
    _started, reply = _started_reply(turns, session, [mine])
    reply.add("¡Hola!")
    turns.save_partial(reply)  # a partial save is no change anyone shows
    turns.finish_reply(reply, finished_reply(reply.text, "stop"))
    assert heard == [Changes(Change.MESSAGES | Change.SESSIONS, session.id)] * 2
    heard.clear()
    # Ending is the session action's (services/session_actions.py), as from the menu.
    stores = SimpleNamespace(sessions=SessionStore(connection), review=None, changes=hub)
    session_actions.end_session(stores, session.id, True)
    assert heard == [Changes(Change.SESSIONS | Change.GOALS, session.id)]


def test_sending_publishes_once_when_the_caller_is_done(connection):
    """The interface passes its event loop as `later`: between Enter and the request no
    view refreshes, and the message and the reply's start make one publication."""
    scheduled: list[Callable[[], None]] = []
    heard: list[Changes] = []
    hub = ChangeHub()
    hub.subscribe(heard.append)
    turns = Turns(SessionStore(connection), CorrectionStore(connection), hub, scheduled.append)
    session = _start(turns)
    mine = turns.commit_message(session, MessageText("Hola"), checking_with=None)
    _started_reply(turns, session, [mine])
    assert heard == []
    for run in scheduled:
        run()
    assert heard == [Changes(Change.SESSIONS | Change.MESSAGES, session.id)]
