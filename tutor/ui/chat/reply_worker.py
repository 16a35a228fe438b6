"""Streams one partner reply on a pool thread and reports it through signals; ReplyStream
keeps the reply while it arrives, paints it at most once a frame and saves it about once
a second.

Each reply carries a request id; signals of a request no longer waited for are dropped.
Errors travel as LlmError objects on `failed`, never inside the text. A reply that
begins repeating itself (tutor/domain/repetition.py, watched on the pool thread) is
closed there, kept up to the first repeat and ends as failed (ErrorKind.REPEATED): kept
as cut off, said, Retry offered, as a stream cut halfway is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import count

from PySide6.QtCore import QObject, QRunnable, Qt, QTimer, Signal

from tutor.domain.conversation import REPEATED_ITSELF, StreamingReply, TokenUsage
from tutor.domain.repetition import RepetitionWatch
from tutor.i18n.translate import _
from tutor.llm.client import ChatClient, ReplyStream
from tutor.llm.errors import ErrorKind, LlmError, explain
from tutor.services.server import current_client
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.tasks import TaskRunner

PAINT_INTERVAL_MS = 16  # at most one paint a frame
SAVE_INTERVAL_MS = 1000


class ReplySignals(QObject):
    delta = Signal(int, str)  # request id, text piece
    thinking = Signal(int, bool)  # request id, whether the model is thinking now
    restarted = Signal(int)  # request id: the words so far were thinking (drop them)
    finished = Signal(int, object, object)  # request id, finish reason, TokenUsage | None
    failed = Signal(int, object)  # request id, LlmError
    repeated = Signal(int, int)  # request id, characters at the end that are the loop's


def partner_client(context: AppContext) -> ChatClient:
    """The partner's client. Runs on the worker thread: the keyring and the client import
    happen there."""
    return current_client(context)


class ReplyWorker(QRunnable):
    def __init__(
        self,
        request_id: int,
        client_for_request: Callable[[], ChatClient],
        messages: list[dict[str, str]],
        signals: ReplySignals,
        cap: int,
    ) -> None:
        super().__init__()
        self.request_id = request_id
        self._client_for_request = client_for_request
        self._messages = messages
        self._cap = cap
        self.signals = signals
        self._cancelled = threading.Event()
        self._stream: ReplyStream | None = None  # the llm's stream of pieces
        self._lock = threading.Lock()

    def cancel(self) -> None:
        """Stop soon; called from the GUI thread. No signal follows a cancel."""
        self._cancelled.set()
        with self._lock:
            stream = self._stream
        if stream is not None:
            stream.close()

    def run(self) -> None:
        rid = self.request_id
        client = None
        try:
            client = self._client_for_request()
            stream = client.stream_reply(self._messages, cap=self._cap)
            with self._lock:
                self._stream = stream
            if self._cancelled.is_set():
                stream.close()
                return
            seen = _StreamState()
            watch = RepetitionWatch()
            for piece in stream:
                if self._cancelled.is_set():
                    return
                if stream.restarts != seen.restarts:
                    watch = RepetitionWatch()  # the words so far were thinking
                seen.report(stream, rid, self.signals)
                if not piece:
                    continue
                self.signals.delta.emit(rid, piece)
                loop = watch.add(piece)
                if loop is not None:
                    stream.close()  # no more of it is read, nor paid for
                    if not self._cancelled.is_set():
                        self.signals.repeated.emit(rid, loop.dropped)
                    return
            if self._cancelled.is_set():
                return
            if stream.finish_reason is None:
                raise LlmError(
                    ErrorKind.STREAM_CUT, _("The connection ended before the reply was complete.")
                )
            self.signals.finished.emit(rid, stream.finish_reason, stream.usage)
        except Exception as error:
            if not self._cancelled.is_set():
                config = client.config if client is not None else None
                self.signals.failed.emit(
                    rid,
                    explain(
                        error, config.base_url if config else "", config.model if config else ""
                    ),
                )


class _StreamState:
    """What the GUI was last told of a stream's thinking, so each change is told once."""

    def __init__(self) -> None:
        self.thinking = False
        self.restarts = 0

    def report(self, stream: ReplyStream, request_id: int, signals: ReplySignals) -> None:
        if stream.restarts != self.restarts:
            self.restarts = stream.restarts
            signals.restarted.emit(request_id)
        if stream.thinking != self.thinking:
            self.thinking = stream.thinking
            signals.thinking.emit(request_id, self.thinking)


