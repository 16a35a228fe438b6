"""Review cards: what a learner got wrong, to see again on a spaced schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReviewCard:
    id: int
    language: str
    """BCP 47 tag of the language the card practises."""
    front: str
    """The cue: the learner's sentence as written (or a word to recall)."""
    back: str
    """The corrected sentence (or the word's meaning)."""
    explanation: str
    category: str | None
    due: datetime
    message_id: int | None = None
    """The learner's message the card came from, if it came from one."""
    mark_position: int | None = None
