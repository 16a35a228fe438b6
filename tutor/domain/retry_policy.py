"""When a server limits requests (HTTP 429), Tutor asks again by itself, visibly: a
countdown the learner can cancel, a few times, then it stops and the learner decides.

Pure: the interface runs the clock (one tick a second) and asks this what to do and say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tutor.i18n.formats import format_number
from tutor.i18n.translate import N_, _, ngettext

MAX_AUTO_RETRIES = 3
MAX_RETRY_WAIT_S = 60  # a server asking for longer is told no: the learner decides then
BACKOFF_S = (2, 4, 8)  # when the server does not say how long to wait

STOPPED_WAITING = N_(
    "Tutor stopped waiting for the server, which is limiting requests. Press "
    "Retry when you want to try again."
)


def retry_wait_s(attempt: int, retry_after: float | None) -> int:
    """Seconds to wait before automatic retry number `attempt` (1 for the first): what the
    server asked for (Retry-After), else 2, 4, 8; never more than a minute, and at least a
    second, so a "Retry-After: 0" server is not hammered in a loop."""
    wait = retry_after if retry_after is not None else BACKOFF_S[min(attempt, len(BACKOFF_S)) - 1]
    return max(1, math.ceil(min(wait, MAX_RETRY_WAIT_S)))


@dataclass(frozen=True)
class FailureDecision:
    """What to do about a reply that failed."""

    words: str
    """What went wrong, in words for the learner (stored with the reply)."""
    retry_in_s: int | None
    """Retry by itself after this many seconds; None: say `words`, the learner decides."""


@dataclass
class RateLimitRetries:
    """The automatic retries of the reply being asked for, and the countdown to the next."""

    tries: int = 0
    """Automatic retries made (or counting down) since the learner last asked."""
    seconds_left: int = 0

    def reset(self) -> None:
        """The learner asked (sent, pressed Retry, or cancelled): start counting afresh."""
        self.tries = 0
        self.seconds_left = 0

    def after_failure(
        self, words: str, *, rate_limited: bool, retry_after: float | None, kept_text: bool
    ) -> FailureDecision:
        """A reply failed with `words`. Only a 429 that left no text behind is retried by
        itself, at most MAX_AUTO_RETRIES times; giving up after retries says so."""
        if rate_limited and not kept_text and self.tries < MAX_AUTO_RETRIES:
            self.tries += 1
            self.seconds_left = retry_wait_s(self.tries, retry_after)
            return FailureDecision(words, self.seconds_left)
        if rate_limited and self.tries:
            gave_up = ngettext(
                "Tutor tried again {count} time and gave up; wait a little, then press Retry.",
                "Tutor tried again {count} times and gave up; wait a little, then press Retry.",
                self.tries,
            ).format(count=format_number(self.tries))
            # Translators: two sentences one after the other (written without a space
            # between them in Chinese and Japanese).
            words = _("{sentence} {next_sentence}").format(sentence=words, next_sentence=gave_up)
        self.reset()
        return FailureDecision(words, None)

    def tick(self) -> bool:
        """One second has passed; True when it is time to ask again."""
        self.seconds_left -= 1
        return self.seconds_left <= 0

    def waiting_words(self) -> str:
        """The countdown, in words, said again each second."""
        # Translators: a countdown said again each second; "s" abbreviates seconds.
        return ngettext(
            "The server is limiting requests. Retrying in {seconds} s… (try {tries} of {most})",
            "The server is limiting requests. Retrying in {seconds} s… (try {tries} of {most})",
            self.seconds_left,
        ).format(
            seconds=format_number(self.seconds_left),
            tries=format_number(self.tries),
            most=format_number(MAX_AUTO_RETRIES),
        )
