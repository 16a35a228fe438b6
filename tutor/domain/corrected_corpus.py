"""Token labels from a corpus that keeps corrections rather than labels (UA-GEC): each
correction is a character span of the learner's document, and a token is labelled
incorrect where a correction falls on it, by the rule Tutor's own marks are laid onto
tokens with (tutor/domain/token_alignment.py). The text the coach is shown is the
learner's own sentence, as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tutor.domain.learner_corpus import LabelledSentence
from tutor.domain.token_alignment import tokens_of_edit


@dataclass(frozen=True)
class Correction:
    start: int
    """Where the corrected fragment starts in the document's original text."""
    end: int
    replacement: str


def labelled_document(
    original: str,
    sentences: Sequence[str],
    tokenized: Sequence[str],
    corrections: Iterable[Correction],
) -> list[LabelledSentence]:
    """The document's sentences, labelled from its corrections.

    `sentences`: the document split into sentences, in order, each as it stands in
    `original`; `tokenized`: the same sentences with their tokens separated by spaces.
    A sentence that cannot be found in the document, or whose tokens cannot be found in
    the sentence (a tokenizer that rewrote a character), is left out rather than
    labelled by guesswork.
    """
    edits = sorted(corrections, key=lambda c: (c.start, c.end))
    found: list[LabelledSentence] = []
    cursor = 0
    for sentence, tokens_line in zip(sentences, tokenized, strict=True):
        start = original.find(sentence, cursor)
        if start < 0 or not sentence.strip():
            continue
        cursor = start + len(sentence)
        tokens = tokens_line.split()
        spans = _token_spans(sentence, tokens)
        if spans is None or not tokens:
            continue
        wrong = [False] * len(tokens)
        for edit in edits:
            if edit.end < start or edit.start > cursor:
                continue
            inside_start = max(edit.start, start) - start
            inside_end = min(edit.end, cursor) - start
            for index in tokens_of_edit(
                sentence, spans, inside_start, inside_end, edit.replacement
            ):
                wrong[index] = True
        found.append(LabelledSentence(tuple(tokens), tuple(wrong), (sentence, tuple(spans))))
    return found


def _token_spans(sentence: str, tokens: Sequence[str]) -> list[tuple[int, int]] | None:
    spans = []
    at = 0
    for token in tokens:
        start = sentence.find(token, at)
        if start < 0 or sentence[at:start].strip():
            return None  # not the next thing in the sentence: the tokenizer changed it
        spans.append((start, start + len(token)))
        at = start + len(token)
    return spans
