"""Places in the chat's document and offsets into a message's text, each way, and the
highlight layers drawn over them.

A message's text is written as it is (tutor/ui/chat/message_writer.py) starting at the
block after its header, so an offset into the text is a place in the document, once
counted in UTF-16 units as the document counts. That holds for a reply, and for a
learner's message without the coach's marks woven in; for a marked one there is no such
place, and the callers say so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtGui import QTextBlock, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from tutor.ui.chat.message_decorations import text_offset, text_units


class Span(Protocol):
    message_id: int
    block: QTextBlock

    def position(self) -> int: ...


TextOf = Callable[[int], "str | None"]
"""A shown message's text, or None where offsets do not map (see the module's doc)."""


class MessagePlaces:
    def __init__(self, view: QTextBrowser) -> None:
        self._view = view
        self._layers: dict[str, list[QTextEdit.ExtraSelection]] = {}

    def set_layer(
        self,
        layer: str,
        spans: Sequence[Span],
        text_of: TextOf,
        ranges: Sequence[tuple[int, int, int]],
        fmt: QTextCharFormat,
    ) -> None:
        by_id = {span.message_id: span for span in spans}
        selections: list[QTextEdit.ExtraSelection] = []
        for message_id, start, end in ranges:
            span, text = by_id.get(message_id), text_of(message_id)
            if span is None or text is None or not 0 <= start < end <= len(text):
                continue
            body = _body_start(span.block)
            cursor = QTextCursor(self._view.document())
            cursor.setPosition(body + text_units(text, start))
            cursor.setPosition(body + text_units(text, end), QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        if selections:
            self._layers[layer] = selections
        else:
            self._layers.pop(layer, None)
        self._view.setExtraSelections([s for layer in self._layers.values() for s in layer])

    def locate(
        self, spans: Sequence[Span], text_of: TextOf, position: int
    ) -> tuple[int, int] | None:
        """(message id, offset in its text) at a document position inside a message's
        text, else None."""
        for index in range(len(spans) - 1, -1, -1):  # the newest messages are asked most
            span = spans[index]
            if span.position() > position:
                continue
            text = text_of(span.message_id)
            if text is None:
                return None
            units = position - _body_start(span.block)
            if units < 0 or units > text_units(text, len(text)):
                return None
            return span.message_id, text_offset(text, units)
        return None


def _body_start(header: QTextBlock) -> int:
    return header.next().position() if header.next().isValid() else header.position()
