"""One practice session at a time: sending, streaming, stopping, retrying, saving.

The controller owns the conversation state; the view only paints what it is told.
Every message is committed to SQLite before a request leaves, and a streaming reply
is saved about once a second, so a crash loses at most a second of text.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
from dataclasses import dataclass
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
from tutor.store.database import checkpoint, storage_problem
from tutor.ui.chat.coaching import CoachController
from tutor.ui.chat.composer import MAX_MESSAGE_CHARS
from tutor.ui.chat.reply_worker import ReplySignals, ReplyWorker
from tutor.ui.shell.context import AppContext

log = logging.getLogger(__name__)

__all__ = ["MAX_MESSAGE_CHARS", "CleanedText", "PracticeController", "clean_message_text"]

PAINT_INTERVAL_MS = 16  # at most one paint a frame
SAVE_INTERVAL_MS = 1000

LENGTH_LIMIT = "The reply was cut off: it reached the server's length limit."
CONTENT_FILTER = "The server's content filter stopped this reply."
EMPTY_REPLY = "The server answered with an empty reply."

# A 429 is retried by itself, visibly: a countdown in the notice bar, Cancel beside it.
MAX_AUTO_RETRIES = 3
MAX_RETRY_WAIT_S = 60  # a server asking for longer is told no: the learner decides then
BACKOFF_S = (2, 4, 8)  # when the server does not say how long to wait
COUNTDOWN_TICK_MS = 1000  # one second; tests shorten it to run the give-up path quickly


# ----------------------------------------------------------------- the learner's text

# Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) change the order
# in which text is shown, not the order in which it is stored. Left in, the learner would
# see one sentence on screen while the partner and the coach read the characters in
# another order, and the coach's marks would land on words that look different. Tutor
# sets each message's direction itself, so they are taken out. LRM, RLM and ALM only
# nudge neutral characters (Arabic or Hebrew text mixed with numbers needs them): they
# stay, as do the zero-width joiner and non-joiner that emoji and Persian need.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 and C1 controls (NUL, ESC, backspace, ...) except tab and newline: they do not show,
# SQLite and JSON carry them, and a model reads them as something the learner did not
# see. U+FEFF is a stray byte order mark from a pasted file.
_CONTROLS = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n")
_REMOVE = str.maketrans(dict.fromkeys(_CONTROLS + _BIDI_CONTROLS + "\ufeff"))
_SURROGATE = re.compile("[\ud800-\udfff]")
# Tag characters draw nothing, yet a model reads them as ASCII ("ASCII smuggling"): an
# instruction hidden in a pasted text. Only a subdivision flag (England: U+1F3F4 and tags)
# uses them legitimately, so a run of tags is kept right after U+1F3F4 only.
_TAGS = re.compile("(\U0001f3f4?)([\U000e0020-\U000e007f]+)")
# Anything but white space and the characters that draw nothing (soft hyphen, zero-width
# space and joiners, direction marks, word joiner, Hangul fillers, ...).
_VISIBLE = re.compile(
    "[^\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b-\u200f\u2060-\u2064\u3164\uffa0\ufe00-\ufe0f]"
)


@dataclass(frozen=True)
class CleanedText:
    text: str
    removed: int
    """Control, bidi and tag characters taken out."""
    replaced: int
    """Halves of surrogate pairs without their other half, replaced by U+FFFD."""

    @property
    def has_visible(self) -> bool:
        return _VISIBLE.search(self.text) is not None


def clean_message_text(text: str) -> CleanedText:
    """The learner's text as Tutor stores and sends it: line breaks as \\n, no control or
    bidi characters, no lone surrogates. Runs at C speed (translate, regex): a 1 MB paste
    must not hold up the window."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    replaced = 0
    if _SURROGATE.search(text):
        # Qt strings are UTF-16; a paste or an input method can leave half a pair behind,
        # which SQLite and the HTTP client refuse to encode. Whole pairs are joined into
        # one character; lone halves become U+FFFD, which shows as a visible box.
        before = text.count("\ufffd")
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        replaced = text.count("\ufffd") - before
    length = len(text)
    text = text.translate(_REMOVE)
    text = _TAGS.sub(lambda m: m.group(0) if m.group(1) else "", text)
    return CleanedText(text, length - len(text), replaced)


