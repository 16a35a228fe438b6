"""A learner's text with its correction marks, cut into the pieces every view draws.

The chat (tutor/ui/chat/message_writer.py), the review card (tutor/ui/review) and the
Markdown export (tutor/domain/markdown_export.py) draw the same pieces and differ only in
style: what was written and is wrong (struck), the fix (inserted), the space between a
struck word and its fix, a note (flagged, not changed), a mark the learner dismissed, and
the plain text around them. The one rule where they differ is a parameter, `whole_words`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from tutor.domain.corrections import Mark, MarkKind, inside_word, is_word_char, word_bounds
from tutor.domain.patterns import pattern
from tutor.domain.textdiff import NO_SPACE_SCRIPTS


class Piece(StrEnum):
    PLAIN = "plain"
    """The learner's text, untouched."""
    STRUCK = "struck"
    """What the learner wrote that a change replaces or removes."""
    GAP = "gap"
    """One space between a struck word and its fix (none inside a word: "par~~c~~k")."""
    INSERTED = "inserted"
    """The fix: what replaces the struck text, or what was missing."""
    NOTE = "note"
    """Text a note points at: flagged, not changed (its mark says what would be better)."""
    DISMISSED = "dismissed"
    """The text of a mark the learner said was right, as written (may be empty)."""


@dataclass(frozen=True)
class Segment:
    piece: Piece
    text: str
    index: int | None = None
    """The mark's position in the marks given (for a link to it); None for plain text.
    Changes drawn as one (`whole_words`) carry the first one's position."""
    mark: Mark | None = None


def fitting_marks(text: str, marks: Iterable[Mark]) -> list[tuple[int, Mark]]:
    """(position, mark) of the marks that can be drawn, in the order given: each still
    matches the text it points into and starts at or after the end of the one before.
    A mark that does not (a damaged file, an edited message) is left out."""
    kept: list[tuple[int, Mark]] = []
    end = 0
    for index, mark in enumerate(marks):
        # start >= end >= 0 and end <= len(text): an empty slice would fit anywhere.
        within = mark.start >= end and mark.end <= len(text)
        if within and text[mark.start : mark.end] == mark.original:
            kept.append((index, mark))
            end = mark.end
    return kept


def mark_segments(text: str, marks: Sequence[Mark], *, whole_words: bool = False) -> list[Segment]:
    """`text` with `marks` drawn in, as pieces in reading order.

    The plain, struck, note and dismissed pieces put together give `text` back; plain,
    inserted, note and dismissed pieces give it with every change that stands made.

    `whole_words=False` (the chat, a review card): each change as the coach made it, a
    changed letter struck inside its word. `whole_words=True` (the Markdown export, where
    strikethrough inside a word is plain text to many readers): in scripts with spaces a
    change is widened to the whole word, changes that then touch become one, and a
    dismissed mark is plain text (no DISMISSED pieces).
    """
    fitting = fitting_marks(text, marks)
    if whole_words:
        return _segments_in_words(text, fitting)
    segments: list[Segment] = []
    at = 0
    for index, mark in fitting:
        _plain(segments, text[at : mark.start])
        if mark.dismissed:
            segments.append(Segment(Piece.DISMISSED, mark.original, index, mark))
        elif mark.kind is MarkKind.NOTE:
            segments.append(Segment(Piece.NOTE, mark.original, index, mark))
        else:
            within = inside_word(text, mark.start, mark.end)
            _change(segments, mark.original, mark.corrected, index, mark, within)
        at = mark.end
    _plain(segments, text[at:])
    return segments


def _plain(segments: list[Segment], text: str) -> None:
    if text:
        segments.append(Segment(Piece.PLAIN, text))


def _change(
    segments: list[Segment],
    wrong: str,
    right: str,
    index: int,
    mark: Mark,
    within_word: bool,
) -> None:
    if wrong:
        segments.append(Segment(Piece.STRUCK, wrong, index, mark))
    if wrong and right and not within_word:
        segments.append(Segment(Piece.GAP, " ", index, mark))
    if right:
        segments.append(Segment(Piece.INSERTED, right, index, mark))


@dataclass
class _Span:
    """A stretch of the learner's text drawn as one mark: a change (or several glued
    into one word) or a note."""

    start: int
    end: int
    index: int
    changes: list[Mark] = field(default_factory=list)
    note: Mark | None = None


def _segments_in_words(text: str, fitting: list[tuple[int, Mark]]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for span in _spans(text, fitting):
        _plain(segments, text[position : span.start])
        position = span.end
        if span.note is not None:
            segments.append(Segment(Piece.NOTE, span.note.original, span.index, span.note))
        else:
            first = span.changes[0]
            within = inside_word(text, span.start, span.end)
            wrong = text[span.start : span.end]
            _change(segments, wrong, _fixed(text, span), span.index, first, within)
    _plain(segments, text[position:])
    return segments


def _spans(text: str, fitting: list[tuple[int, Mark]]) -> list[_Span]:
    """The marks to draw, a change inside a word widened to the whole word; changes that
    then share a word become one. Dismissed marks are text."""
    spans: list[_Span] = []
    for index, mark in fitting:
        if mark.dismissed:
            continue
        if mark.kind is MarkKind.NOTE:
            span = _Span(mark.start, mark.end, index, note=mark)
        else:
            span = _Span(*_widened(text, mark), index, [mark])
        if spans and span.start <= spans[-1].end and (span.changes or spans[-1].changes):
            # Overlapping or touching: one span. A note caught in it is just text here.
            last = spans.pop()
            span = _Span(
                last.start, max(last.end, span.end), last.index, last.changes + span.changes
            )
        spans.append(span)
    return spans


def _widened(text: str, mark: Mark) -> tuple[int, int]:
    start, end = mark.start, mark.end
    edge = mark.original or mark.corrected
    if not edge or pattern(NO_SPACE_SCRIPTS).search(
        text[max(start - 1, 0) : end + 1] + mark.corrected
    ):
        return start, end  # no words to widen to (Japanese, Thai): the change as it is
    if start > 0 and is_word_char(text[start - 1]) and not edge[0].isspace():
        start = word_bounds(text, start, start)[0]
    if end < len(text) and is_word_char(text[end]) and not edge[-1].isspace():
        end = word_bounds(text, end, end)[1]
    return start, end


def _fixed(text: str, span: _Span) -> str:
    """The span's text with its changes made."""
    pieces, position = [], span.start
    for change in span.changes:
        pieces += [text[position : change.start], change.corrected]
        position = change.end
    return "".join([*pieces, text[position : span.end]])


def marks_in_order(text: str, marks: Iterable[Mark]) -> list[Mark]:
    """The marks that can be drawn (see fitting_marks()), sorted by where they start."""
    return [mark for _index, mark in fitting_marks(text, sorted(marks, key=lambda m: m.start))]
