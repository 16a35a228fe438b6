"""Diff a learner's message against the teacher's corrected version.

The UI strikes through what was wrong and shows the fix beside it. The marks are computed
here from the two texts alone, never from offsets a language model reports, because those
are unreliable (tokens, not characters; often simply off by a few).

Text is split into grapheme clusters, so an accent, an emoji ZWJ sequence or a flag is
never cut in half, and the diff runs over words, whitespace runs and single symbols.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum
from functools import lru_cache

from tutor.domain.patterns import pattern

# Scripts written without spaces: a run of them is a sentence, not a word, so each
# grapheme is its own token. Script extensions (scx) also catch shared marks like ー, 々.
NO_SPACE_SCRIPTS = (
    r"[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}"
    r"\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}]"
)


def graphemes(text: str) -> list[str]:
    """The grapheme clusters of `text`: what a reader sees as one character."""
    return pattern(r"\X").findall(text)


# Every whitespace token gets this key, so "a  b" vs "a b" or a newline vs a space is no change.
_SPACE_KEY = " "


@dataclass(frozen=True)
class Segment:
    original: str
    """Text as in the learner's message ("" for a pure insertion)."""
    corrected: str
    """Text as in the corrected message ("" for a pure deletion)."""
    start: int
    """Index of `original` in the learner's text; for an insertion, where it goes."""
    changed: bool
    word: tuple[str, str] | None = None
    """For a change made inside one word (character level): the whole word before and after,
    e.g. ("parc", "park"); else None."""


class _Kind(Enum):
    SPACE = "space"
    WORD = "word"
    SOLO = "solo"  # punctuation, symbols, emoji and graphemes of no-space scripts


@lru_cache(maxsize=4096)
def _kind(chunk: str) -> _Kind:
    """The kind of a grapheme, or of a token (which has the kind of its first grapheme).

    Cached: a diff asks it of every grapheme of both texts, and the same few letters
    come back again and again (the coach's scorecard diffs 200 sentences in a row; the
    cache took a sentence's diff from about 700 to 400 µs, benchmarks/coach_score.py)."""
    if chunk.isspace():
        return _Kind.SPACE
    if unicodedata.category(chunk[0])[0] in "LMN" and not pattern(NO_SPACE_SCRIPTS).match(chunk):
        return _Kind.WORD
    return _Kind.SOLO


def tokenize(text: str) -> list[str]:
    """Split text into words, whitespace runs and single other graphemes; joins back to text."""
    tokens: list[str] = []
    previous: _Kind | None = None
    for grapheme in graphemes(text):
        kind = _kind(grapheme)
        if kind is previous and kind is not _Kind.SOLO:
            tokens[-1] += grapheme
        else:
            tokens.append(grapheme)
        previous = kind
    return tokens


def _key(token: str) -> str:
    return _SPACE_KEY if _kind(token) is _Kind.SPACE else unicodedata.normalize("NFC", token)


# (original, corrected, changed, word): a segment before its offset is known.
_Part = tuple[str, str, bool, tuple[str, str] | None]


def _within_word(old: str, new: str) -> list[_Part] | None:
    """Parts for a small change inside one word ("parc" -> "park"), or None if the whole
    word should be marked: short words and heavy rewrites ("goed" -> "went") read better whole.
    """
    a, b = graphemes(old), graphemes(new)
    if min(len(a), len(b)) < 3:
        return None
    matcher = SequenceMatcher(
        None,
        [unicodedata.normalize("NFC", g) for g in a],
        [unicodedata.normalize("NFC", g) for g in b],
        autojunk=False,
    )
    opcodes = matcher.get_opcodes()
    changes = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]
    changed = sum(max(i2 - i1, j2 - j1) for i1, i2, j1, j2 in changes)
    # One wrong spot reads well inside the word; two ("freinds" -> "friends") read as
    # two mistakes where there is one, so the word is marked whole.
    if len(changes) != 1 or not 0 < changed <= 2:
        return None
    if changes[0][0] == changes[0][1]:
        return None  # a letter only added is easy to miss inside a word: mark the word
    return [
        (
            "".join(a[i1:i2]),
            "".join(b[j1:j2]),
            tag != "equal",
            None if tag == "equal" else (old, new),
        )
        for tag, i1, i2, j1, j2 in opcodes
    ]


# difflib's longest-block-first matching reads best but grows worse than quadratically
# on long, repetitive texts (2,000 Japanese characters: 15 s). Above this many token
# pairs (about 200 by 200, a few ms at worst), rapidfuzz's bit-parallel edit alignment
# takes over: 8,000 tokens in about 8 ms.
DIFFLIB_MAX_PAIRS = 40_000


def _opcodes(a: list[str], b: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    if len(a) * len(b) <= DIFFLIB_MAX_PAIRS:
        return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    from rapidfuzz.distance import Levenshtein  # 20 ms to import: only long texts need it

    return [
        (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Levenshtein.opcodes(a, b)
    ]


def diff_texts(original: str, corrected: str) -> list[Segment]:
    """Segments that rebuild both texts, alternating unchanged and changed."""
    a, b = tokenize(original), tokenize(corrected)
    a_keys, b_keys = [_key(t) for t in a], [_key(t) for t in b]
    opcodes = _opcodes(a_keys, b_keys)
    # Blocks of (changed, i1, i2, j1, j2). Neighbouring changes become one, and so do two
    # changes around a single space: "a b" -> "x y" is one rewrite, not two.
    blocks: list[tuple[bool, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        changed = tag != "equal"
        if changed and blocks and blocks[-1][0]:
            blocks[-1] = (True, blocks[-1][1], i2, blocks[-1][3], j2)
        elif (
            changed
            and len(blocks) >= 2
            and blocks[-2][0]
            and blocks[-1][2] - blocks[-1][1] == 1
            and a_keys[blocks[-1][1]] == _SPACE_KEY
        ):
            first = blocks[-2]
            blocks[-2:] = [(True, first[1], i2, first[3], j2)]
        else:
            blocks.append((changed, i1, i2, j1, j2))

    parts: list[_Part] = []
    for changed, i1, i2, j1, j2 in blocks:
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        inner = None
        if changed and i2 - i1 == 1 and j2 - j1 == 1 and _kind(old) is _kind(new) is _Kind.WORD:
            inner = _within_word(old, new)
        for part in inner or [(old, new, changed, None)]:
            # A word split at grapheme level may start or end unchanged, next to an unchanged
            # block: join them. Changes never touch, since blocks alternate.
            if parts and not part[2] and not parts[-1][2]:
                parts[-1] = (parts[-1][0] + part[0], parts[-1][1] + part[1], False, None)
            else:
                parts.append(part)

    segments: list[Segment] = []
    start = 0
    for old, new, changed, word in parts:
        segments.append(Segment(old, new, start, changed, word))
        start += len(old)
    return segments
