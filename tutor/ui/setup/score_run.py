"""One measuring run of the coach (tutor/services/coach_score.py), off the GUI thread.

`run_score` waits on the network for minutes, so it runs on a pool thread (TaskRunner);
its progress arrives from worker threads and crosses to the GUI thread through a queued
signal. The card is saved on the GUI thread, where the store is written, whether or not
the dialog that started the run is still open: closing the dialog cancels the run, and
what was measured before is kept as a partial card.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

from tutor.i18n.translate import _
from tutor.llm.client import ServerConfig
from tutor.services.coach_score import ScoreError, ScoreOutcome, ScorePlan, ScoreProgress, run_score
from tutor.ui.shell.context import AppContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunEnd:
    """How a run ended, as the dialog shows it."""

    outcome: ScoreOutcome | None
    """None when the run could not start or broke off with nothing measured."""
    problem: str | None
    """Why it stopped early, or why the card could not be kept; plain words."""


class _Relay(QObject):
    """Lives on the GUI thread; worker threads emit, the GUI thread receives."""

    progress = Signal(object)


class ScoreRun:
    """Start with `start`; `cancel` stops it after the requests in flight."""

    def __init__(self, context: AppContext, plan: ScorePlan, config: ServerConfig) -> None:
        self._context = context
        self._plan = plan
        self._config = config
        self._cancel = threading.Event()
        self._relay = _Relay()
        self.running = False

    def start(
        self,
        owner: QObject,
        progress: Callable[[ScoreProgress], None],
        ended: Callable[[RunEnd], None],
        saved: Callable[[], None] | None = None,
    ) -> None:
        """`progress` and `ended` are called on the GUI thread while `owner` lives;
        `saved` whenever a card was kept, even after `owner` is gone."""
        self._relay.progress.connect(
            lambda value: progress(value) if shiboken6.isValid(owner) else None,
            Qt.ConnectionType.QueuedConnection,
        )
        self.running = True
        # Gone without closing (the window quit, Settings destroyed with it): stop too,
        # or the pool would send the rest of the run before the app could end.
        owner.destroyed.connect(self.cancel)
        plan, config, clients, cancel = (
            self._plan,
            self._config,
            self._context.clients,
            self._cancel,
        )
        relay = self._relay

        def report(value: ScoreProgress) -> None:
            with contextlib.suppress(RuntimeError):  # the app quit while this ran
                relay.progress.emit(value)

        def measure() -> ScoreOutcome:
            return run_score(plan, clients.client(config), on_progress=report, cancel=cancel)

        def finish(end: RunEnd) -> None:
            self.running = False
            if shiboken6.isValid(owner):
                ended(end)

        def done(outcome: ScoreOutcome) -> None:
            problem = outcome.problem
            try:
                if outcome.path is not None:  # as a check in practice remembers it
                    self._context.corrections.remember_coach_path(
                        plan.base_url, plan.model, outcome.path
                    )
                if outcome.card.sentences > 0:
                    self._context.coach_scores.save(outcome.card)
                    if saved is not None:
                        saved()
            except sqlite3.Error as error:  # a full disk, a database closed as the app quit
                log.warning("a coach scorecard could not be saved: %s", error)
                problem = _(
                    "These figures could not be kept ({reason}); they are shown here only."
                ).format(reason=error)
            finish(RunEnd(outcome, problem))

        def failed(error: Exception) -> None:
            finish(RunEnd(None, self.explain(error)))

        self._context.tasks.run(measure, done, failed)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def explain(self, error: Exception) -> str:
        """Any failure in words: a bad file says what is wrong with it, the network and
        the server as every request says them (tutor/llm/errors.py); never a traceback."""
        if isinstance(error, ScoreError):
            return str(error)
        from tutor.llm.errors import ErrorKind, explain

        explained = explain(error, self._config.base_url, self._config.model)
        if explained.kind is ErrorKind.UNEXPECTED:
            log.error("the coach's measuring failed", exc_info=error)
        return str(explained)