class PracticeController(QObject):
    session_opened = Signal(object, list)  # PracticeSession, list[ChatMessage]
    message_added = Signal(object)  # ChatMessage
    message_updated = Signal(object)  # ChatMessage
    message_removed = Signal(int)  # message id
    reply_text = Signal(int, str)  # message id, text to append
    busy_changed = Signal(bool)
    problem = Signal(str, bool)  # what went wrong, whether Retry helps
    problem_cleared = Signal()
    waiting = Signal(str)  # an automatic retry counts down: the words, once a second
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
        self._countdown = QTimer(self, interval=COUNTDOWN_TICK_MS)
        self._countdown.timeout.connect(self._tick)
        self._auto_retries = 0
        self._wait_left = 0
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

    @property
    def is_waiting(self) -> bool:
        """An automatic retry is counting down (the server is limiting requests)."""
        return self._countdown.isActive()

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
            session = self._context.sessions.create_session(
                profile,
                scenario,
                base_url=base_url,
                model=model,
                system_message=build_system_message(profile, scenario),
            )
        except sqlite3.OperationalError as error:
            log.warning("new session not saved: %s", error)
            self.problem.emit(storage_problem(error, "a new session"), False)
            return None
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
        """Commit the learner's message and ask for a reply. False if refused.

        What is stored, shown and sent is the cleaned text (clean_message_text), so the
        learner sees exactly what the partner and the coach get.
        """
        if self._session is None or not text.strip() or self.is_busy or self._session.has_ended:
            return False
        if len(text) > 4 * MAX_MESSAGE_CHARS:
            # Refused before cleaning: however much cleaning took out, it would not fit.
            self._refuse_length(len(text))
            return False
        cleaned = clean_message_text(text)
        text = cleaned.text.strip()
        if not cleaned.has_visible:
            self.problem.emit(
                "That message has nothing visible in it (only spaces or invisible "
                "characters), so nothing was sent.",
                False,
            )
            return False
        if len(text) > MAX_MESSAGE_CHARS:
            self._refuse_length(len(text))
            return False
        self._cancel_wait(quietly=True)
        self._auto_retries = 0
        try:
            self._drop_failed_reply()
            coach_model = self._context.coach_model()  # None without a server
            message = self._context.sessions.add_message(
                self._session.id, Role.USER, text, checking_with=coach_model
            )
        except sqlite3.OperationalError as error:
            # A full disk, a read-only file: nothing was stored, so nothing is sent, and
            # returning False keeps the text in the composer.
            log.warning("message not saved: %s", error)
            self.problem.emit(f"{storage_problem(error)} Your text is still here.", False)
            return False
        try:
            checking = self._coach.check(
                self._session,
                message,
                self._partner_line_before(message),
                recorded=coach_model is not None,
            )
        except sqlite3.OperationalError as error:  # stored, but no room to note the check
            log.warning("check not started: %s", error)
            checking = None
        message = message.with_changes(correction=checking)
        self._messages.append(message)
        self._start_reply(announce=message)
        if cleaned.removed or cleaned.replaced:
            self.problem.emit(_cleaning_note(cleaned), False)
        return True

    def _refuse_length(self, length: int) -> None:
        self.problem.emit(
            f"That message has {length:,} characters; the limit is "
            f"{MAX_MESSAGE_CHARS:,}. Shorten it and send again.",
            False,
        )

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
        """Stop the reply now, keeping what arrived, marked as cut off; or stop waiting to
        retry (Esc during a countdown)."""
        self._cancel_wait()
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
        self._cancel_wait(quietly=True)  # an ended session has no reply to wait for
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
        self._cancel_wait(quietly=True)
        self._auto_retries = 0
        self._drop_failed_reply()
        self._start_reply()

    def cancel_wait(self) -> None:
        """The learner does not want the automatic retry (Cancel in the notice bar)."""
        self._cancel_wait()

    # -- waiting on a rate limit -------------------------------------------------------

    def _wait_and_retry(self, error: LlmError) -> None:
        """Count down, then ask again; never blocks (a QTimer ticks once a second)."""
        self._auto_retries += 1
        wait = (
            error.retry_after
            if error.retry_after is not None
            else BACKOFF_S[min(self._auto_retries, len(BACKOFF_S)) - 1]
        )
        # At least a second, so a "Retry-After: 0" server is not hammered in a loop.
        self._wait_left = max(1, math.ceil(min(wait, MAX_RETRY_WAIT_S)))
        log.info("rate limited; retry %d in %d s", self._auto_retries, self._wait_left)
        self._countdown.start()
        self._say_waiting()

    def _say_waiting(self) -> None:
        self.waiting.emit(
            f"The server is limiting requests. Retrying in {self._wait_left} s… "
            f"(try {self._auto_retries} of {MAX_AUTO_RETRIES})"
        )

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            self._say_waiting()
            return
        self._countdown.stop()
        if self._session is None or self.is_busy:
            return
        self._drop_failed_reply()
        self._start_reply()

    def _cancel_wait(self, *, quietly: bool = False) -> None:
        if not self._countdown.isActive():
            return
        self._countdown.stop()
        self._auto_retries = 0
        if not quietly:
            self.problem.emit(
                "Tutor stopped waiting for the server, which is limiting requests. Press "
                "Retry when you want to try again.",
                True,
            )

    # -- the reply ---------------------------------------------------------------------

    def _start_reply(self, announce: ChatMessage | None = None) -> None:
        """Ask for the partner's reply. `announce`: the learner's message, drawn after the
        request has left (drawing first delayed the request by the drawing's time)."""
        assert self._session is not None
        self.problem_cleared.emit()
        session = self._session
        messages = request_messages(
            session.system_message, self._messages, self._context.settings.context_budget_tokens
        )
        request_id = next(self._request_ids)
        _base_url, config_model = self._context.server_address() or ("", "")
        try:
            placeholder = self._context.sessions.add_message(
                session.id, Role.ASSISTANT, "", state=MessageState.STREAMING, model=config_model
            )
        except sqlite3.OperationalError as error:
            # Nothing is asked for that could not be kept; Retry asks again.
            log.warning("reply not started: %s", error)
            if announce is not None:
                self.message_added.emit(announce)
            self.problem.emit(storage_problem(error, "the reply"), True)
            return
        self._messages.append(placeholder)
        self._reply = StreamingReply(placeholder.id, request_id, config_model)
        self._worker = ReplyWorker(request_id, self._client, messages, self._signals)
        self._context.tasks.start(self._worker)
        if announce is not None:
            self.message_added.emit(announce)
        self.message_added.emit(placeholder)
        self.busy_changed.emit(True)
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
            try:
                self._context.sessions.save_partial_text(self._reply.message_id, self._reply.text)
            except sqlite3.OperationalError as error:  # the text stays in memory for finish
                log.warning("partial reply not saved: %s", error)

    def _on_finished(
        self, request_id: int, finish_reason: str | None, usage: TokenUsage | None
    ) -> None:
        if self._reply is None or request_id != self._reply.request_id:
            return
        self._auto_retries = 0
        if not self._reply.text.strip():
            self._finish_reply(
                MessageState.FAILED, finish_reason=finish_reason, usage=usage, error=EMPTY_REPLY
            )
            self.problem.emit(EMPTY_REPLY, True)
        elif finish_reason == "length":
            self._finish_reply(MessageState.CUT_OFF, finish_reason, usage, LENGTH_LIMIT)
            self.problem.emit(LENGTH_LIMIT, True)
        elif finish_reason == "content_filter":
            self._finish_reply(MessageState.CUT_OFF, finish_reason, usage, CONTENT_FILTER)
            self.problem.emit(CONTENT_FILTER, True)
        else:
            self._finish_reply(MessageState.COMPLETE, finish_reason, usage)

    def _on_failed(self, request_id: int, error: LlmError) -> None:
        if self._reply is None or request_id != self._reply.request_id:
            return
        log.warning("reply %d failed: %s (%s)", request_id, error.kind, error.message)
        state = MessageState.CUT_OFF if self._reply.text.strip() else MessageState.FAILED
        words = error.message
        retrying = False
        if error.kind is ErrorKind.RATE_LIMITED:
            if state is MessageState.FAILED and self._auto_retries < MAX_AUTO_RETRIES:
                retrying = True
            elif self._auto_retries:
                words = (
                    f"{error.message} Tutor tried again {self._auto_retries} times and gave "
                    "up; wait a little, then press Retry."
                )
        self._finish_reply(state, finish_reason=None, error=words)
        if retrying:
            self._wait_and_retry(error)
            return
        self._auto_retries = 0
        self.problem.emit(words, True)

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
        try:
            finished = self._context.sessions.finish_message(
                reply.message_id,
                text=reply.text,
                state=state,
                finish_reason=finish_reason,
                usage=usage,
                error=error,
            )
        except sqlite3.OperationalError as failure:
            # Shown as it arrived, but not stored: say so rather than lose it silently.
            log.warning("reply not saved: %s", failure)
            self.problem.emit(storage_problem(failure, "the reply"), False)
            shown = self._message(reply.message_id)
            assert shown is not None
            finished = shown.with_changes(text=reply.text, state=state, error=error)
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
        last = self._messages[-1] if self._messages else None
        if last is not None and last.role is Role.ASSISTANT and last.state is MessageState.FAILED:
            self._context.sessions.delete_message(last.id)
            self._messages.pop()
            self.message_removed.emit(last.id)


def _cleaning_note(cleaned: CleanedText) -> str:
    parts = []
    if cleaned.removed:
        n = cleaned.removed
        parts.append(
            f"took out {n:,} invisible control character{'s' if n != 1 else ''} "
            "(they could change how the text reads)"
        )
    if cleaned.replaced:
        n = cleaned.replaced
        parts.append(f"replaced {n:,} broken character{'s' if n != 1 else ''} with �")
    return f"Tutor {' and '.join(parts)} before sending your message."
