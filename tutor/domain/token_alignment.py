"""Tutor's marks laid onto a corpus's tokens, and the counts MultiGED-2023 scores by.

Tutor marks characters of the learner's text (tutor/domain/corrections.py builds them
from the coach's corrected text by a grapheme and word diff); the corpus labels tokens.
The rule (docs/coach-score.md says why):

- a mark covering any character of a token marks that token; a mark over several
  tokens marks each of them;
- a mark that covers only the space between two tokens (two words joined, "dopo
  domani" → "dopodomani") marks both;
- an insertion (nothing struck, something added) marks the token after it, as
  MultiGED labels a missing word on the token that follows; an insertion inside a
  token, or one that lengthens the word it touches ("hous" → "house"), marks that token;
  an insertion after the last token marks nothing, as MultiGED has no token to label
  it on (its conversion script drops such edits).

Every mark the learner would see counts, notes included: the score is of what the
learner is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tutor.domain.coach_score import TokenCounts
from tutor.domain.corrections import Mark, is_word_char

Span = tuple[int, int]


def marked_tokens(text: str, spans: Sequence[Span], marks: Iterable[Mark]) -> list[bool]:
    """One flag a token: True where a mark falls on it."""
    flags = [False] * len(spans)
    for mark in marks:
        for index in tokens_of_edit(text, spans, mark.start, mark.end, mark.corrected):
            flags[index] = True
    return flags


def tokens_of_edit(text: str, spans: Sequence[Span], start: int, end: int, added: str) -> list[int]:
    """The indexes of the tokens an edit of text[start:end] into `added` falls on, by
    the rule above (also how UA-GEC's corrections become token labels)."""
    if start < end:
        covered = [i for i, (a, b) in enumerate(spans) if a < end and start < b]
        if covered:
            return covered
        # Only space between tokens: the tokens on either side are changed together.
        before = [i for i, (_a, b) in enumerate(spans) if b <= start]
        after = [i for i, (a, _b) in enumerate(spans) if a >= end]
        return before[-1:] + after[:1]
    return _insertion_token(text, spans, start, added)


def _insertion_token(text: str, spans: Sequence[Span], at: int, added: str) -> list[int]:
    for index, (a, b) in enumerate(spans):
        if a < at < b:
            return [index]  # inside a word: the word is wrong
        if b == at and _lengthens(text, at, added):
            return [index]
        if a >= at:
            return [index]
    return []


def _lengthens(text: str, at: int, added: str) -> bool:
    """True if `added`, put at `at`, carries on the word that ends there."""
    return bool(added) and at > 0 and is_word_char(text[at - 1]) and is_word_char(added[0])


def token_counts(gold: Sequence[bool], predicted: Sequence[bool]) -> TokenCounts:
    """MultiGED-2023's counts (its eval.py): a token labelled incorrect and marked is a
    true positive, marked but labelled correct a false positive, labelled and not marked
    a false negative."""
    if len(gold) != len(predicted):
        # A programming error (the tokens of one sentence against another's): never shown.
        raise ValueError(f"{len(gold)} labels but {len(predicted)} predictions")  # i18n: ignore
    tp = fp = fn = 0
    for wrong, marked in zip(gold, predicted, strict=True):
        if wrong and marked:
            tp += 1
        elif marked:
            fp += 1
        elif wrong:
            fn += 1
    return TokenCounts(tp, fp, fn)
