"""One practice session at a time: the threads, timers and signals of sending, streaming,
stopping, retrying and saving.

What is stored, and in which state, is decided below the interface: the use case
tutor/services/turns.py, and the rules in tutor/domain (message_text.py: cleaning and the
limit; conversation.py: how a reply ended; retry_policy.py: waiting on a 429). Every
message is committed to SQLite before a request leaves, and a streaming reply is saved
about once a second, so a crash loses at most a second of text.
"""

from __future__ import annotations

import logging
import sqlite3
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal

from tutor.domain.conversation import (
    INTERRUPTED_BY_LEARNER,
    STOPPED_BY_LEARNER,
    ChatMessage,
    MessageState,
    ReplyEnd,
    Role,
    StreamingReply,
    TokenUsage,
    failed_reply,
    finished_reply,
    partner_line_before,
    unanswered,
)
from tutor.domain.corrections import Correction, CorrectionState
from tutor.domain.message_text import Refusal
from tutor.domain.profile import LearnerProfile
from tutor.domain.retry_policy import STOPPED_WAITING
from tutor.domain.scenarios import FREE_CONVERSATION, Scenario
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import _
from tutor.llm.errors import ErrorKind, LlmError
from tutor.services import session_actions
from tutor.services.turns import Turns
from tutor.store.database import checkpoint, storage_problem
from tutor.store.storage_words import A_NEW_SESSION, THE_REPLY
from tutor.ui.chat.coaching import CoachController
from tutor.ui.chat.reply_worker import StreamedReply, partner_client
from tutor.ui.chat.retry_countdown import RetryCountdown
from tutor.ui.shell.context import AppContext

log = logging.getLogger(__name__)

# A 429 is retried by itself, visibly: a countdown in the notice bar, Cancel beside it.
COUNTDOWN_TICK_MS = 1000  # one second; tests shorten it to run the give-up path quickly


