"""Streams one partner reply on a pool thread and reports it through signals.

Each reply carries a request id; the receiver drops signals of a request it no longer
waits for. Errors travel as LlmError objects on `failed`, never inside the text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal

from tutor.llm.client import ChatClient, ReplyStream
from tutor.llm.errors import ErrorKind, LlmError, explain


class ReplySignals(QObject):
    delta = Signal(int, str)  # request id, text piece
    finished = Signal(int, object, object)  # request id, finish reason, TokenUsage | None
    failed = Signal(int, object)  # request id, LlmError


class ReplyWorker(QRunnable):
    def __init__(
        self,
        request_id: int,
        client_for_request: Callable[[], ChatClient],
        messages: list[dict[str, str]],
        signals: ReplySignals,
    ) -> None:
        super().__init__()
        self.request_id = request_id
        self._client_for_request = client_for_request
        self._messages = messages
        self.signals = signals
        self._cancelled = threading.Event()
        self._stream: ReplyStream | None = None
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
            stream = client.stream_reply(self._messages)
            with self._lock:
                self._stream = stream
            if self._cancelled.is_set():
                stream.close()
                return
            for piece in stream:
                if self._cancelled.is_set():
                    return
                self.signals.delta.emit(rid, piece)
            if self._cancelled.is_set():
                return
            if stream.finish_reason is None:
                raise LlmError(
                    ErrorKind.STREAM_CUT, "The connection ended before the reply was complete."
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
