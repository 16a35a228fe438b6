"""The conversation as a learner uses it: the message document
(tutor/ui/chat/message_document.py) plus its links, its context menu, clicks on words,
and what features add to each message (tutor/ui/chat/message_decorations.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QCursor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextCharFormat,
)
from PySide6.QtWidgets import QWidget

from tutor.domain.conversation import ChatMessage, Role
from tutor.ui.chat.chat_menu import SelectionAction, conversation_menu, save_to_review_action
from tutor.ui.chat.message_decorations import MessageDecorator, parse_action_link, text_units
from tutor.ui.chat.message_document import (
    EARLIER_LINK,
    EARLIER_PAGE,
    OPENING_WINDOW,
    MessageDocument,
)
from tutor.ui.chat.message_places import MessagePlaces
from tutor.ui.chat.message_writer import CHECK_LINK, MARK_LINK, RETRY_LINK

__all__ = ["EARLIER_PAGE", "OPENING_WINDOW", "ChatView"]


class ChatView(MessageDocument):
    retry_requested = Signal()
    earlier_requested = Signal()
    mark_activated = Signal(int, int, QPoint)  # message id, mark position, where (global)
    word_save_requested = Signal(str)  # selected text the learner wants to review later
    check_requested = Signal(int)  # message id
    action_requested = Signal(str, int)  # a decoration's action name, message id
    word_clicked = Signal(int, int, QPoint)  # message id, offset in its text, where (global)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.anchorClicked.connect(self._on_anchor)
        self._places = MessagePlaces(self)
        self.selection_actions: list[SelectionAction] = [
            save_to_review_action(self.word_save_requested.emit)
        ]
        """What the context menu offers for a selection; features add theirs."""
        self._painters: list[Callable[[QPainter, QRect], None]] = []

    # -- what features add (tutor/ui/chat/message_decorations.py) -----------------------

    def add_decorator(self, decorator: MessageDecorator) -> None:
        """Asked for links and notes each time a message is drawn from now on."""
        self._writer.decorators.append(decorator)

    def redraw_message(self, message_id: int) -> None:
        """Draw a message again as last shown: a decorator's answer about it changed."""
        message = self.shown_message(message_id)
        if message is not None and message.id != self._stream_message_id:
            self.update_message(message)

    def shown_message(self, message_id: int) -> ChatMessage | None:
        index = self._index_of(message_id)
        return self._spans[index].message if index is not None else None

    def message_text(self, message_id: int) -> str | None:
        """A shown message's text as drawn so far (a streaming reply's grows)."""
        if message_id == self._stream_message_id:
            return self._streamed
        message = self.shown_message(message_id)
        return message.text if message is not None else None

    def set_highlights(
        self, layer: str, ranges: Sequence[tuple[int, int, int]], fmt: QTextCharFormat
    ) -> None:
        """Draw `fmt` over (message id, start, end) ranges of messages' texts, replacing
        what `layer` drew before; an empty list clears the layer. The document is not
        changed: selection, copying and the coach's marks are untouched."""
        self._places.set_layer(layer, self._spans, self._mapped_text, ranges, fmt)

    def text_position(self, point: QPoint) -> tuple[int, int] | None:
        """(message id, offset in its text) under a viewport point, else None."""
        position = self.cursorForPosition(point).position()
        return self._places.locate(self._spans, self._mapped_text, position)

    def selection_in_message(self) -> tuple[int, int, int] | None:
        """(message id, start, end) of the selection when it lies in one message's text."""
        cursor = self.textCursor()
        start = self._places.locate(self._spans, self._mapped_text, cursor.selectionStart())
        end = self._places.locate(self._spans, self._mapped_text, cursor.selectionEnd())
        if start is None or end is None or start[0] != end[0] or start[1] == end[1]:
            return None
        return start[0], start[1], end[1]

    def _mapped_text(self, message_id: int) -> str | None:
        """The text offsets map into: a reply's, or a learner's without the coach's
        marks woven in (tutor/ui/chat/message_places.py)."""
        message = self.shown_message(message_id)
        if message is None:
            return None
        if message.role is Role.USER and message.correction and message.correction.marks:
            return None
        return self.message_text(message_id)

    # -- what features draw over the text (tutor/ui/chat/reading_overlay.py) ----------

    def add_painter(self, paint: Callable[[QPainter, QRect], None]) -> None:
        """`paint(painter, rect)` draws over the viewport after the document, each time
        `rect` of it is painted; the document, and so selection and copying, stay as
        they are."""
        self._painters.append(paint)

    def text_place(self, message_id: int, offset: int) -> int | None:
        """The document position of an offset into a shown message's text (where its
        offsets map: see _mapped_text), else None."""
        index, text = self._index_of(message_id), self._mapped_text(message_id)
        if index is None or text is None or not 0 <= offset <= len(text):
            return None
        body = self._spans[index].block.next()
        return body.position() + text_units(text, offset) if body.isValid() else None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._painters:
            painter = QPainter(self.viewport())
            for paint in self._painters:
                paint(painter, event.rect())
            painter.end()

    def _on_anchor(self, url: QUrl) -> None:
        link = url.toString()
        if link == RETRY_LINK:
            self.retry_requested.emit()
        elif link == EARLIER_LINK:
            self.earlier_requested.emit()
        elif link.startswith(CHECK_LINK) and link[len(CHECK_LINK) :].isdigit():
            self.check_requested.emit(int(link[len(CHECK_LINK) :]))
        elif (action := parse_action_link(link)) is not None:
            self.action_requested.emit(*action)
        elif link.startswith(MARK_LINK):
            message_id, _slash, position = link[len(MARK_LINK) :].partition("/")
            if message_id.isdigit() and position.isdigit():
                self.mark_activated.emit(int(message_id), int(position), self._anchor_point())

    def _anchor_point(self) -> QPoint:
        """Where to show what a mark means: under the pointer, or under the keyboard's
        place when the mark was reached with Tab."""
        if self.viewport().underMouse():
            return QCursor.pos() + QPoint(0, 16)
        rect = self.cursorRect(self.textCursor())
        return self.viewport().mapToGlobal(rect.bottomLeft())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        """The usual menu (copy, select all), plus what a selection can become."""
        conversation_menu(self, event.pos(), self.selection_actions).popup(event.globalPos())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        point = event.position().toPoint()
        if self.anchorAt(point):
            return
        place = self.text_position(point)
        if place is not None:
            message = self.shown_message(place[0])
            if message is not None and message.role is Role.ASSISTANT:
                self.word_clicked.emit(place[0], place[1], self.viewport().mapToGlobal(point))
