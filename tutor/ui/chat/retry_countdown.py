"""The countdown to an automatic retry while the server limits requests (HTTP 429): the
words once a second, then `due`. What to wait and say is the domain's
(tutor/domain/retry_policy.py); this only keeps the clock, without ever blocking."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from tutor.domain.retry_policy import FailureDecision, RateLimitRetries

log = logging.getLogger(__name__)


class RetryCountdown(QObject):
    waiting = Signal(str)  # the countdown in words, once a second
    due = Signal()  # time to ask again

    def __init__(self, tick_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._retries = RateLimitRetries()
        self._timer = QTimer(self, interval=tick_ms)
        self._timer.timeout.connect(self._tick)

    @property
    def is_active(self) -> bool:
        return self._timer.isActive()

    def after_failure(
        self, words: str, *, rate_limited: bool, retry_after: float | None, kept_text: bool
    ) -> FailureDecision:
        """What to do about a failed reply (RateLimitRetries.after_failure); when it is to
        be retried, start() counts down once the reply is stored."""
        return self._retries.after_failure(
            words, rate_limited=rate_limited, retry_after=retry_after, kept_text=kept_text
        )

    def start(self) -> None:
        log.info("rate limited; retry %d in %d s", self._retries.tries, self._retries.seconds_left)
        self._timer.start()
        self.waiting.emit(self._retries.waiting_words())

    def reset(self) -> None:
        """The learner asked (sent or pressed Retry), or a reply came: count afresh."""
        self._retries.reset()

    def cancel(self) -> bool:
        """Stop counting down; True if it was."""
        if not self._timer.isActive():
            return False
        self._timer.stop()
        self._retries.reset()
        return True

    def _tick(self) -> None:
        if not self._retries.tick():
            self.waiting.emit(self._retries.waiting_words())
            return
        self._timer.stop()
        self.due.emit()
