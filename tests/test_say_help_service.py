"""Asking for "how do I say…?", hints and simpler wordings (tutor/services/say_help.py)
against the test server: never a turn (the partner gets no request, the coach is not
asked, no message is stored), kept once, counted in the report, failures in words."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.openai_server import OpenAITestServer, ScriptedReply
from tutor.domain.conversation import Role, TokenUsage
from tutor.domain.corrections import CoachPath
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.say_help import HelpTask, Suggestion
from tutor.domain.scenarios import FREE_CONVERSATION, Scenario
from tutor.domain.session import PracticeSession
from tutor.llm.client import ServerConfig, Timeouts
from tutor.llm.errors import LlmError
from tutor.llm.factory import ClientFactory
from tutor.services.say_help import (
    HelpCall,
    help_failure,
    hint_call,
    keep_help,
    kept_help,
    kept_simpler,
    run_help,
    say_call,
    simpler_call,
)
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.help_answers import HelpAnswerStore
from tutor.store.sessions import SessionStore

PROFILE = LearnerProfile("es", Level.A2, "en")
CAFE = Scenario(
    "cafe", "At the café", "waiter", "a café", goals=("Greet the waiter", "Order a coffee")
)


@dataclass
class Context:
    sessions: SessionStore
    corrections: CorrectionStore
    help_answers: HelpAnswerStore
    base_url: str
    clients: ClientFactory = field(default_factory=lambda: ClientFactory(Timeouts(2, 2)))

    def server_address(self) -> tuple[str, str] | None:
        return (self.base_url, "partner-model")

    def coach_model(self) -> str | None:
        return "coach-model"

    def server_config(self) -> ServerConfig | None:
        return ServerConfig(self.base_url, "partner-model")


@pytest.fixture
def context(tmp_path: Path, server: OpenAITestServer) -> Iterator[Context]:
    connection = open_database(tmp_path / "tutor.sqlite3")
    yield Context(
        SessionStore(connection),
        CorrectionStore(connection),
        HelpAnswerStore(connection),
        server.base_url,
    )
    connection.close()


def _session(context: Context, scenario: Scenario = FREE_CONVERSATION) -> PracticeSession:
    session = context.sessions.create_session(
        PROFILE, scenario, base_url=context.base_url, model="partner-model", system_message="s"
    )
    context.sessions.add_message(session.id, Role.ASSISTANT, "¡Hola! ¿Qué quieres tomar?")
    return session


def _ask(context: Context, call: HelpCall | None):
    assert call is not None
    return keep_help(context.help_answers, call, run_help(context, call))


def test_how_do_i_say_is_never_a_turn_and_is_kept_once(
    context: Context, server: OpenAITestServer
) -> None:
    session = _session(context)
    call = say_call(context, session, " I'd like the bill ")
    shown = _ask(context, call)

    assert shown.suggestions[0].text == "Se dice: I'd like the bill"
    assert shown.suggestions[0].note == "English note, A2: polite"
    (request,) = server.task_requests("say")
    assert request["model"] == "coach-model"
    assert server.partner_requests() == [] and server.coach_requests() == []
    assert len(context.sessions.messages(session.id)) == 1  # no message stored
    assert call is not None and kept_help(context.help_answers, call) == shown
    assert len(server.task_requests("say")) == 1


def test_a_hint_answers_the_partner_and_leans_toward_the_next_open_goal(
    context: Context, server: OpenAITestServer
) -> None:
    session = _session(context, CAFE)
    messages = context.sessions.messages(session.id)
    context.sessions.mark_goal_met(session.id, 0, messages[0].id)

    call = hint_call(context, session, messages)
    assert call is not None and call.message_id == messages[0].id
    shown = _ask(context, call)

    assert len(shown.suggestions) == 3
    assert shown.suggestions[0] == Suggestion(
        "Quiero Order a coffee", "(English) I want: Order a coffee"
    )
    asked = server.task_requests("hint")[0]["messages"][-1]["content"]
    assert '"next_goal": "Order a coffee"' in asked
    assert server.partner_requests() == [] and server.coach_requests() == []


def test_no_hint_without_a_partner_message_waiting(context: Context) -> None:
    session = _session(context)
    context.sessions.add_message(session.id, Role.USER, "Un café")
    assert hint_call(context, session, context.sessions.messages(session.id)) is None


def test_a_simpler_wording_is_kept_for_its_reply_and_counted_in_the_report(
    context: Context, server: OpenAITestServer
) -> None:
    session = _session(context)
    reply = context.sessions.messages(session.id)[0]
    server.enqueue_task(
        "simplify",
        ScriptedReply(text='{"simpler": "¿Qué quieres?"}', prompt_tokens=40, completion_tokens=7),
    )
    shown = _ask(context, simpler_call(context, session, reply))

    assert shown.task is HelpTask.SIMPLIFY and shown.simpler == "¿Qué quieres?"
    assert kept_simpler(context.help_answers, session.id) == {reply.id: "¿Qué quieres?"}
    # What the session's report counts as its help requests' tokens.
    assert context.help_answers.tokens(session.id) == TokenUsage(40, 7)
    assert [m.text for m in context.sessions.messages(session.id)] == [reply.text]


def test_a_malformed_answer_falls_back_then_fails_in_words(
    context: Context, server: OpenAITestServer
) -> None:
    session = _session(context)
    server.enqueue_task("say", *[ScriptedReply(text="La cuenta, por favor.")] * 3)
    call = say_call(context, session, "the bill")
    assert call is not None and call.first_path is CoachPath.JSON_SCHEMA
    with pytest.raises(LlmError) as raised:
        run_help(context, call)
    assert str(raised.value) == (
        "Tutor could not find how to say it: The answer holds no JSON object."
    )
    assert len(server.task_requests("say")) == 3  # schema, object, plain
    assert kept_help(context.help_answers, call) is None


def test_a_refused_format_moves_down_a_path(context: Context, server: OpenAITestServer) -> None:
    server.refused_response_formats = {"json_schema"}
    session = _session(context)
    shown = _ask(context, say_call(context, session, "hello"))
    assert shown.suggestions[0].text == "Se dice: hello"
    formats = [r.get("response_format", {}).get("type") for r in server.task_requests("say")]
    assert formats == ["json_schema", "json_object"]


def test_a_dead_server_is_explained(context: Context, server: OpenAITestServer) -> None:
    session = _session(context)
    call = say_call(context, session, "hello")
    assert call is not None
    server.stop()
    with pytest.raises(LlmError) as raised:
        run_help(context, call)
    words = help_failure(raised.value, call, context.base_url)
    assert "127.0.0.1" in words or "connect" in words.casefold()
    assert len(context.sessions.messages(session.id)) == 1
