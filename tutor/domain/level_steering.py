"""When the partner's replies keep missing the learner's level, an instruction for its
next requests that names what to change, with examples from its own replies.

Too hard: 2 of the last 3 judged replies below 90% known (level_bands.TOO_HARD_BELOW).
The instruction names the words above the level it actually used, so the model sees
what "simpler" means here. Too easy (for B2 and above only: an A1 learner cannot get
replies too easy): the last 3 judged replies each at least 99.5% known, about one word
above the level in two hundred. Either instruction goes once the replies fit again, as
the window of recent replies moves on. Sent to the model, so in English.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tutor.domain.level_bands import Verdict
from tutor.domain.level_fit import LevelFit
from tutor.domain.levels import Level

RECENT = 3
"""The replies looked at: the last three judged ones."""
TOO_HARD_TIMES = 2
TOO_EASY_FROM = 0.995
MAX_EXAMPLES = 5
_ADVANCED = frozenset({Level.B2, Level.C1, Level.C2})


def level_steering(level: Level, recent: Sequence[LevelFit]) -> str | None:
    """The instruction for the next request, from the fits of the replies so far (oldest
    first), or None when the replies fit the level."""
    judged = [fit for fit in recent if fit.judged][-RECENT:]
    too_hard = [fit for fit in judged if fit.verdict is Verdict.TOO_HARD]
    if len(too_hard) >= TOO_HARD_TIMES:
        examples = _examples(reversed(too_hard))
        return (
            f"Your recent replies were too hard for this {level.value} learner: too many "
            f"words they do not know yet, such as {examples}. Avoid rare, formal or "
            f"specialised words like these; use common everyday words a learner at {level.value} "
            "knows; if you need a rarer word, say it in simpler words too."  # i18n: ignore
        )
    if (
        level in _ADVANCED
        and len(judged) == RECENT
        and all((fit.share or 0) >= TOO_EASY_FROM for fit in judged)
    ):
        return (
            f"Your recent replies used only the most common words, which is too easy for "
            f"this {level.value} learner. Use a richer vocabulary suited to {level.value}: "
            "less common and more precise words, idioms and natural expressions."  # i18n: ignore
        )
    return None


def _examples(fits: Iterable[LevelFit]) -> str:
    words: list[str] = []
    for fit in fits:
        for word in fit.hard_words():
            if word not in words:
                words.append(word)
    return ", ".join(f'"{word}"' for word in words[:MAX_EXAMPLES])
