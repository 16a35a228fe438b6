"""How the coach checks a spoken message: as speech, not as writing.

A transcript's punctuation, capitals and spelling are the transcriber's, not the
learner's: marking them would blame the learner for what a program wrote. So the coach
is told so, and a mark of that kind that comes back anyway is dropped. Grammar, words,
word order and register are the learner's own and are checked as usual. Nothing here
judges pronunciation: a transcript cannot measure it, and Tutor does not pretend to.
"""

from __future__ import annotations

import unicodedata

from tutor.domain.corrections import Category, Mark

SPEECH_RULE = (
    "The learner said this message aloud; it is a transcript made by a speech "  # i18n: ignore
    "recogniser. Check it as speech: its punctuation, capital letters and spelling are "
    "the recogniser's, not the learner's, so do not flag them (no items of the "
    'categories "punctuation" or "spelling", no changes that only add punctuation or '
    "capitals). Check grammar, word choice, word order and register. Do not comment on "
    "pronunciation."
)

NOT_THE_LEARNERS = frozenset({Category.PUNCTUATION, Category.SPELLING})
"""Categories a transcript's writer decides, not its speaker."""


def marks_for_speech(marks: tuple[Mark, ...]) -> tuple[Mark, ...]:
    """The marks of a spoken message that are the learner's: none of punctuation or
    spelling, and none whose only change is punctuation, capitals or spaces."""
    return tuple(
        mark
        for mark in marks
        if mark.category not in NOT_THE_LEARNERS and _bare(mark.original) != _bare(mark.corrected)
    )


def _bare(text: str) -> str:
    """The words alone: letters and digits, case folded."""
    return "".join(c for c in text.casefold() if unicodedata.category(c)[0] in "LNM")
