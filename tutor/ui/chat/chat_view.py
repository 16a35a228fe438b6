"""The conversation as one read-only document that only ever grows at its end.

Each message is a header block (who, when) followed by its text blocks and, where
needed, a status line. Streamed text is inserted at the end of the last message, so
painting a piece costs the same in a conversation of ten messages or of thousands.
Model text is inserted as plain text: nothing it says becomes markup, a link or an
image.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QCursor,
    QFont,
    QPalette,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from tutor.domain.conversation import STOPPED_BY_LEARNER, ChatMessage, MessageState, Role
from tutor.domain.corrections import (
    Correction,
    CorrectionState,
    Mark,
    MarkKind,
    change_text,
    word_bounds,
)
from tutor.ui.widgets.chat_palette import ChatPalette

RETRY_LINK = "tutor:retry"
EARLIER_LINK = "tutor:earlier"
MARK_LINK = "tutor:mark/"  # + message id / mark position
CHECK_LINK = "tutor:check/"  # + message id
# A session opens with its newest messages; older ones are a click away, so a long
# history opens as fast as a short one.
OPENING_WINDOW = 150
EARLIER_PAGE = 300
"""How many earlier messages one click on "Show earlier messages" draws: about 40 ms,
where drawing all of a 2,000-message session held the window for a quarter second."""
MAX_SAVED_WORD_CHARS = 120
"""A word or a phrase to review; a longer selection is not a card."""

_STATUS_TEXT = {
    MessageState.STREAMING: "writing…",
}


@dataclass
class _Span:
    message_id: int
    block: QTextBlock
    """The message's header block. Not a QTextCursor: the document moves every cursor
    it has on every insertion, and with one per message a streamed piece cost 60% more
    at 5,000 messages than at 10. A block keeps its place without that; a block that is
    written again or merged away is looked up again by its position."""

    def position(self) -> int:
        return self.block.position()


class ChatView(QTextBrowser):
    retry_requested = Signal()
    earlier_requested = Signal()
    mark_activated = Signal(int, int, QPoint)  # message id, mark position, where (global)
    word_save_requested = Signal(str)  # selected text the learner wants to review later
    check_requested = Signal(int)  # message id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setAccessibleName("Conversation")
        self.document().setDocumentMargin(12)
        self.anchorClicked.connect(self._on_anchor)
        self._spans: list[_Span] = []
        self._has_preamble = False
        self._formats: dict[tuple[bool, bool, bool, bool], QTextCharFormat] = {}
        self._stream_cursor: QTextCursor | None = None
        self._stream_message_id: int | None = None
        self._colors = ChatPalette.for_palette(self.palette())
        self.partner_name = "Partner"
        self.show_explanations = True
        self._meta_alignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute
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
        self._meta_alignment = side | Qt.AlignmentFlag.AlignAbsolute

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
            earlier.append(_Span(message.id, self.document().findBlock(begin)))
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
        text = f"Show {hidden:,} earlier messages"
        if hidden > EARLIER_PAGE:  # a click shows a page of them
            text = f"Show {EARLIER_PAGE:,} earlier messages ({hidden:,} not shown)"
        cursor.insertText(text, self._link_format(EARLIER_LINK))
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
        if follow:
            self.scroll_to_end()

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
            self._stream_cursor = None
            self._stream_message_id = None

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
        self._spans.append(_Span(message.id, self.document().findBlock(begin)))

    def _write_message(self, cursor: QTextCursor, message: ChatMessage) -> None:
        learner = message.role is Role.USER

        header = QTextBlockFormat()
        header.setTopMargin(14)
        header.setAlignment(self._meta_alignment)
        cursor.setBlockFormat(header)
        name = "You" if learner else self.partner_name
        when = message.created_at.astimezone().strftime("%H:%M")
        name_format = QTextCharFormat(self._char_format(bold=True, meta=True))
        name_format.setForeground(
            self._colors.learner_name if learner else self._colors.partner_name
        )
        cursor.insertText(name, name_format)
        cursor.insertText(f"  {when}", self._char_format(meta=True))

        body = QTextBlockFormat()
        body.setTopMargin(3)
        body.setLineHeight(130, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        if message.text or message.state is MessageState.STREAMING:
            cursor.insertBlock(body, self._char_format())
            correction = message.correction
            if correction is not None and correction.state is CorrectionState.CHECKED:
                self._write_marked(cursor, message.id, message.text, correction)
            else:
                cursor.insertText(message.text)
        body_end = cursor.position()
        if learner:
            self._write_check_status(cursor, message)
        else:
            self._write_status(cursor, message)
        if message.state is MessageState.STREAMING:
            # Created after the status line is written, so that line does not push it.
            self._stream_cursor = QTextCursor(self.document())
            self._stream_cursor.setPosition(body_end)
            self._stream_message_id = message.id
        elif self._stream_message_id == message.id:
            self._stream_cursor = None
            self._stream_message_id = None

    def _write_status(self, cursor: QTextCursor, message: ChatMessage) -> None:
        status = _STATUS_TEXT.get(message.state)
        problem = message.state is MessageState.FAILED or (
            message.state is MessageState.CUT_OFF and message.error != STOPPED_BY_LEARNER
        )
        if message.state in (MessageState.FAILED, MessageState.CUT_OFF):
            status = message.error or (
                "This reply failed." if message.state is MessageState.FAILED else "Cut off."
            )
        if status is None:
            return
        block = QTextBlockFormat()
        block.setTopMargin(2)
        block.setAlignment(self._meta_alignment)
        cursor.insertBlock(block, self._char_format(meta=True, italic=True, problem=problem))
        cursor.insertText(("⚠ " if problem else "") + status)
        if message.state is MessageState.FAILED:
            cursor.insertText("  ", self._char_format(meta=True))
            cursor.insertText("Retry", self._link_format(RETRY_LINK))

    def _write_marked(
        self, cursor: QTextCursor, message_id: int, text: str, correction: Correction
    ) -> None:
        """The learner's text with the coach's marks drawn on it."""
        at = 0
        for position, mark in enumerate(correction.marks):
            if mark.start < at or text[mark.start : mark.end] != mark.original:
                continue  # a mark that does not fit the text (a damaged file) is left out
            cursor.insertText(text[at : mark.start], self._char_format())
            self._write_mark(cursor, f"{MARK_LINK}{message_id}/{position}", mark, text)
            at = mark.end
        cursor.insertText(text[at:], self._char_format())

    def _write_mark(self, cursor: QTextCursor, href: str, mark: Mark, text: str) -> None:
        tip = self._mark_tip(mark, text)
        if mark.dismissed:
            fmt = self._mark_format(href, tip, self._colors.meta)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
            cursor.insertText(mark.original or "‸", fmt)
        elif mark.kind is MarkKind.NOTE:
            fmt = self._mark_format(href, tip, self._colors.problem)
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            cursor.insertText(mark.original, fmt)
        else:
            if mark.original:
                struck = self._mark_format(href, tip, self._colors.problem)
                struck.setFontStrikeOut(True)
                cursor.insertText(mark.original, struck)
            inside_word = word_bounds(text, mark.start, mark.end) != (mark.start, mark.end)
            if mark.original and mark.corrected and not inside_word:
                cursor.insertText(" ", self._char_format())
            if mark.corrected:
                fix = self._mark_format(href, tip, self._colors.fix)
                fix.setFontWeight(QFont.Weight.DemiBold)
                cursor.insertText(mark.corrected, fix)

    def _mark_format(self, href: str, tip: str, colour: QColor) -> QTextCharFormat:
        fmt = QTextCharFormat(self._char_format())  # a copy: cached formats are shared
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setToolTip(tip)
        fmt.setForeground(colour)
        fmt.setUnderlineColor(colour)
        return fmt

    def _mark_tip(self, mark: Mark, text: str) -> str:
        lines = [f"{mark.category.label}: {change_text(mark, text)}"]
        if self.show_explanations and mark.explanation:
            lines.append(mark.explanation)
        if mark.dismissed:
            lines.append("You marked this as right.")
        lines.append("Click for more")
        # Qt shows a tooltip as rich text when its first line looks like markup, and the
        # coach's words may (a "correction" of <b>went</b>, an <img> in an explanation):
        # as escaped HTML, the learner sees exactly the characters the coach wrote.
        return QtGui.Qt.convertFromPlainText(
            "\n".join(lines), QtGui.Qt.WhiteSpaceMode.WhiteSpaceNormal
        )

    def _write_check_status(self, cursor: QTextCursor, message: ChatMessage) -> None:
        """Under a learner's message: checking, no mistakes, how many, or why not checked."""
        correction = message.correction
        state = correction.state if correction is not None else None
        good = problem = False
        action: str | None = None
        if correction is None or state is CorrectionState.FAILED:
            problem = correction is not None
            status = (
                f"Not checked: {correction.error}"
                if correction and correction.error
                else "Not checked."
            )
            action = "Check again" if correction is not None else "Check"
        elif state is CorrectionState.CHECKING:
            status = "checking…"
        elif correction.mistake_count == 0:
            good = True
            status = "✓ No mistakes"
        else:
            count = correction.mistake_count
            status = f"{count} correction{'s' if count != 1 else ''}: click a mark to see why"
        block = QTextBlockFormat()
        block.setTopMargin(2)
        block.setAlignment(self._meta_alignment)
        fmt = QTextCharFormat(self._char_format(meta=True, italic=not good, problem=problem))
        if good:
            fmt.setForeground(self._colors.fix)
        cursor.insertBlock(block, fmt)
        cursor.insertText(("⚠ " if problem else "") + status)
        if action is not None:
            cursor.insertText("  ", self._char_format(meta=True))
            cursor.insertText(action, self._link_format(f"{CHECK_LINK}{message.id}"))
        if correction is not None and state is CorrectionState.CHECKED and correction.natural_text:
            cursor.insertBlock(block, self._char_format(meta=True))
            cursor.insertText("More natural: ", self._char_format(meta=True, bold=True))
            cursor.insertText(correction.natural_text, self._char_format(meta=True, italic=True))

    def _char_format(
        self, *, bold: bool = False, meta: bool = False, italic: bool = False, problem: bool = False
    ) -> QTextCharFormat:
        key = (bold, meta, italic, problem)
        cached = self._formats.get(key)
        if cached is None:
            cached = self._formats[key] = self._new_char_format(bold, meta, italic, problem)
        return cached

    def _link_format(self, href: str) -> QTextCharFormat:
        link = QTextCharFormat(self._char_format(meta=True))  # a copy: cached formats are shared
        link.setAnchor(True)
        link.setAnchorHref(href)
        link.setFontUnderline(True)
        link.setForeground(self.palette().color(QPalette.ColorRole.Link))
        return link

    def _new_char_format(
        self, bold: bool, meta: bool, italic: bool, problem: bool
    ) -> QTextCharFormat:
        fmt = QTextCharFormat()
        font = QFont(self.font())
        if meta:
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        else:
            font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setBold(bold)
        font.setItalic(italic)
        fmt.setFont(font)
        if problem:
            fmt.setForeground(self._colors.problem)
        elif meta:
            fmt.setForeground(self._colors.meta)
        else:
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
        return fmt

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

    def _on_anchor(self, url: QUrl) -> None:
        link = url.toString()
        if link == RETRY_LINK:
            self.retry_requested.emit()
        elif link == EARLIER_LINK:
            self.earlier_requested.emit()
        elif link.startswith(CHECK_LINK) and link[len(CHECK_LINK) :].isdigit():
            self.check_requested.emit(int(link[len(CHECK_LINK) :]))
        elif link.startswith(MARK_LINK):
            message_id, _, position = link[len(MARK_LINK) :].partition("/")
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
        """The usual menu (copy, select all), plus saving the selection as a review card."""
        menu = self.createStandardContextMenu(event.pos())
        selected = " ".join(self.textCursor().selectedText().split())
        if selected and len(selected) <= MAX_SAVED_WORD_CHARS:
            shown = selected if len(selected) <= 30 else selected[:29] + "…"
            menu.addSeparator()
            action = menu.addAction(f"Save “{shown}” to review…")
            action.triggered.connect(lambda: self.word_save_requested.emit(selected))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._colors = ChatPalette.for_palette(self.palette())
            self._formats.clear()  # new text takes the new colours
        super().changeEvent(event)

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802 - Qt's name
        """Load nothing: no text shown here may pull a file or a remote resource."""
        return None
