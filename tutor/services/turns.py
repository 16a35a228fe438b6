"""Taking turns in a practice session, without Qt: start a session, accept (clean and
check) the learner's text, commit it (with the start of its check, in one transaction),
build the partner's request, and store the reply as it grows and as it ends.

The interface (tutor/ui/chat/practice.py) keeps the threads, timers and signals; the
rules of what is stored, and in which state, are here and in the domain
(message_text.py, conversation.py, retry_policy.py).

What a turn changes is published on the change hub. Between Enter and the partner's
request nothing else may run on the GUI thread (docs/performance.md), so the changes of
sending are published through `later`: the interface passes its event loop's next turn,
and a view that refreshes on them does so once the request has left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from tutor.domain.conversation import (
    ChatMessage,
    MessageState,
    ReplyEnd,
    Role,
    StreamingReply,
    TokenUsage,
    request_messages,
)
from tutor.domain.message_text import MessageText, Refusal, message_text
from tutor.domain.output_caps import partner_cap
from tutor.domain.profile import LearnerProfile
from tutor.domain.prompts import build_system_message
from tutor.domain.reading_aids import shown_by_default
from tutor.domain.scenarios import Scenario
from tutor.domain.session import PracticeSession
from tutor.services.changes import Change, ChangeHub
from tutor.services.conversations import stored_conversation
from tutor.store.corrections import CorrectionStore
from tutor.store.sessions import SessionStore

Later = Callable[[Callable[[], None]], None]
"""Runs a function once the caller is done (the interface: a zero timer)."""


def at_once(function: Callable[[], None]) -> None:
    function()


class Steering(Protocol):
    """What the partner's next request is told beyond the system message, from how its
    replies went so far (services/level_fit.py: replies above the learner's level)."""

    def steering(self, session: PracticeSession, history: Sequence[ChatMessage]) -> str | None: ...


@dataclass(frozen=True)
class StartedReply:
    """The partner's reply, asked for: its empty message, stored as streaming, the
    messages the request sends, and the most tokens the reply may take."""

    placeholder: ChatMessage
    request: list[dict[str, str]]
    cap: int


class Turns:
    """The learner's and the partner's turns, through the session store."""

    def __init__(
        self,
        sessions: SessionStore,
        corrections: CorrectionStore,
        changes: ChangeHub,
        later: Later = at_once,
        steering: Steering | None = None,
    ) -> None:
        self._sessions = sessions
        self._steering = steering
        self._corrections = corrections
        self._changes = changes
        self._later = later
        self._pending = Change.NONE
        self._pending_session: int | None = None
        self._scheduled = 0

    def start_session(
        self, profile: LearnerProfile, scenario: Scenario, *, base_url: str, model: str
    ) -> PracticeSession:
        """A new session, its system message made from the profile and scenario; its
        reading aids shown for a beginner (domain/reading_aids.py: shown_by_default)."""
        session = self._sessions.create_session(
            profile,
            scenario,
            base_url=base_url,
            model=model,
            system_message=build_system_message(profile, scenario),
            reading_aids=shown_by_default(
                profile.target_language, profile.level.value, profile.native_language
            ),
        )
        self._publish_soon(Change.SESSIONS, session.id)  # with the opening reply's start
        return session

    def open_session(self, session_id: int) -> tuple[PracticeSession, list[ChatMessage]]:
        """A stored session and its messages, each learner's message with its check."""
        return stored_conversation(self._sessions, self._corrections, session_id)

    def accept(self, raw_text: str, *, spoken: bool = False) -> MessageText | Refusal:
        """The learner's text as it will be stored, shown and sent (cleaned: see
        domain/message_text.py), or why it cannot be sent, in words. Stores nothing.
        `spoken`: a transcript of the learner's voice, stored as such."""
        accepted = message_text(raw_text)
        return replace(accepted, spoken=spoken) if isinstance(accepted, MessageText) else accepted

    def commit_message(
        self, session: PracticeSession, text: MessageText, *, checking_with: str | None
    ) -> ChatMessage:
        """Store the learner's message before anything is asked about it. With
        `checking_with` (the coach's model) the start of its check is stored in the same
        transaction: a crash leaves both or neither."""
        message = self._sessions.add_message(
            session.id, Role.USER, text.text, checking_with=checking_with, spoken=text.spoken
        )
        changed = Change.MESSAGES | Change.SESSIONS
        self._publish_soon(changed | Change.CORRECTIONS if checking_with else changed, session.id)
        return message

    def drop_failed_reply(self, history: list[ChatMessage]) -> ChatMessage | None:
        """A failed reply at the end has no text: it is deleted before asking again.
        Returns it, or None when the last message is not one."""
        last = history[-1] if history else None
        if last is None or last.role is not Role.ASSISTANT or last.state is not MessageState.FAILED:
            return None
        self._sessions.delete_message(last.id)
        self._publish_soon(Change.MESSAGES | Change.SESSIONS, last.session_id)
        return last

    def start_reply(
        self,
        session: PracticeSession,
        history: list[ChatMessage],
        *,
        budget_tokens: int,
        model: str,
    ) -> StartedReply:
        """Build the partner's request from the history, then store the reply's empty
        message as streaming, so nothing is asked for that could not be kept. The reply
        is capped at a spoken turn for the session's level (output_caps.py). When the
        replies keep missing the learner's level, the system message carries what to
        change (`steering`)."""
        system = session.system_message
        instruction = self._steering.steering(session, history) if self._steering else None
        if instruction:
            system = f"{system}\n\n{instruction}"
        request = request_messages(system, history, budget_tokens)
        placeholder = self._sessions.add_message(
            session.id, Role.ASSISTANT, "", state=MessageState.STREAMING, model=model
        )
        self._publish_soon(Change.MESSAGES | Change.SESSIONS, session.id)
        return StartedReply(placeholder, request, partner_cap(session.profile))

    def save_partial(self, reply: StreamingReply) -> None:
        """The reply so far (about once a second), so a crash loses at most a second."""
        self._sessions.save_partial_text(reply.message_id, reply.text)

    def finish_reply(
        self,
        reply: StreamingReply,
        end: ReplyEnd,
        *,
        finish_reason: str | None = None,
        usage: TokenUsage | None = None,
    ) -> ChatMessage:
        """Store the reply as it ended: its whole text, state, finish reason and usage."""
        finished = self._sessions.finish_message(
            reply.message_id,
            text=reply.text,
            state=end.state,
            finish_reason=finish_reason,
            usage=usage,
            error=end.error,
        )
        self._changes.publish(Change.MESSAGES | Change.SESSIONS, finished.session_id)
        return finished

    def _publish_soon(self, what: Change, session_id: int) -> None:
        """Publish once the caller is done, in one publication with whatever else is
        changed and scheduled meanwhile: the last of them publishes. So sending (the
        message, then the reply's placeholder) publishes once, after the coach's check
        has started too."""
        if self._pending is Change.NONE:
            self._pending_session = session_id
        elif self._pending_session != session_id:
            self._pending_session = None
        self._pending |= what
        self._scheduled += 1
        self._later(self._publish_pending)

    def _publish_pending(self) -> None:
        self._scheduled -= 1
        if self._scheduled:
            return  # a later one publishes it all
        what, session_id = self._pending, self._pending_session
        self._pending, self._pending_session = Change.NONE, None
        self._changes.publish(what, session_id)
