"""Run work off the GUI thread and get its result back on the GUI thread.

`op` runs in a pool thread and must not touch widgets; `on_success` and `on_failure`
run on the GUI thread through a queued signal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, SignalInstance

MIN_THREADS = 8


class _Outcome(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, op: Callable[[], Any], outcome: _Outcome) -> None:
        super().__init__()
        self._op = op
        self._outcome = outcome

    def run(self) -> None:
        try:
            result = self._op()
        except Exception as error:
            self._tell(self._outcome.failed, error)
        else:
            self._tell(self._outcome.succeeded, result)

    def _tell(self, signal: SignalInstance, value: object) -> None:
        with contextlib.suppress(RuntimeError):  # the app quit while this ran: no one to tell
            signal.emit(value)


class TaskRunner:
    def __init__(self, pool: QThreadPool | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()
        # The work waits on the network, not the CPU: a streaming reply, a coach check
        # and a model listing must not queue behind each other on a two-core machine.
        self._pool.setMaxThreadCount(max(self._pool.maxThreadCount(), MIN_THREADS))
        self._pending: set[_Outcome] = set()

    def run(
        self,
        op: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run `op` off the GUI thread. With an `owner` (the widget the callbacks
        update), results that arrive after it was destroyed are dropped."""
        outcome = _Outcome()  # created here, so it lives on the GUI thread
        self._pending.add(outcome)

        def finish() -> None:
            self._pending.discard(outcome)
            outcome.deleteLater()

        def alive(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            if owner is None:
                return callback
            return lambda value: callback(value) if shiboken6.isValid(owner) else None

        queued = Qt.ConnectionType.QueuedConnection
        outcome.succeeded.connect(alive(on_success), queued)
        if on_failure is not None:
            outcome.failed.connect(alive(on_failure), queued)
        outcome.succeeded.connect(finish, queued)
        outcome.failed.connect(finish, queued)
        self._pool.start(_Task(op, outcome))

    def start(self, runnable: QRunnable) -> None:
        self._pool.start(runnable)

    def wait_for_done(self, msecs: int = 5000) -> bool:
        return self._pool.waitForDone(msecs)
