"""The conversation as one read-only document that only ever grows at its end.

Each message is a header block (who, when) followed by its text blocks and, where
needed, a status line, written by tutor/ui/chat/message_writer.py; this view keeps each
message's place, the stream, the scrolling and the links. Streamed text is inserted at
the end of the last message, so painting a piece costs the same in a conversation of ten
messages or of thousands. Model text is inserted as plain text: nothing it says becomes
markup, a link or an image.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import (
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from tutor.domain.conversation import ChatMessage, MessageState
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext
from tutor.ui.chat.message_writer import MessageWriter

EARLIER_LINK = "tutor:earlier"
# A session opens with its newest messages; older ones are a click away, so a long
# history opens as fast as a short one.
OPENING_WINDOW = 150
EARLIER_PAGE = 300
"""How many earlier messages one click on "Show earlier messages" draws: about 40 ms,
where drawing all of a 2,000-message session held the window for a quarter second."""


@dataclass
class _Span:
    message_id: int
    message: ChatMessage
    """As last drawn (redraw_message draws it again); a streaming reply's text grows in
    MessageDocument._streamed instead."""
    block: QTextBlock
    """The message's header block. Not a QTextCursor: the document moves every cursor
    it has on every insertion, and with one per message a streamed piece cost 60% more
    at 5,000 messages than at 10. A block keeps its place without that; a block that is
    written again or merged away is looked up again by its position."""

    def position(self) -> int:
        return self.block.position()


class MessageDocument(QTextBrowser):
    """The messages and their places; ChatView (tutor/ui/chat/chat_view.py) adds what a
    learner does with them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setAccessibleName(_("Conversation"))
        self.document().setDocumentMargin(12)
        self._spans: list[_Span] = []
        self._has_preamble = False
        self._stream_cursor: QTextCursor | None = None
        self._stream_message_id: int | None = None
        self._stream_status: QTextBlock | None = None  # the streaming reply's status line
        self._thinking_id: int | None = None  # the streaming reply whose model is thinking
        self._writer = MessageWriter(self)
        self._streamed = ""  # the streaming reply's text so far
        # A reader at the end stays there when the view's range changes under them: Qt
        # lays a long conversation out in steps after it is shown, and a notice or the
        # goals panel appearing makes the view shorter. Either hid the newest lines.
        self._following_end = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._note_place)
        bar.rangeChanged.connect(self._keep_place)

    def _note_place(self, _value: int) -> None:
        self._following_end = self._is_at_end()

    def _keep_place(self, _minimum: int, maximum: int) -> None:
        if self._following_end:
            self.verticalScrollBar().setValue(maximum)

    def set_right_to_left(self, rtl: bool) -> None:
        """Names, times and status lines stand on the side the session's script starts."""
        side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        self._writer.meta_alignment = side | Qt.AlignmentFlag.AlignAbsolute

    @property
    def show_explanations(self) -> bool:
        """Whether a mark's tooltip carries the coach's explanation."""
        return self._writer.show_explanations

    @show_explanations.setter
    def show_explanations(self, shown: bool) -> None:
        self._writer.show_explanations = shown

    # -- what the controller tells the view -----------------------------------------

    def show_messages(
        self, messages: list[ChatMessage], limit: int | None = OPENING_WINDOW
    ) -> None:
        """Show a conversation: its newest `limit` messages, with a link to the rest."""
        self.clear()
        self._has_preamble = False
        self._spans.clear()
        self._stream_cursor = None
        self._stream_message_id = None
        self._stream_status = None  # `_thinking_id` stays: a streaming reply is drawn again
        hidden = max(0, len(messages) - limit) if limit is not None else 0
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        if hidden:
            self._write_earlier_link(cursor, hidden)
        for message in messages[hidden:]:
            self._insert_message(message)
        cursor.endEditBlock()
        self.scroll_to_end()

    def show_earlier(self, messages: list[ChatMessage], page: int = EARLIER_PAGE) -> None:
        """Draw up to `page` of the messages before those shown above them, keeping the
        reader's place; the link offers the rest, or goes once all are shown.

        `messages`: the whole conversation, as `show_messages` was given it."""
        if not self._has_preamble:
            return
        # The block of the first message shown keeps its place on screen.
        anchor = self._spans[0] if self._spans else None
        shown_from = len(messages)
        if anchor is not None:
            shown_from = next(
                (i for i, m in enumerate(messages) if m.id == anchor.message_id), len(messages)
            )
        start = max(0, shown_from - page)
        layout = self.document().documentLayout()
        bar = self.verticalScrollBar()
        if anchor is not None:
            offset = layout.blockBoundingRect(anchor.block).top() - bar.value()

        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        link = self.document().firstBlock()  # the link is the first block
        cursor.setPosition(link.position())
        cursor.setPosition(link.position() + link.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        if start > 0:
            self._write_earlier_link(cursor, start)
        else:
            self._has_preamble = False  # the first message is written where the link was
        earlier: list[_Span] = []
        for message in messages[start:shown_from]:
            if earlier or self._has_preamble:
                cursor.insertBlock()
            begin = cursor.position()
            self._write_message(cursor, message)
            earlier.append(_Span(message.id, message, self.document().findBlock(begin)))
        cursor.endEditBlock()
        self._spans[:0] = earlier
        if anchor is not None:
            bar.setValue(int(layout.blockBoundingRect(anchor.block).top() - offset))

    def show_all(self, messages: list[ChatMessage]) -> None:
        """Draw every earlier message, keeping the reader's place."""
        self.show_earlier(messages, page=len(messages))

    @property
    def has_earlier(self) -> bool:
        """Earlier messages are not drawn yet (the link above the first offers them)."""
        return self._has_preamble

    def _write_earlier_link(self, cursor: QTextCursor, hidden: int) -> None:
        block = QTextBlockFormat()
        block.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        cursor.setBlockFormat(block)
        if hidden > EARLIER_PAGE:  # a click shows a page of them
            # Translators: a link above the conversation; {count} is how many a click
            # shows, {hidden} how many are not shown in all.
            text = ngettext(
                "Show {count} earlier message ({hidden} not shown)",
                "Show {count} earlier messages ({hidden} not shown)",
                EARLIER_PAGE,
            ).format(count=format_number(EARLIER_PAGE), hidden=format_number(hidden))
        else:
            text = ngettext(
                "Show {count} earlier message", "Show {count} earlier messages", hidden
            ).format(count=format_number(hidden))
        cursor.insertText(text, self._writer.link_format(EARLIER_LINK))
        self._has_preamble = True

    def append_message(self, message: ChatMessage) -> None:
        follow = self._is_at_end()
        self._insert_message(message)
        if follow:
            self.scroll_to_end()

    def append_text(self, message_id: int, text: str) -> None:
        """Add streamed text to the message being written (the last one)."""
        if self._stream_message_id != message_id or self._stream_cursor is None:
            return
        follow = self._is_at_end()
        self._stream_cursor.insertText(text)
        self._streamed += text
        if follow:
            self.scroll_to_end()

    def show_thinking(self, message_id: int, thinking: bool) -> None:
        """The streaming reply's model is thinking now (or has stopped): its status line
        says so, so a long silence does not look like a stuck reply."""
        self._thinking_id = message_id if thinking else None
        block = self._stream_status
        if self._stream_message_id != message_id or block is None or not block.isValid():
            return
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        self._writer.write_streaming_status(cursor, thinking)

    def restart_stream(self, message_id: int) -> None:
        """The streaming reply's text so far was the model's thinking: it goes."""
        index = self._index_of(message_id)
        if self._stream_message_id != message_id or self._stream_cursor is None or index is None:
            return
        cursor = QTextCursor(self._stream_cursor)
        body = self._spans[index].block.next()  # the writer gives a streaming reply a body
        cursor.setPosition(body.position(), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._streamed = ""

    def update_message(self, message: ChatMessage) -> None:
        """Render a message again in place (its state or text changed)."""
        index = self._index_of(message.id)
        if index is None:
            return
        follow = self._is_at_end()
        cursor = self._select_span(index)
        start = cursor.selectionStart()
        cursor.removeSelectedText()
        if index == len(self._spans) - 1:
            # The last message: re-append it after removing the separator before it.
            del self._spans[index]
            if start > 0:
                cursor.deletePreviousChar()
            self._insert_message(message)
        else:
            # The separator before the next message survives the removal: the message
            # is written again into its own header block, at `start`.
            self._write_message(cursor, message)
            self._spans[index].block = self.document().findBlock(start)
            self._spans[index].message = message
        if follow:
            self.scroll_to_end()

    def remove_message(self, message_id: int) -> None:
        index = self._index_of(message_id)
        if index is None:
            return
        cursor = self._select_span(index)
        is_last = index == len(self._spans) - 1
        cursor.removeSelectedText()
        if is_last and cursor.position() > 0:
            cursor.deletePreviousChar()  # the block separator before it
        elif not is_last:
            cursor.deleteChar()  # the separator that began the next message's header
            # ...which now begins where this message did: its block is this one's.
            self._spans[index + 1].block = self.document().findBlock(cursor.position())
        del self._spans[index]
        if self._stream_message_id == message_id:
            self._forget_stream()

    def scroll_to_message(self, message_id: int) -> bool:
        """Bring a message into view and put the reading place at it; False if not shown."""
        index = self._index_of(message_id)
        if index is None:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._spans[index].position())
        self.setTextCursor(cursor)
        bar = self.verticalScrollBar()
        bar.setValue(min(bar.maximum(), int(self.cursorRect(cursor).top()) + bar.value() - 12))
        return True

    def scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._following_end = True

    # -- rendering ----------------------------------------------------------------------

    def _insert_message(self, message: ChatMessage) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if self._spans or self._has_preamble:
            cursor.insertBlock()
        begin = cursor.position()
        self._write_message(cursor, message)
        self._spans.append(_Span(message.id, message, self.document().findBlock(begin)))

    def _write_message(self, cursor: QTextCursor, message: ChatMessage) -> None:
        streaming = message.state is MessageState.STREAMING
        thinking = streaming and message.id == self._thinking_id
        body_end = self._writer.write(cursor, message, thinking=thinking)
        if streaming:
            # Created after the status line is written, so that line does not push it.
            self._stream_cursor = QTextCursor(self.document())
            self._stream_cursor.setPosition(body_end)
            self._stream_message_id = message.id
            self._stream_status = cursor.block()
            self._streamed = message.text
        elif self._stream_message_id == message.id or self._thinking_id == message.id:
            self._forget_stream()

    def _forget_stream(self) -> None:
        self._streamed = ""
        self._stream_cursor = None
        self._stream_message_id = None
        self._stream_status = None
        self._thinking_id = None

    # -- helpers ------------------------------------------------------------------------

    def _index_of(self, message_id: int) -> int | None:
        for index in range(len(self._spans) - 1, -1, -1):  # recent messages are asked for most
            if self._spans[index].message_id == message_id:
                return index
        return None

    def _select_span(self, index: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._spans[index].position())
        if index + 1 < len(self._spans):
            # Up to the end of the block before the next message's header.
            end = self._spans[index + 1].position() - 1
        else:
            end = self.document().characterCount() - 1
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _is_at_end(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._writer.palette_changed()
        super().changeEvent(event)

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802 - Qt's name
        """Load nothing: no text shown here may pull a file or a remote resource."""
        return None
