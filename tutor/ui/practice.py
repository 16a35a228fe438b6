"""One practice session at a time: sending, streaming, stopping, retrying, saving.

The controller owns the conversation state; the view only paints what it is told.
Every message is committed to SQLite before a request leaves, and a streaming reply
is saved about once a second, so a crash loses at most a second of text.
"""

from __future__ import annotations

import logging
from itertools import count

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from tutor.domain.conversation import (
    STOPPED_BY_LEARNER,
    ChatMessage,
    MessageState,
    Role,
    StreamingReply,
    TokenUsage,
    request_messages,
)
from tutor.domain.corrections import Correction, CorrectionState
from tutor.domain.profile import LearnerProfile
from tutor.domain.prompts import build_system_message
from tutor.domain.scenarios import FREE_CONVERSATION, Scenario
from tutor.domain.session import PracticeSession
from tutor.llm.client import ChatClient
from tutor.llm.errors import ErrorKind, LlmError
from tutor.ui.coaching import CoachController
from tutor.ui.context import AppContext
from tutor.ui.reply_worker import ReplySignals, ReplyWorker

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 8000
PAINT_INTERVAL_MS = 16  # at most one paint a frame
SAVE_INTERVAL_MS = 1000

LENGTH_LIMIT = "The reply was cut off: it reached the server's length limit."
CONTENT_FILTER = "The server's content filter stopped this reply."


