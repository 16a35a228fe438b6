"""Where the readings of a message go (tutor/ui/chat/reading_overlay.py draws them):
which pieces stand over which characters, the room to make between words so readings
side by side do not touch, and the painting of one message's readings from the
document's own layout (each piece centred over its characters on their line).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTextBlock, QTextFormat, QTextLine

from tutor.domain.readings import Reading

ROOM = QTextFormat.Property.UserProperty + 18
"""Set on a block this overlay made room in (its value: the pixels added above it)."""
WAS_LINE_HEIGHT = QTextFormat.Property.UserProperty + 19
"""The block's line height and its type before the room was made."""
GAP = 2
"""Pixels between a reading and the line it reads."""
READING_GAP = 4
"""Pixels at least between two readings side by side."""
MIN_SQUEEZE = 0.7
"""A reading wider than its word is narrowed down to this, then moves right of the one
before instead of covering it."""


Unit = tuple[int, int, str, float]
"""A piece in the document: start and end in UTF-16 units from the text's first block,
the reading, and the pixels of room made after its last character."""


Placed = tuple[str, float, float, float, float]
"""A reading laid out: its text, x and baseline from the top left of the message's
first block, its width as drawn, and how much it is narrowed (1: not at all)."""


def place_readings(body: QTextBlock, units: Sequence[Unit], font: QFont) -> list[Placed]:
    """Where a message's readings go, each centred over its characters just above their
    line, from the top left of `body` (the block its text starts in). It holds while the
    message's own layout does: the overlay keeps it until the width changes."""
    layout = body.document().documentLayout()
    metrics = QFontMetricsF(font)
    top_left = layout.blockBoundingRect(body).topLeft()
    placed: list[Placed] = []
    base = body.position()
    block = body
    origin = QPointF()
    previous_end, previous_line = -math.inf, -1.0
    for start, end, reading, spaced in units:
        position = base + start
        if position >= block.position() + block.length():
            while block.isValid() and position >= block.position() + block.length():
                block = block.next()
            if not block.isValid():
                break
            origin = layout.blockBoundingRect(block).topLeft() - top_left
        line = block.layout().lineForTextPosition(position - block.position())
        if not line.isValid():
            continue
        x0 = _x(line, position - block.position())
        last = min(base + end, block.position() + line.textStart() + line.textLength())
        x1 = _x(line, last - block.position())
        if last == base + end:
            x1 -= spaced  # the room made after the piece is not part of it
        width = metrics.horizontalAdvance(reading)
        line_top = origin.y() + line.y()
        first_on_line = line_top != previous_line
        if first_on_line:  # a line's first reading starts within it, at its full width
            previous_end = origin.x() + line.x() - READING_GAP / 2
            previous_line = line_top
        centre = origin.x() + (x0 + x1) / 2
        leftmost = previous_end + READING_GAP / 2
        squeeze = 1.0
        if width and centre - width / 2 < leftmost and not first_on_line:
            # No room was made here (a narrow window): narrower, then to the right.
            squeeze = max(MIN_SQUEEZE, min(1.0, 2 * (centre - leftmost) / width))
        shown_width = width * squeeze
        x = max(centre - shown_width / 2, leftmost)
        previous_end = x + shown_width
        placed.append((reading, x, line_top - metrics.descent() - GAP, shown_width, squeeze))
    return placed


def draw_readings(
    painter: QPainter, readings: Sequence[Placed], at: QPointF, font: QFont
) -> list[tuple[str, QRectF]]:
    """Draw readings laid out by place_readings, `at` the viewport's place of the
    message's first block; what was drawn and where."""
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    ascent, height = metrics.ascent(), metrics.height()
    ax, ay = at.x(), at.y()
    drawn: list[tuple[str, QRectF]] = []
    for reading, x, baseline, width, squeeze in readings:
        if squeeze == 1.0:
            painter.drawText(QPointF(ax + x, ay + baseline), reading)
        else:
            painter.save()
            painter.translate(ax + x, ay + baseline)
            painter.scale(squeeze, 1.0)
            painter.drawText(QPointF(0, 0), reading)
            painter.restore()
        drawn.append((reading, QRectF(ax + x, ay + baseline - ascent, width, height)))
    return drawn


def placed(body: QTextBlock, text: str) -> bool:
    """The block is still where the text starts, with the room made for it: a message
    drawn again, or a conversation drawn afresh, leaves blocks that are another's."""
    if not body.isValid() or not body.blockFormat().hasProperty(ROOM):
        return False
    head = text.split("\n", 1)[0][:40]
    return body.text().startswith(head)


def _x(line: QTextLine, position: int) -> float:
    """Where a position in the block stands on its line (PySide answers a pair)."""
    answer = line.cursorToX(position)
    return float(answer[0] if isinstance(answer, tuple) else answer)  # type: ignore[arg-type]


def pieces_of(readings: Sequence[Reading]) -> list[tuple[int, int, str]]:
    """(start, end, text) to draw: a reading with one part a character drawn as its
    characters (a syllable over each), else as a whole."""
    pieces: list[tuple[int, int, str]] = []
    for reading in readings:
        if reading.parts and len(reading.parts) == reading.end - reading.start:
            pieces.extend(
                (reading.start + i, reading.start + i + 1, part)
                for i, part in enumerate(reading.parts)
            )
        else:
            pieces.append((reading.start, reading.end, reading.text))
    return pieces


class Widths:
    """Widths of strings in one font, remembered: the same syllables, kana and
    characters come again and again, and asking Qt costs about 4 µs each time."""

    def __init__(self, font: QFont) -> None:
        self._metrics = QFontMetricsF(font)
        self._known: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        width = self._known.get(text)
        if width is None:
            width = self._known[text] = self._metrics.horizontalAdvance(text)
        return width


def spacing_for(
    text: str,
    pieces: Sequence[tuple[int, int, str]],
    text_width: Widths,
    reading_width: Widths,
    *,
    even: bool = False,
) -> dict[int, float]:
    """Pixels to add after characters of `text` (by offset) so that each two readings
    next to each other have room side by side: half of what each reading is wider than
    its characters, less what stands between them, goes after the last character before
    the second (the space between two Korean words, or a Chinese character itself)."""
    spacing: dict[int, float] = {}
    overhangs = [
        max(0.0, (reading_width(reading) - text_width(text[start:end])) / 2)
        for start, end, reading in pieces
    ]
    for index in range(len(pieces) - 1):
        first, second = pieces[index], pieces[index + 1]
        between = text[first[1] : second[0]]
        if "\n" in between or "\u2029" in between:
            continue  # not on one line
        # A reading at the start of a line cannot stand out to the left: all of its
        # overhang is on the right.
        starts_line = first[0] == 0 or text[first[0] - 1] == "\n"
        needed = overhangs[index] * (2 if starts_line else 1) + overhangs[index + 1]
        extra = needed + READING_GAP - (text_width(between) if between else 0.0)
        if extra > 0.5:
            spacing[second[0] - 1] = round(extra, 1)
    if even and spacing:
        # Characters spaced alike read better than a gap wherever a syllable is long:
        # most pairs get the same room, a long syllable a little more.
        common = sorted(spacing.values())[len(spacing) * 3 // 4]
        for first, second in itertools.pairwise(pieces):
            if first[1] == second[0]:
                spacing[first[1] - 1] = max(common, spacing.get(first[1] - 1, 0.0))
    return spacing
