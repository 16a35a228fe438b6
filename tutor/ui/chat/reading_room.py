"""The room the readings need in the chat's document, made and taken back through
formats alone (tutor/ui/chat/reading_overlay.py decides when): a taller line and a
larger top margin for a message's blocks, letter spacing where two readings side by
side would touch. The text is never changed, so selection, copying, the coach's marks
and other features' highlights are as they were.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtGui import QFont, QTextBlock, QTextBlockFormat, QTextCharFormat, QTextCursor

from tutor.ui.chat.reading_layout import ROOM, WAS_LINE_HEIGHT


def make_room(
    cursor: QTextCursor, block: QTextBlock, start: int, end: int, room: int, natural: float
) -> None:
    """`room` pixels above each line of the text from `start` to `end` (document
    positions; `block` holds `start`, `natural` is a line's own height). What each block
    had is kept in its format, for take_room_back."""
    proportional = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
    while block.isValid() and block.position() <= end:
        current = block.blockFormat()
        changed = QTextBlockFormat()
        changed.setProperty(ROOM, room if block.position() <= start else 0)
        changed.setProperty(WAS_LINE_HEIGHT, (current.lineHeight(), current.lineHeightType()))
        if block.position() <= start:  # the first line's room is above the block
            changed.setTopMargin(current.topMargin() + room)
        percent = current.lineHeight() if current.lineHeightType() == proportional else 100.0
        # The extra height of a proportional line goes below it: room for the next
        # line's readings.
        changed.setLineHeight(percent + 100 * room / natural, proportional)
        cursor.setPosition(block.position())
        cursor.mergeBlockFormat(changed)
        block = block.next()


def space_out(
    cursor: QTextCursor, start: int, spacing: dict[int, float], units: Callable[[int], int]
) -> None:
    """Pixels after characters of a text starting at `start` (by offset, see
    reading_layout.spacing_for); `units` maps an offset to the document's units."""
    for first, last, extra in _runs(spacing):
        spaced = QTextCharFormat()
        spaced.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
        spaced.setFontLetterSpacing(extra)
        cursor.setPosition(start + units(first))
        cursor.setPosition(start + units(last + 1), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(spaced)


def take_room_back(cursor: QTextCursor, body: QTextBlock, start: int, end: int) -> None:
    """The formats of the text from `start` to `end` as they were before make_room
    and space_out (`body` holds `start`)."""
    block = body
    while block.isValid() and block.position() <= end:
        current = block.blockFormat()
        if current.hasProperty(ROOM):
            height, kind = current.property(WAS_LINE_HEIGHT)
            current.setTopMargin(current.topMargin() - current.intProperty(ROOM))
            current.setLineHeight(height, kind)
            current.clearProperty(ROOM)
            current.clearProperty(WAS_LINE_HEIGHT)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(current)
        block = block.next()
    plain = QTextCharFormat()
    plain.setFontLetterSpacingType(QFont.SpacingType.PercentageSpacing)
    plain.setFontLetterSpacing(100)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.mergeCharFormat(plain)


def _runs(spacing: dict[int, float]) -> list[tuple[int, int, float]]:
    """(first, last, pixels): characters in a row given the same room, as one change
    (Chinese characters are spaced alike: one change a message, not one a character)."""
    runs: list[tuple[int, int, float]] = []
    for offset in sorted(spacing):
        extra = spacing[offset]
        if runs and runs[-1][1] == offset - 1 and runs[-1][2] == extra:
            runs[-1] = (runs[-1][0], offset, extra)
        else:
            runs.append((offset, offset, extra))
    return runs


def unit_counter(text: str) -> Callable[[int], int]:
    """message_decorations.text_units for one text, in constant time: most texts have
    no character beyond the Basic Multilingual Plane, where offsets and UTF-16 units
    are the same."""
    if all(ord(c) <= 0xFFFF for c in text):
        return lambda offset: offset
    before = list(itertools.accumulate((2 if ord(c) > 0xFFFF else 1 for c in text), initial=0))
    return lambda offset: before[offset]