class StreamedReply(QObject):
    """The partner's reply being streamed now, if any: its worker, its text (a
    StreamingReply, never read back from a widget), the paint and save timers."""

    text_arrived = Signal(int, str)  # message id, text to append
    thinking_changed = Signal(int, bool)  # message id, whether the model is thinking now
    restarted = Signal(int)  # message id: its words so far were thinking, now dropped
    finished = Signal(object, object)  # finish reason, TokenUsage | None
    failed = Signal(object)  # LlmError

    def __init__(
        self,
        tasks: TaskRunner,
        save: Callable[[StreamingReply], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._save = save
        self.reply: StreamingReply | None = None
        self._worker: ReplyWorker | None = None
        self._request_ids = count(1)
        self._signals = ReplySignals(self)
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.delta.connect(self.on_delta, queued)
        self._signals.thinking.connect(self._on_thinking, queued)
        self._signals.restarted.connect(self._on_restarted, queued)
        self._signals.finished.connect(self._on_finished, queued)
        self._signals.failed.connect(self._on_failed, queued)
        self._signals.repeated.connect(self._on_repeated, queued)
        self._paint_timer = QTimer(self, interval=PAINT_INTERVAL_MS, singleShot=True)
        self._paint_timer.timeout.connect(self.paint)
        self._save_timer = QTimer(self, interval=SAVE_INTERVAL_MS)
        self._save_timer.timeout.connect(self._save_partial)

    def next_request_id(self) -> int:
        return next(self._request_ids)

    def start(
        self,
        request_id: int,
        message_id: int,
        model: str,
        client_for_request: Callable[[], ChatClient],
        request: list[dict[str, str]],
        *,
        cap: int,
    ) -> None:
        """Stream the reply stored as `message_id` on a pool thread, capped at `cap`
        tokens."""
        self.reply = StreamingReply(message_id, request_id, model)
        self._worker = ReplyWorker(request_id, client_for_request, request, self._signals, cap)
        self._tasks.start(self._worker)
        self._save_timer.start()

    def cancel(self) -> None:
        """Tell the worker to close the HTTP response; no signal of it follows."""
        if self._worker is not None:
            self._worker.cancel()

    def end(self) -> StreamingReply:
        """The reply has ended: paint what is left, stop the timers, forget the worker."""
        reply = self.reply
        assert reply is not None
        self.paint()
        self._paint_timer.stop()
        self._save_timer.stop()
        self.reply = None
        self._worker = None
        return reply

    def on_delta(self, request_id: int, piece: str) -> None:
        if self.reply is None or request_id != self.reply.request_id:
            return  # a late piece of a stopped or superseded request
        self.reply.add(piece)
        if not self._paint_timer.isActive():
            self._paint_timer.start()

    def _on_thinking(self, request_id: int, thinking: bool) -> None:
        if self.reply is None or request_id != self.reply.request_id:
            return
        self.reply.think(thinking)
        self.thinking_changed.emit(self.reply.message_id, thinking)

    def _on_restarted(self, request_id: int) -> None:
        if self.reply is None or request_id != self.reply.request_id:
            return
        self.reply.restart()
        self._save_partial()
        self.restarted.emit(self.reply.message_id)

    def paint(self) -> None:
        if self.reply is None:
            return
        pending = self.reply.take_unpainted()
        if pending:
            self.text_arrived.emit(self.reply.message_id, pending)

    def _save_partial(self) -> None:
        if self.reply is not None:
            self._save(self.reply)

    def _on_finished(
        self, request_id: int, finish_reason: str | None, usage: TokenUsage | None
    ) -> None:
        if self.reply is not None and request_id == self.reply.request_id:
            self.finished.emit(finish_reason, usage)

    def _on_failed(self, request_id: int, error: LlmError) -> None:
        if self.reply is not None and request_id == self.reply.request_id:
            self.failed.emit(error)

    def _on_repeated(self, request_id: int, dropped: int) -> None:
        if self.reply is not None and request_id == self.reply.request_id:
            self.reply.drop_end(dropped)  # the loop is neither stored nor sent again
            self.failed.emit(LlmError(ErrorKind.REPEATED, _(REPEATED_ITSELF)))
