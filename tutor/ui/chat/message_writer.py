"""How one message of the conversation is written into the chat's document: a header
(who, when), its text with the coach's marks drawn on it, and a status line.

The chat view (tutor/ui/chat/chat_view.py) decides where a message goes and keeps its
place; this module only decides how it looks. The marks are cut into pieces by
tutor/domain/mark_segments.py, the same pieces the review card and the Markdown export
draw. Model text is inserted as plain text: nothing it says becomes markup.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QWidget

from tutor.domain.conversation import ChatMessage, MessageState, Role, ended_by_learner
from tutor.domain.corrections import Correction, CorrectionState, Mark, change_text
from tutor.domain.mark_segments import Piece, mark_segments
from tutor.i18n.formats import format_number, format_time
from tutor.i18n.translate import N_, _, ngettext
from tutor.ui.chat.message_decorations import MessageDecorator, MessageNote, action_link
from tutor.ui.widgets.chat_palette import ChatPalette

RETRY_LINK = "tutor:retry"
MARK_LINK = "tutor:mark/"  # + message id / mark position
CHECK_LINK = "tutor:check/"  # + message id

# Translators: under a reply while it arrives: the partner is writing.
WRITING = N_("writing…")
# Translators: under a reply whose model is thinking before it writes.
THINKING = N_("thinking…")
"""Under a reply whose model is thinking before its words (what it thinks is not shown)."""


class MessageWriter:
    """Writes messages in the look of `view` (its font and palette), with formats cached."""

    def __init__(self, view: QWidget) -> None:
        self._view = view
        self._formats: dict[tuple[bool, bool, bool, bool], QTextCharFormat] = {}
        self._colors = ChatPalette.for_palette(view.palette())
        # Translators: the name above the conversation partner's messages.
        self.partner_name = N_("Partner")
        """The partner's name, translated where it is written."""
        self.show_explanations = True
        self.meta_alignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute
        self.decorators: list[MessageDecorator] = []
        """Asked for links beside the time and notes beneath the text of every message
        written (tutor/ui/chat/message_decorations.py)."""

    def palette_changed(self) -> None:
        self._colors = ChatPalette.for_palette(self._view.palette())
        self._formats.clear()  # new text takes the new colours

    def write(self, cursor: QTextCursor, message: ChatMessage, *, thinking: bool = False) -> int:
        """Write `message` at `cursor`, in its header block; where its text ends (streamed
        text goes there). `thinking`: a streaming reply's model is thinking now."""
        learner = message.role is Role.USER

        header = QTextBlockFormat()
        header.setTopMargin(14)
        header.setAlignment(self.meta_alignment)
        cursor.setBlockFormat(header)
        # Translators: the name above the learner's own messages.
        name = _("You") if learner else _(self.partner_name)
        when = format_time(message.created_at.astimezone())
        name_format = QTextCharFormat(self.char_format(bold=True, meta=True))
        name_format.setForeground(
            self._colors.learner_name if learner else self._colors.partner_name
        )
        cursor.insertText(name, name_format)
        cursor.insertText(f"  {when}", self.char_format(meta=True))
        self._write_actions(cursor, message)

        body = QTextBlockFormat()
        body.setTopMargin(3)
        body.setLineHeight(130, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        if message.text or message.state is MessageState.STREAMING:
            cursor.insertBlock(body, self.char_format())
            correction = message.correction
            if correction is not None and correction.state is CorrectionState.CHECKED:
                self._write_marked(cursor, message.id, message.text, correction)
            else:
                cursor.insertText(message.text)
        body_end = cursor.position()
        self._write_notes(cursor, message)
        if learner:
            self._write_check_status(cursor, message)
        else:
            self._write_status(cursor, message, thinking)
        return body_end

    def _write_actions(self, cursor: QTextCursor, message: ChatMessage) -> None:
        for decorator in self.decorators:
            for action in decorator.actions(message):
                cursor.insertText("  ·  ", self.char_format(meta=True))
                if action.link:
                    fmt = self.link_format(action_link(action.name, message.id))
                else:
                    fmt = QTextCharFormat(self.char_format(meta=True))
                if action.tooltip:
                    fmt.setToolTip(_plain_tip(action.tooltip))
                cursor.insertText(action.label, fmt)

    def _write_notes(self, cursor: QTextCursor, message: ChatMessage) -> None:
        notes: list[MessageNote] = [
            note for decorator in self.decorators for note in decorator.notes(message)
        ]
        for note in notes:
            block = QTextBlockFormat()
            block.setTopMargin(3)
            block.setLineHeight(130, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            if note.kind == "reading":
                fmt = QTextCharFormat(self.char_format())
                fmt.setForeground(self._colors.meta)
            else:
                problem = note.kind == "problem"
                fmt = self.char_format(meta=True, italic=not problem, problem=problem)
            cursor.insertBlock(block, fmt)
            if note.action:
                link = self.link_format(action_link(note.action, message.id))
                link.setFont(fmt.font())
                cursor.insertText(note.text, link)
            else:
                cursor.insertText(note.text, fmt)

    def write_streaming_status(self, cursor: QTextCursor, thinking: bool) -> None:
        """A streaming reply's status line, at `cursor` (its selection is replaced)."""
        words = _(THINKING) if thinking else _(WRITING)
        cursor.insertText(words, self.char_format(meta=True, italic=True))

    def _write_status(self, cursor: QTextCursor, message: ChatMessage, thinking: bool) -> None:
        status: str | None = None
        if message.state is MessageState.STREAMING:
            status = _(THINKING) if thinking else _(WRITING)
        problem = message.state is MessageState.FAILED or (
            message.state is MessageState.CUT_OFF and not ended_by_learner(message)
        )
        if message.state in (MessageState.FAILED, MessageState.CUT_OFF):
            # Stored in the interface language of its moment; one stored in English (before
            # Tutor was translated) is translated as it is shown, the others stay as stored.
            status = _(message.error) if message.error else None
            if status is None:
                failed = message.state is MessageState.FAILED
                status = _("This reply failed.") if failed else _("Cut off.")
        if status is None:
            return
        block = QTextBlockFormat()
        block.setTopMargin(2)
        block.setAlignment(self.meta_alignment)
        cursor.insertBlock(block, self.char_format(meta=True, italic=True, problem=problem))
        cursor.insertText(("⚠ " if problem else "") + status)
        if message.state is MessageState.FAILED:
            cursor.insertText("  ", self.char_format(meta=True))
            cursor.insertText(_("Retry"), self.link_format(RETRY_LINK))

    def _write_marked(
        self, cursor: QTextCursor, message_id: int, text: str, correction: Correction
    ) -> None:
        """The learner's text with the coach's marks drawn on it; a mark that does not fit
        the text (a damaged file) is left out."""
        tips: dict[int, str] = {}
        for segment in mark_segments(text, correction.marks):
            mark, index = segment.mark, segment.index
            if mark is None or index is None or segment.piece is Piece.GAP:
                cursor.insertText(segment.text, self.char_format())
                continue
            href = f"{MARK_LINK}{message_id}/{index}"
            tip = tips.get(index)
            if tip is None:
                tip = tips[index] = self._mark_tip(mark, text)
            if segment.piece is Piece.DISMISSED:
                fmt = self._mark_format(href, tip, self._colors.meta)
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                cursor.insertText(segment.text or "‸", fmt)
            elif segment.piece is Piece.NOTE:
                fmt = self._mark_format(href, tip, self._colors.problem)
                fmt.setForeground(self._view.palette().color(QPalette.ColorRole.Text))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                cursor.insertText(segment.text, fmt)
            elif segment.piece is Piece.STRUCK:
                struck = self._mark_format(href, tip, self._colors.problem)
                struck.setFontStrikeOut(True)
                cursor.insertText(segment.text, struck)
            else:
                fix = self._mark_format(href, tip, self._colors.fix)
                fix.setFontWeight(QFont.Weight.DemiBold)
                cursor.insertText(segment.text, fix)

    def _mark_format(self, href: str, tip: str, colour: QColor) -> QTextCharFormat:
        fmt = QTextCharFormat(self.char_format())  # a copy: cached formats are shared
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setToolTip(tip)
        fmt.setForeground(colour)
        fmt.setUnderlineColor(colour)
        return fmt

    def _mark_tip(self, mark: Mark, text: str) -> str:
        # Translators: a mark's tooltip: its kind of mistake, then the change ("a → b").
        lines = [
            _("{category}: {change}").format(
                category=mark.category.label, change=change_text(mark, text)
            )
        ]
        if self.show_explanations and mark.explanation:
            lines.append(mark.explanation)
        if mark.dismissed:
            lines.append(_("You marked this as right."))
        lines.append(_("Click for more"))
        # Qt shows a tooltip as rich text when its first line looks like markup, and the
        # coach's words may (a "correction" of <b>went</b>, an <img> in an explanation):
        # as escaped HTML, the learner sees exactly the characters the coach wrote.
        return _plain_tip("\n".join(lines))

    def _write_check_status(self, cursor: QTextCursor, message: ChatMessage) -> None:
        """Under a learner's message: checking, no mistakes, how many, or why not checked."""
        correction = message.correction
        state = correction.state if correction is not None else None
        good = problem = False
        action: str | None = None
        if correction is None or state is CorrectionState.FAILED:
            problem = correction is not None
            status = (
                _("Not checked: {reason}").format(reason=_(correction.error))
                if correction and correction.error
                else _("Not checked.")
            )
            # Translators: a link after "Not checked": asks the coach to check the message.
            action = _("Check again") if correction is not None else _("Check")
        elif state is CorrectionState.CHECKING:
            # Translators: under a learner's message while the coach checks it.
            status = _("checking…")
        elif correction.mistake_count == 0:
            good = True
            status = _("✓ No mistakes")
        else:
            count = correction.mistake_count
            status = ngettext(
                "{count} correction: click a mark to see why",
                "{count} corrections: click a mark to see why",
                count,
            ).format(count=format_number(count))
        block = QTextBlockFormat()
        block.setTopMargin(2)
        block.setAlignment(self.meta_alignment)
        fmt = QTextCharFormat(self.char_format(meta=True, italic=not good, problem=problem))
        if good:
            fmt.setForeground(self._colors.fix)
        cursor.insertBlock(block, fmt)
        cursor.insertText(("⚠ " if problem else "") + status)
        if action is not None:
            cursor.insertText("  ", self.char_format(meta=True))
            cursor.insertText(action, self.link_format(f"{CHECK_LINK}{message.id}"))
        if correction is not None and state is CorrectionState.CHECKED and correction.natural_text:
            cursor.insertBlock(block, self.char_format(meta=True))
            # Translators: before the coach's more natural way to say the learner's message.
            label = _("More natural:")
            cursor.insertText(f"{label} ", self.char_format(meta=True, bold=True))
            cursor.insertText(correction.natural_text, self.char_format(meta=True, italic=True))

    def char_format(
        self, *, bold: bool = False, meta: bool = False, italic: bool = False, problem: bool = False
    ) -> QTextCharFormat:
        key = (bold, meta, italic, problem)
        cached = self._formats.get(key)
        if cached is None:
            cached = self._formats[key] = self._new_char_format(bold, meta, italic, problem)
        return cached

    def link_format(self, href: str) -> QTextCharFormat:
        link = QTextCharFormat(self.char_format(meta=True))  # a copy: cached formats are shared
        link.setAnchor(True)
        link.setAnchorHref(href)
        link.setFontUnderline(True)
        link.setForeground(self._view.palette().color(QPalette.ColorRole.Link))
        return link

    def _new_char_format(
        self, bold: bool, meta: bool, italic: bool, problem: bool
    ) -> QTextCharFormat:
        fmt = QTextCharFormat()
        font = QFont(self._view.font())
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
            fmt.setForeground(self._view.palette().color(QPalette.ColorRole.Text))
        return fmt


def _plain_tip(text: str) -> str:
    """A tooltip that shows exactly `text`: Qt shows a tooltip as rich text when its first
    line looks like markup, and the words may come from a model."""
    return QtGui.Qt.convertFromPlainText(text, QtGui.Qt.WhiteSpaceMode.WhiteSpaceNormal)
