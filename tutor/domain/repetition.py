"""A reply that repeats itself: a small model caught in a loop writes the same sentence or
phrase again and again ("You're welcome. You're welcome. …") until the server's cap or
its context is full, and the learner waits and pays for every repeat.

What counts as a loop: the end of the reply is one unit (1 to 400 characters) written
back to back, exactly, at least 4 times, and long enough that no one writes it so:
together the repeats weigh at least 64 (a character weighs 1, a wide CJK character 2,
as it carries about as much as two or three Latin ones). So a sentence of 16 characters
or more (8 CJK) is noticed at its 4th occurrence, a shorter phrase later (a unit of 4
characters at its 16th, of 1 at its 64th). Not 3: a tutor may well write "Repite: Me
gustaría un café. Me gustaría un café. Me gustaría un café." And "¡Sí, sí, sí!",
"jajajaja", "哈哈哈哈哈", "はいはいはい", "No, no, no, no" or "¡Felicidades,
felicidades, felicidades!" are far from it. Text that varies from one repeat to the next (a
counter, a list of different items) is not a loop here; the request's cap ends that.

What is kept: the reply up to the end of the unit's first occurrence (its first three,
for a unit under 8, so a laugh stays "jajaja"), ended at a sentence's end, a line's end
or a word's end where the unit has one, so "De nada. You're welcome. You're welc…"
keeps "De nada. You're welcome." The learner reads what the model meant to say once,
and the history sent next carries no loop.

Pure and cheap: the reply worker feeds RepetitionWatch each piece on its pool thread;
the watch looks at the end of the text once at least 16 new characters have come,
which costs a few microseconds when nothing repeats.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

MAX_UNIT_CHARS = 400
MIN_OCCURRENCES = 4
MIN_LOOP_WEIGHT = 64
SHORT_UNIT_WEIGHT = 8  # a unit lighter than this keeps 3 occurrences ("jajaja")
SHORT_UNIT_KEPT = 3
CHECK_EVERY_CHARS = 16
_NEEDLE_CHARS = 8  # the end of the text looked for earlier on: where it recurs, a unit may
_KEPT_TAIL_CHARS = 4096  # the watch keeps this much of the text (a loop needs <= 1,600)

_SENTENCE_ENDS = frozenset(".!?…。！？｡")
_CLOSERS = frozenset("\"'»”’)]）」』】")


@dataclass(frozen=True)
class Loop:
    """Where a reply began repeating itself, and what of it to keep."""

    start: int
    """Where the repetition began: the unit's first occurrence, as it was first written
    (or a character or two before, where the text before it happens to agree)."""
    unit: str
    """One occurrence, as first written from `start`."""
    occurrences: int
    """How many times in a row the unit had come when the loop was noticed."""
    kept: int
    """The reply to keep is text[:kept] (then without trailing white space)."""
    length: int
    """The reply's length when the loop was noticed."""

    @property
    def dropped(self) -> int:
        """How many characters at the end are the loop's, not kept."""
        return self.length - self.kept


def weight(text: str) -> int:
    """Characters, a wide (CJK) one counting 2."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def occurrences_needed(unit: str) -> int:
    """How many times in a row `unit` must come before it is a loop."""
    unit_weight = max(1, weight(unit))
    return max(MIN_OCCURRENCES, -(-MIN_LOOP_WEIGHT // unit_weight))


def find_loop(text: str) -> Loop | None:
    """The loop `text` ends in, or None. The shortest unit that is one wins."""
    n = len(text)
    if n < MIN_LOOP_WEIGHT // 2:  # the least a loop can be: 32 wide characters
        return None
    needle = text[n - _NEEDLE_CHARS :]
    lowest = max(0, n - MAX_UNIT_CHARS - _NEEDLE_CHARS)
    end = n - 1
    while True:
        # Each earlier occurrence of the text's end, nearest first, proposes a unit of
        # the length between the two: a loop's unit is always one of these.
        found = text.rfind(needle, lowest, end)
        if found < 0:
            return None
        period = n - _NEEDLE_CHARS - found
        end = found + _NEEDLE_CHARS - 1
        if _repeats(text, period, MIN_OCCURRENCES):
            needed = occurrences_needed(text[n - period :])
            if _repeats(text, period, needed):
                return _loop(text, period)


def _repeats(text: str, period: int, times: int) -> bool:
    """The last `times` * `period` characters are one unit written `times` times."""
    span = times * period
    n = len(text)
    return span <= n and text[n - span + period :] == text[n - span : n - period]


def _loop(text: str, period: int) -> Loop:
    n = len(text)
    start = n - period
    while start >= period and text[start - period : start] == text[start : start + period]:
        start -= period
    # Then character by character, ignoring case, so that "Jajaja…" begins at its "J".
    while start > 0 and text[start - 1].casefold() == text[start - 1 + period].casefold():
        start -= 1
    unit = text[start : start + period]
    keep = SHORT_UNIT_KEPT if weight(unit) < SHORT_UNIT_WEIGHT else 1
    return Loop(start, unit, (n - start) // period, _cut(text, start, period, keep), n)


def _cut(text: str, start: int, period: int, keep: int) -> int:
    """Where the kept text ends: after `keep` occurrences from `start` (less the white
    space they end with), at the first sentence end from there, else a line's or a
    word's end, else right there."""
    first = start + keep * period
    first -= len(text[start:first]) - len(text[start:first].rstrip())
    if first == 0:
        return 0  # nothing but white space, repeated
    last = min(len(text), first + period)
    for boundary in (_ends_sentence, _ends_line, _ends_word):
        for cut in range(first, last):
            if boundary(text, cut):
                return cut
    return first


def _ends_sentence(text: str, cut: int) -> bool:
    before = text[cut - 1]
    if before in _CLOSERS and cut >= 2:
        before = text[cut - 2]
    return before in _SENTENCE_ENDS


def _ends_line(text: str, cut: int) -> bool:
    return cut < len(text) and text[cut] == "\n"


def _ends_word(text: str, cut: int) -> bool:
    return not text[cut - 1].isspace() and cut < len(text) and text[cut].isspace()


class RepetitionWatch:
    """Fed the pieces of one reply as they arrive; says when it begins repeating itself.

    Keeps only the end of the text (a loop is noticed within its first 1,600 characters).
    """

    def __init__(self) -> None:
        self._tail = ""
        self._offset = 0  # characters of the reply before the kept tail
        self._unchecked = 0

    def add(self, piece: str) -> Loop | None:
        """The loop the reply now ends in, or None; looked for every 16 new characters."""
        self._tail += piece
        self._unchecked += len(piece)
        if self._unchecked < CHECK_EVERY_CHARS:
            return None
        self._unchecked = 0
        if len(self._tail) > 2 * _KEPT_TAIL_CHARS:
            cut = len(self._tail) - _KEPT_TAIL_CHARS
            self._tail = self._tail[cut:]
            self._offset += cut
        found = find_loop(self._tail)
        if found is None:
            return None
        shift = self._offset  # from the tail to the whole reply
        return replace(
            found, start=found.start + shift, kept=found.kept + shift, length=found.length + shift
        )