class PracticeController(QObject):
    session_opened = Signal(object, list)  # PracticeSession, list[ChatMessage]
    message_added = Signal(object)  # ChatMessage
    message_updated = Signal(object)  # ChatMessage
    message_removed = Signal(int)  # message id
    reply_text = Signal(int, str)  # message id, text to append
    busy_changed = Signal(bool)
    problem = Signal(str, bool)  # what went wrong, whether Retry helps
    problem_cleared = Signal()
    goals_changed = Signal(object)  # dict[int, int | None]: goal index -> message that met it
    cards_added = Signal(int)  # new review cards from a correction
    ended_changed = Signal(bool)  # the open session was ended (True) or taken up again

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._session: PracticeSession | None = None
        self._messages: list[ChatMessage] = []
        self._reply: StreamingReply | None = None
        self._worker: ReplyWorker | None = None
        self._request_ids = count(1)
        self._signals = ReplySignals(self)
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.delta.connect(self._on_delta, queued)
        self._signals.finished.connect(self._on_finished, queued)
        self._signals.failed.connect(self._on_failed, queued)
        self._paint_timer = QTimer(self, interval=PAINT_INTERVAL_MS, singleShot=True)
        self._paint_timer.timeout.connect(self._paint)
        self._save_timer = QTimer(self, interval=SAVE_INTERVAL_MS)
        self._save_timer.timeout.connect(self._save_partial)
        self._coach = CoachController(context, self)
        self._coach.corrected.connect(self._on_corrected)
        self._coach.goals_met.connect(self._on_goals_met)
        self._coach.cards_added.connect(self.cards_added)

    # -- state the window asks about ------------------------------------------------

    @property
    def session(self) -> PracticeSession | None:
        return self._session

    @property
    def messages(self) -> list[ChatMessage]:
        return list(self._messages)

    def messages_to_show(self) -> list[ChatMessage]:
        """Every message as it stands now, for a view drawn afresh: a streaming reply
        carries the text received so far, which then counts as painted."""
        if self._reply is None:
            return list(self._messages)
        reply = self._reply
        reply.take_unpainted()
        return [
            m.with_changes(text=reply.text) if m.id == reply.message_id else m
            for m in self._messages
        ]

    @property
    def is_busy(self) -> bool:
        return self._reply is not None

    # -- sessions ---------------------------------------------------------------------

    def start_session(
        self, profile: LearnerProfile, scenario: Scenario = FREE_CONVERSATION
    ) -> PracticeSession:
        """Create a session from the profile and scenario and let the partner open it."""
        self.stop()
        base_url, model = self._context.server_address() or ("", "")
        session = self._context.sessions.create_session(
            profile,
            scenario,
            base_url=base_url,
            model=model,
            system_message=build_system_message(profile, scenario),
        )
        self._show(session, [])
        self._start_reply()
        return session

    def open_session(self, session_id: int) -> None:
        self.stop()
        session = self._context.sessions.session(session_id)
        corrections = self._context.corrections.for_session(session_id)
        messages = self._context.sessions.messages(session_id, corrections)
        self._show(session, messages)
        last = messages[-1] if messages else None
        if last is None:
            self.problem.emit("The partner has not opened this conversation yet.", True)
        elif last.role is Role.USER:
            self.problem.emit("Your last message has no reply yet.", True)
        elif last.state is MessageState.FAILED:
            self.problem.emit(last.error or "The last reply failed.", True)

    def _show(self, session: PracticeSession, messages: list[ChatMessage]) -> None:
        self._session = session
        self._messages = messages
        self.problem_cleared.emit()
        self.session_opened.emit(session, list(messages))

    # -- the learner's actions -------------------------------------------------------

    def send(self, text: str) -> bool:
        """Commit the learner's message and ask for a reply. False if refused."""
        text = text.strip()
        if self._session is None or not text or self.is_busy or self._session.has_ended:
            return False
        if len(text) > MAX_MESSAGE_CHARS:
            self.problem.emit(
                f"That message has {len(text):,} characters; the limit is "
                f"{MAX_MESSAGE_CHARS:,}. Shorten it and send again.",
                False,
            )
            return False
        self._drop_failed_reply()
        message = self._context.sessions.add_message(self._session.id, Role.USER, text)
        checking = self._coach.check(self._session, message, self._partner_line_before(message))
        message = message.with_changes(correction=checking)
        self._messages.append(message)
        self.message_added.emit(message)
        self._start_reply()
        return True

    def check_again(self, message_id: int) -> None:
        """Ask the coach again about a learner's message it could not check."""
        message = self._message(message_id)
        if self._session is None or message is None or message.role is not Role.USER:
            return
        state = message.correction.state if message.correction else None
        if state is CorrectionState.CHECKING:
            return
        checking = self._coach.check(self._session, message, self._partner_line_before(message))
        self._on_corrected(checking)

    def set_dismissed(self, message_id: int, position: int, dismissed: bool) -> None:
        """The learner says a mark was wrong ("that was right"), or takes that back."""
        message = self._message(message_id)
        if message is None or message.correction is None:
            return
        if 0 <= position < len(message.correction.marks):
            self._coach.set_dismissed(message.correction, position, dismissed)

    def _partner_line_before(self, message: ChatMessage) -> str:
        before = [m for m in self._messages if m.id < message.id]
        for earlier in reversed(before):
            if earlier.role is Role.ASSISTANT and earlier.text:
                return earlier.text
            if earlier.role is Role.USER:
                return ""
        return ""

    def _message(self, message_id: int) -> ChatMessage | None:
        for message in reversed(self._messages):
            if message.id == message_id:
                return message
        return None

    def _on_corrected(self, correction: Correction) -> None:
        message = self._message(correction.message_id)
        if message is None:
            return  # a check of a session no longer shown: saved, nothing to draw
        updated = message.with_changes(correction=correction)
        self._messages = [updated if m.id == updated.id else m for m in self._messages]
        self.message_updated.emit(updated)

    def stop(self) -> None:
        """Stop the reply now, keeping what arrived, marked as cut off."""
        if self._reply is None:
            return
        if self._worker is not None:
            self._worker.cancel()
        self._finish_reply(MessageState.CUT_OFF, finish_reason=None, error=STOPPED_BY_LEARNER)

    def session_renamed(self, session: PracticeSession) -> None:
        if self._session is not None and self._session.id == session.id:
            self._session = session

    def close_session(self) -> None:
        """Show no session (the open one was deleted)."""
        self.stop()
        self._session = None
        self._messages = []
        self.problem_cleared.emit()

    def goals_met(self) -> dict[int, int | None]:
        """The open session's goals met so far: goal index -> the message that met it."""
        if self._session is None:
            return {}
        return self._context.sessions.goals_met(self._session.id)

    def end_session(self, ended: bool = True) -> None:
        """The learner ends the session (all goals met, or enough), or takes it up again."""
        if self._session is None:
            return
        self.stop()
        self._session = self._context.sessions.end_session(self._session.id, ended)
        self.ended_changed.emit(ended)

    def _on_goals_met(self, session_id: int) -> None:
        if self._session is not None and self._session.id == session_id:
            self.goals_changed.emit(self.goals_met())

    def close(self) -> None:
        """The window is closing: stop the reply and stop waiting for checks."""
        self.stop()
        self._coach.close()

    def retry(self) -> None:
        """Ask again for the reply that failed or never came."""
        if self._session is None or self.is_busy:
            return
        self._drop_failed_reply()
        self._start_reply()

    # -- the reply ---------------------------------------------------------------------

    def _start_reply(self) -> None:
        assert self._session is not None
        self.problem_cleared.emit()
        session = self._session
        messages = request_messages(
            session.system_message, self._messages, self._context.settings.context_budget_tokens
        )
        request_id = next(self._request_ids)
        _base_url, config_model = self._context.server_address() or ("", "")
        placeholder = self._context.sessions.add_message(
            session.id, Role.ASSISTANT, "", state=MessageState.STREAMING, model=config_model
        )
        self._messages.append(placeholder)
        self._reply = StreamingReply(placeholder.id, request_id, config_model)
        self.message_added.emit(placeholder)
        self.busy_changed.emit(True)
        self._worker = ReplyWorker(request_id, self._client, messages, self._signals)
        self._context.tasks.start(self._worker)
        self._save_timer.start()
        log.info("reply %d requested with %d messages", request_id, len(messages))

    def _client(self) -> ChatClient:
        """Runs on the worker thread: the keyring and the client import happen there."""
        config = self._context.server_config()
        if config is None:
            raise LlmError(
                ErrorKind.UNEXPECTED, "No model server is set up yet. Open Settings to choose one."
            )
        return self._context.clients.client(config)

    def _on_delta(self, request_id: int, piece: str) -> None:
        if self._reply is None or request_id != self._reply.request_id:
            return  # a late piece of a stopped or superseded request
        self._reply.add(piece)
        if not self._paint_timer.isActive():
            self._paint_timer.start()

    def _paint(self) -> None:
        if self._reply is None:
            return
        pending = self._reply.take_unpainted()
        if pending:
            self.reply_text.emit(self._reply.message_id, pending)

    def _save_partial(self) -> None:
        if self._reply is not None:
            self._context.sessions.save_partial_text(self._reply.message_id, self._reply.text)

    def _on_finished(
        self, request_id: int, finish_reason: str | None, usage: TokenUsage | None
    ) -> None:
        if self._reply is None or request_id != self._reply.request_id:
            return
        if not self._reply.text.strip():
            self._finish_reply(
                MessageState.FAILED,
                finish_reason=finish_reason,
                usage=usage,
                error="The server answered with an empty reply.",
            )
        elif finish_reason == "length":
            self._finish_reply(MessageState.CUT_OFF, finish_reason, usage, LENGTH_LIMIT)
        elif finish_reason == "content_filter":
            self._finish_reply(MessageState.CUT_OFF, finish_reason, usage, CONTENT_FILTER)
        else:
            self._finish_reply(MessageState.COMPLETE, finish_reason, usage)

    def _on_failed(self, request_id: int, error: LlmError) -> None:
        if self._reply is None or request_id != self._reply.request_id:
            return
        log.warning("reply %d failed: %s (%s)", request_id, error.kind, error.message)
        state = MessageState.CUT_OFF if self._reply.text.strip() else MessageState.FAILED
        self._finish_reply(state, finish_reason=None, error=error.message)
        self.problem.emit(error.message, True)

    def _finish_reply(
        self,
        state: MessageState,
        finish_reason: str | None,
        usage: TokenUsage | None = None,
        error: str | None = None,
    ) -> None:
        reply = self._reply
        assert reply is not None
        self._paint()
        self._paint_timer.stop()
        self._save_timer.stop()
        self._reply = None
        self._worker = None
        finished = self._context.sessions.finish_message(
            reply.message_id,
            text=reply.text,
            state=state,
            finish_reason=finish_reason,
            usage=usage,
            error=error,
        )
        self._messages = [finished if m.id == finished.id else m for m in self._messages]
        self.message_updated.emit(finished)
        self.busy_changed.emit(False)

    def _drop_failed_reply(self) -> None:
        """A failed reply has no text: remove it before asking again."""
        last = self._messages[-1] if self._messages else None
        if last is not None and last.role is Role.ASSISTANT and last.state is MessageState.FAILED:
            self._context.sessions.delete_message(last.id)
            self._messages.pop()
            self.message_removed.emit(last.id)
