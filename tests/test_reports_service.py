"""A session's report as a use case (tutor/services/reports.py), without Qt: made and kept
the first time, read back after; the summary asked of a real (local, scripted) server and
kept, or why it failed kept; every write said on the change hub as Change.REPORTS."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.openai_server import OpenAITestServer, ScriptedReply
from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.session import PracticeSession
from tutor.llm.client import ServerConfig
from tutor.llm.errors import LlmError
from tutor.llm.factory import ClientFactory
from tutor.services import reports
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.services.server import NO_SERVER
from tutor.store.database import open_database
from tutor.store.help_answers import HelpAnswerStore
from tutor.store.learner_facts import LearnerFactStore
from tutor.store.reports import ReportStore
from tutor.store.sessions import SessionStore

LOCAL = "http://127.0.0.1:8080/v1"


@dataclass
class Context:
    """The parts of the application context the report use cases need."""

    reports: ReportStore
    sessions: SessionStore
    help_answers: HelpAnswerStore
    learner_facts: LearnerFactStore
    server: ServerConfig | None = None
    clients: ClientFactory = field(default_factory=ClientFactory)
    changes: ChangeHub = field(default_factory=ChangeHub)
    heard: list[Changes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.changes.subscribe(self.heard.append)

    def server_config(self) -> ServerConfig | None:
        return self.server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tutor.sqlite3"


@pytest.fixture
def context(db_path: Path) -> Iterator[Context]:
    connection = open_database(db_path)
    yield Context(
        ReportStore(connection),
        SessionStore(connection),
        HelpAnswerStore(connection),
        LearnerFactStore(connection),
    )
    connection.close()


def _session(context: Context, *learner_lines: str) -> tuple[PracticeSession, list[ChatMessage]]:
    session = context.sessions.create_session(
        LearnerProfile("es", Level.A2, "en"),
        FREE_CONVERSATION,
        base_url=LOCAL,
        model="m",
        system_message="s",
    )
    for line in learner_lines:
        context.sessions.add_message(session.id, Role.USER, line)
        context.sessions.add_message(session.id, Role.ASSISTANT, "¡Muy bien!")
    return session, context.sessions.messages(session.id)


def _kept_rows(db_path: Path) -> list[tuple[int, str | None, str | None]]:
    """What another connection sees: only what was committed."""
    other = sqlite3.connect(db_path)
    try:
        return other.execute(
            "SELECT session_id, summary, summary_error FROM session_reports"
        ).fetchall()
    finally:
        other.close()


def test_a_report_is_made_kept_and_said_once_then_read_back(context: Context, db_path: Path):
    _session(context, "hola amigo")  # an earlier session: its words are known
    session, messages = _session(context, "hola gato", "el gato come")

    report, new = reports.open_report(context, session, messages)
    assert new and report.summary is None and report.summary_error is None
    assert report.figures.turns == 2
    assert report.figures.new_words == ("come", "el", "gato")  # "hola" was known before
    assert report.figures.cost.dollars == 0.0  # a model on this computer
    assert [(c.what, c.session_id) for c in context.heard] == [(Change.REPORTS, session.id)]
    assert _kept_rows(db_path) == [(session.id, None, None)]

    # Opened again, it is the report as kept, figures and all; nothing is written or said.
    context.sessions.add_message(session.id, Role.USER, "una palabra nueva")
    again, new = reports.open_report(context, session, context.sessions.messages(session.id))
    assert not new and again == report
    assert len(context.heard) == 1


def test_a_summary_asked_of_the_server_is_kept_with_the_figures(context: Context, db_path: Path):
    session, messages = _session(context, "Ayer fue al parque.")
    report, _ = reports.open_report(context, session, messages)
    first = messages[0].id
    answer = {
        "went_well": "Escribes frases claras.",
        "patterns": [{"text": "El pretérito de ir.", "message_ids": [first, 999]}],
    }
    with OpenAITestServer() as server:
        server.enqueue_summary(ScriptedReply(text=json.dumps(answer, ensure_ascii=False)))
        context.server = ServerConfig(server.base_url, "coach")
        summary = reports.ask_summary(context, "coach", session.profile, messages)
        assert server.summary_requests()[-1]["model"] == "coach"
    assert _kept_rows(db_path) == [(session.id, None, None)]  # asking writes nothing
    assert len(context.heard) == 1

    kept = reports.keep_summary(context, report, summary, "coach")
    assert kept.figures == report.figures
    assert kept.summary is not None and kept.summary.went_well == "Escribes frases claras."
    assert kept.summary.patterns[0].message_ids == (first,)  # not a message of theirs: dropped
    assert context.heard[-1] == Changes(Change.REPORTS, session.id)
    assert reports.open_report(context, session, messages) == (kept, False)


def test_without_a_server_no_summary_and_why_is_kept(context: Context, db_path: Path):
    session, messages = _session(context, "Hola.")
    report, _ = reports.open_report(context, session, messages)
    with pytest.raises(LlmError, match=NO_SERVER):
        reports.ask_summary(context, "coach", session.profile, messages)

    with OpenAITestServer() as server:
        server.enqueue_summary(ScriptedReply(status=500))
        context.server = ServerConfig(server.base_url, "coach")
        with pytest.raises(Exception) as caught:
            reports.ask_summary(context, "coach", session.profile, messages)
    kept = reports.keep_failed_summary(context, session, report, caught.value)
    assert kept.summary is None and kept.figures == report.figures
    assert kept.summary_error is not None and "The server had a problem (500)" in kept.summary_error
    assert context.heard[-1] == Changes(Change.REPORTS, session.id)
    assert _kept_rows(db_path) == [(session.id, None, kept.summary_error)]
