"""A reading of some characters of a text: what every reading aid gives (see
reading_aids.py), kept apart so each language's reader and the aids' front share it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    """How the characters text[start:end] are read."""

    start: int
    end: int
    text: str
    parts: tuple[str, ...] = ()
    """The reading of each character of the span, where each has its own (pinyin: one
    syllable a character), so it can stand over its character; else empty."""


Reader = Callable[[str], list[Reading]]
"""A language's reader, its libraries loaded: a text's readings, in order."""
