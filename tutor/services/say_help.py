"""Help with what the learner wants to say: "how do I say…?", a hint for the next reply,
and a partner's reply said more simply, on the coach's model.

Each answer is asked once and kept with the session (tutor/store/help_answers.py, whose
tokens the session's report counts); asking again reads it back. None of it is a turn:
nothing here writes a message, sends anything to the partner or asks the coach, so a
failure leaves the conversation exactly as it was.

A simpler wording is shown in place of the reply, but the history sent to the partner
keeps what the partner really said (tutor/domain/conversation.py is not told about it):
the learner expects the partner to remember its own words, and a partner shown a
reply it never wrote would contradict or repeat itself.

The interface runs `run_help` on a pool thread (it reads the keyring and waits on the
network) and keeps the answer on the GUI thread (`keep_help`), where the store is
written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import CoachPath
from tutor.domain.say_help import (
    HelpAnswerError,
    HelpTask,
    Suggestion,
    parse_simpler,
    parse_suggestions,
    simpler_json,
    suggestions_json,
)
from tutor.domain.say_prompt import HelpQuestion, hint_turns
from tutor.domain.session import PracticeSession
from tutor.llm.client import ServerConfig
from tutor.llm.errors import explain
from tutor.llm.factory import ClientFactory
from tutor.llm.help_say import HelpResult, ask_help
from tutor.services.coaching import open_goals
from tutor.services.server import current_client
from tutor.store.corrections import CorrectionStore
from tutor.store.help_answers import HelpAnswerStore
from tutor.store.sessions import SessionStore

log = logging.getLogger(__name__)


class HelpContext(Protocol):
    """What help needs of the application (the interface's context has all of it)."""

    @property
    def sessions(self) -> SessionStore: ...
    @property
    def corrections(self) -> CorrectionStore: ...
    @property
    def help_answers(self) -> HelpAnswerStore: ...
    @property
    def clients(self) -> ClientFactory: ...
    def server_address(self) -> tuple[str, str] | None: ...
    def coach_model(self) -> str | None: ...
    def server_config(self) -> ServerConfig | None: ...


@dataclass(frozen=True)
class HelpCall:
    """One help request, ready to leave, and where its answer is kept."""

    question: HelpQuestion
    session_id: int
    message_id: int | None
    """hint: the partner message it answers; simpler: the reply; say: None."""
    asked: str
    """say: the learner's meaning (what the answer is kept under); else empty."""
    model: str
    first_path: CoachPath


@dataclass(frozen=True)
class HelpShown:
    """A help answer as the interface shows it."""

    task: HelpTask
    suggestions: tuple[Suggestion, ...] = ()
    simpler: str = ""


def say_call(context: HelpContext, session: PracticeSession, meaning: str) -> HelpCall | None:
    """'How do I say `meaning`?'; None with no server set up."""
    question = HelpQuestion(HelpTask.SAY, session.profile, meaning.strip())
    return _call(context, session, question, None, meaning.strip())


def hint_call(
    context: HelpContext, session: PracticeSession, messages: Sequence[ChatMessage]
) -> HelpCall | None:
    """Possible replies to the partner's last message, leaning toward the first goal not
    met yet in a scenario; None with no server, or no partner message to answer."""
    partner = last_partner_message(messages)
    if partner is None:
        return None
    goals = open_goals(context.sessions, session)
    next_goal = goals[min(goals)] if goals else ""
    question = HelpQuestion(
        HelpTask.HINT, session.profile, partner.text, hint_turns(messages), next_goal
    )
    return _call(context, session, question, partner.id, "")


def simpler_call(
    context: HelpContext, session: PracticeSession, reply: ChatMessage
) -> HelpCall | None:
    """The partner's `reply` said for the learner's level; None with no server."""
    question = HelpQuestion(HelpTask.SIMPLIFY, session.profile, reply.text)
    return _call(context, session, question, reply.id, "")


def last_partner_message(messages: Sequence[ChatMessage]) -> ChatMessage | None:
    """The partner's message the learner would answer now: the last one, with words."""
    for message in reversed(messages):
        if message.role is Role.USER:
            return None  # the learner spoke last: nothing is waiting for an answer
        if message.role is Role.ASSISTANT and message.text.strip():
            return message
    return None


def kept_help(store: HelpAnswerStore, call: HelpCall) -> HelpShown | None:
    """The answer kept for the same question, if it was asked before (costs nothing)."""
    task = call.question.task
    kept = store.answer(call.session_id, call.message_id, task.kind, call.asked)
    if kept is None:
        return None
    try:
        if task is HelpTask.SIMPLIFY:
            return HelpShown(task, simpler=parse_simpler(kept.answer))
        return HelpShown(task, parse_suggestions(kept.answer))
    except HelpAnswerError as error:  # written by an older Tutor, or damaged: ask again
        log.warning("kept %s answer unreadable: %s", task.kind, error)
        return None


def kept_simpler(store: HelpAnswerStore, session_id: int) -> dict[int, str]:
    """A session's simpler wordings by reply, to show them again when it is opened."""
    found: dict[int, str] = {}
    for answer in store.answers(session_id, HelpTask.SIMPLIFY.kind):
        if answer.message_id is not None:
            try:
                found[answer.message_id] = parse_simpler(answer.answer)
            except HelpAnswerError:
                continue
    return found


def run_help(context: HelpContext, call: HelpCall) -> HelpResult:
    """Runs on a pool thread, given the context, never a widget: reads the keyring and
    asks the coach's model. LlmError, in words, when it fails."""
    return ask_help(current_client(context), call.question, call.model, call.first_path)


def keep_help(store: HelpAnswerStore, call: HelpCall, result: HelpResult) -> HelpShown:
    """Keep an answer with its tokens (the session's report counts them), on the GUI
    thread; what to show."""
    task = call.question.task
    if task is HelpTask.SIMPLIFY:
        answer = simpler_json(result.simpler)
        shown = HelpShown(task, simpler=result.simpler)
    else:
        answer = suggestions_json(result.suggestions)
        shown = HelpShown(task, result.suggestions)
    store.save(
        call.session_id,
        call.message_id,
        task.kind,
        answer,
        question=call.asked,
        model=result.model,
        usage=result.usage,
    )
    return shown


def help_failure(error: BaseException, call: HelpCall, base_url: str) -> str:
    """Why help failed, in words for the learner (the conversation is untouched)."""
    explained = explain(error, base_url, call.model)
    log.warning("%s help failed: %s (%s)", call.question.task, explained.kind, explained.message)
    return explained.message


def _call(
    context: HelpContext,
    session: PracticeSession,
    question: HelpQuestion,
    message_id: int | None,
    asked: str,
) -> HelpCall | None:
    address, model = context.server_address(), context.coach_model()
    if address is None or model is None:
        return None
    first_path = context.corrections.coach_path(address[0], model) or CoachPath.JSON_SCHEMA
    return HelpCall(question, session.id, message_id, asked, model, first_path)
