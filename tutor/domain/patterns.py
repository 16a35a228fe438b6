"""Patterns of the `regex` module (Unicode scripts, grapheme clusters), compiled once, at
first use.

Importing `regex` and compiling the patterns Tutor uses costs about 30 ms, which
start-up would pay before the window is ready although nothing then needs them; the
modules keep their patterns as source text and ask for them here when they run.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex


@cache
def pattern(source: str) -> regex.Pattern[str]:
    import regex

    return regex.compile(source)