class PracticeController(QObject):
    session_opened = Signal(object, list)  # PracticeSession, list[ChatMessage]
    message_added = Signal(object)  # ChatMessage
    message_updated = Signal(object)  # ChatMessage
    message_removed = Signal(int)  # message id
    reply_text = Signal(int, str)  # message id, text to append
    reply_thinking = Signal(int, bool)  # message id, whether the model is thinking now
    reply_restarted = Signal(int)  # message id: its text so far was thinking, now dropped
    busy_changed = Signal(bool)
    problem = Signal(str, bool)  # what went wrong, whether Retry helps
    problem_cleared = Signal()
    waiting = Signal(str)  # an automatic retry counts down: the words, once a second
    ended_changed = Signal(bool)  # the open session was ended (True) or taken up again

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._session: PracticeSession | None = None
        self._messages: list[ChatMessage] = []
        self._stream = StreamedReply(context.tasks, self._save_partial, self)
        self._stream.text_arrived.connect(self.reply_text)
        self._stream.thinking_changed.connect(self.reply_thinking)
        self._stream.restarted.connect(self.reply_restarted)
        self._stream.finished.connect(self._on_finished)
        self._stream.failed.connect(self._on_failed)
        self._countdown = RetryCountdown(COUNTDOWN_TICK_MS, self)
        self._countdown.waiting.connect(self.waiting)
        self._countdown.due.connect(self._retry_now)
        # Sending's changes are published once the request has left; fits and facts steer it.
        later, steer = partial(QTimer.singleShot, 0), context.partner_steering()
        self._turns = Turns(context.sessions, context.corrections, context.changes, later, steer)
        self._coach = CoachController(context, self)
        self._coach.corrected.connect(self._on_corrected)

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
        return self._reply.shown_in(self._messages)

    @property
    def _reply(self) -> StreamingReply | None:
        return self._stream.reply

    @property
    def is_busy(self) -> bool:
        return self._reply is not None

    @property
    def is_waiting(self) -> bool:
        """An automatic retry is counting down (the server is limiting requests)."""
        return self._countdown.is_active

    # -- sessions ---------------------------------------------------------------------

    def start_session(
        self, profile: LearnerProfile, scenario: Scenario = FREE_CONVERSATION
    ) -> PracticeSession | None:
        """Create a session from the profile and scenario and let the partner open it.

        None when it cannot be saved (a full disk, a read-only file): the learner is told.
        """
        self.stop()
        base_url, model = self._context.server_address() or ("", "")
        try:
            session = self._turns.start_session(profile, scenario, base_url=base_url, model=model)
        except sqlite3.OperationalError as error:
            log.warning("new session not saved: %s", error)
            self.problem.emit(storage_problem(error, A_NEW_SESSION), False)
            return None
        self._show(session, [])
        self._start_reply()
        return session

    def open_session(self, session_id: int) -> None:
        self.stop()
        session, messages = self._turns.open_session(session_id)
        self._show(session, messages)
        waiting_for = unanswered(messages)
        if waiting_for is not None:
            self.problem.emit(waiting_for, True)

    def _show(self, session: PracticeSession, messages: list[ChatMessage]) -> None:
        self._session = session
        self._messages = messages
        self.problem_cleared.emit()
        self.session_opened.emit(session, list(messages))

    # -- the learner's actions -------------------------------------------------------

    def send(self, text: str, *, spoken: bool = False) -> bool:
        """Commit the learner's message and ask for a reply. False if refused.

        What is stored, shown and sent is the cleaned text (clean_message_text), so the
        learner sees exactly what the partner and the coach get. A reply still streaming
        is stopped first, kept as far as it came (the learner can always send).
        """
        session = self._session
        if session is None or not text.strip() or session.has_ended:
            return False
        accepted = self._turns.accept(text, spoken=spoken)  # spoken: a transcript
        if isinstance(accepted, Refusal):
            self.problem.emit(accepted.reason, False)
            return False
        if self._reply is not None:  # stopped, kept as interrupted (dropped below if empty)
            self._stream.cancel()
            self._finish_reply(failed_reply(self._reply.text, _(INTERRUPTED_BY_LEARNER)))
        self._cancel_wait(quietly=True)
        self._countdown.reset()
        try:
            self._drop_failed_reply()
            coach_model = self._context.coach_model()  # None without a server
            message = self._turns.commit_message(session, accepted, checking_with=coach_model)
        except sqlite3.OperationalError as error:
            # A full disk, a read-only file: nothing was stored, so nothing is sent, and
            # returning False keeps the text in the composer.
            log.warning("message not saved: %s", error)
            self.problem.emit(storage_problem(error) + " " + _("Your text is still here."), False)
            return False
        try:
            checking = self._coach.check(
                session,
                message,
                partner_line_before(self._messages, message.id),
                recorded=coach_model is not None,
            )
        except sqlite3.OperationalError as error:  # stored, but no room to note the check
            log.warning("check not started: %s", error)
            checking = None
        message = message.with_changes(correction=checking)
        self._messages.append(message)
        self._start_reply(announce=message)
        if accepted.note:
            self.problem.emit(accepted.note, False)
        return True

    def check_again(self, message_id: int) -> None:
        """Ask the coach again about a learner's message it could not check."""
        message = self._message(message_id)
        if self._session is None or message is None or message.role is not Role.USER:
            return
        state = message.correction.state if message.correction else None
        if state is CorrectionState.CHECKING:
            return
        partner_line = partner_line_before(self._messages, message.id)
        checking = self._coach.check(self._session, message, partner_line)
        self._on_corrected(checking)

    def set_dismissed(self, message_id: int, position: int, dismissed: bool) -> None:
        """The learner says a mark was wrong ("that was right"), or takes that back."""
        message = self._message(message_id)
        if message is None or message.correction is None:
            return
        if 0 <= position < len(message.correction.marks):
            correction = message.correction
            self._coach.set_dismissed(message.session_id, correction, position, dismissed)

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
        """Stop the reply now, keeping what arrived, marked as cut off; or stop waiting to
        retry (Esc during a countdown)."""
        self._cancel_wait()
        if self._reply is None:
            return
        self._stream.cancel()
        self._finish_reply(ReplyEnd(MessageState.CUT_OFF, _(STOPPED_BY_LEARNER)))

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
        self._cancel_wait(quietly=True)  # an ended session has no reply to wait for
        self.stop()
        self._session = session_actions.end_session(self._context, self._session.id, ended)
        self.ended_changed.emit(ended)

    def close(self) -> None:
        """The window is closing: stop the reply and stop waiting for checks."""
        self.stop()
        self._coach.close()

    def retry(self) -> None:
        """Ask again for the reply that failed or never came."""
        if self._session is None or self.is_busy:
            return
        self._cancel_wait(quietly=True)
        self._countdown.reset()
        self._drop_failed_reply()
        self._start_reply()

    def cancel_wait(self) -> None:
        """The learner does not want the automatic retry (Cancel in the notice bar)."""
        self._cancel_wait()

    # -- waiting on a rate limit -------------------------------------------------------

    def _retry_now(self) -> None:
        if self._session is None or self.is_busy:
            return
        self._drop_failed_reply()
        self._start_reply()

    def _cancel_wait(self, *, quietly: bool = False) -> None:
        if self._countdown.cancel() and not quietly:
            self.problem.emit(_(STOPPED_WAITING), True)

    # -- the reply ---------------------------------------------------------------------

    def _start_reply(self, announce: ChatMessage | None = None) -> None:
        """Ask for the partner's reply. `announce`: the learner's message, drawn after the
        request has left (drawing first delayed the request by the drawing's time)."""
        assert self._session is not None
        self.problem_cleared.emit()
        request_id = self._stream.next_request_id()
        _base_url, config_model = self._context.server_address() or ("", "")
        try:
            started = self._turns.start_reply(
                self._session,
                self._messages,
                budget_tokens=self._context.settings.context_budget_tokens,
                model=config_model,
            )
        except sqlite3.OperationalError as error:
            # Nothing is asked for that could not be kept; Retry asks again.
            log.warning("reply not started: %s", error)
            if announce is not None:
                self.message_added.emit(announce)
            self.problem.emit(storage_problem(error, THE_REPLY), True)
            return
        placeholder, messages = started.placeholder, started.request
        self._messages.append(placeholder)
        client = partial(partner_client, self._context)  # called on the worker thread
        self._stream.start(
            request_id, placeholder.id, config_model, client, messages, cap=started.cap
        )
        if announce is not None:
            self.message_added.emit(announce)
        self.message_added.emit(placeholder)
        self.busy_changed.emit(True)
        log.info("reply %d requested with %d messages", request_id, len(messages))

    def _save_partial(self, reply: StreamingReply) -> None:
        try:
            self._turns.save_partial(reply)
        except sqlite3.OperationalError as error:  # the text stays in memory for finish
            log.warning("partial reply not saved: %s", error)

    def _on_finished(self, finish_reason: str | None, usage: TokenUsage | None) -> None:
        assert self._reply is not None
        self._countdown.reset()
        end = finished_reply(self._reply.text, finish_reason, thought=self._reply.thought)
        self._finish_reply(end, finish_reason, usage)
        if end.error is not None:
            self.problem.emit(end.error, True)

    def _on_failed(self, error: LlmError) -> None:
        assert self._reply is not None
        log.warning("reply %d failed: %s (%s)", self._reply.request_id, error.kind, error.message)
        text = self._reply.text
        decision = self._countdown.after_failure(
            error.message,
            rate_limited=error.kind is ErrorKind.RATE_LIMITED,
            retry_after=error.retry_after,
            kept_text=bool(text.strip()),
        )
        self._finish_reply(failed_reply(text, decision.words))
        if decision.retry_in_s is None:
            self.problem.emit(decision.words, True)
        else:
            self._countdown.start()

    def _finish_reply(
        self, end: ReplyEnd, finish_reason: str | None = None, usage: TokenUsage | None = None
    ) -> None:
        reply = self._stream.end()
        try:
            finished = self._turns.finish_reply(
                reply, end, finish_reason=finish_reason, usage=usage
            )
        except sqlite3.OperationalError as failure:
            # Shown as it arrived, but not stored: say so rather than lose it silently.
            log.warning("reply not saved: %s", failure)
            self.problem.emit(storage_problem(failure, THE_REPLY), False)
            shown = self._message(reply.message_id)
            assert shown is not None
            finished = shown.with_changes(text=reply.text, state=end.state, error=end.error)
        self._messages = [finished if m.id == finished.id else m for m in self._messages]
        self.message_updated.emit(finished)
        self.busy_changed.emit(False)
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Fold the WAL into the file off the GUI thread, between replies (see database.py)."""
        path = self._context.paths.database
        self._context.tasks.run(
            lambda: checkpoint(path), lambda _r: None, lambda e: log.info("checkpoint: %s", e)
        )

    def _drop_failed_reply(self) -> None:
        """A failed reply has no text: remove it before asking again."""
        dropped = self._turns.drop_failed_reply(self._messages)
        if dropped is not None:
            self._messages.pop()
            self.message_removed.emit(dropped.id)
