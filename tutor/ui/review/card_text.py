"""Writing card text into the review window's browsers: a card's answer (the corrected
sentence, the learner's own struck through beside it, the explanation) and the marks on
a retried sentence, in the window's font and the chat's colours.

Card text is inserted as plain text, never as markup: it is the learner's and the
model's words.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from tutor.domain.corrections import CoachVerdict, Mark, build_marks, change_text
from tutor.domain.mark_segments import Piece, mark_segments
from tutor.domain.review import ReviewCard
from tutor.i18n.translate import _
from tutor.ui.widgets.chat_palette import ChatPalette


class CardText:
    """Writes in `widget`'s font (read at each write) and the chat's colours of its palette;
    `follow_palette` when the palette changes, for text written next."""

    def __init__(self, widget: QWidget) -> None:
        self._widget = widget
        self._colors = ChatPalette.for_palette(widget.palette())

    def follow_palette(self) -> None:
        self._colors = ChatPalette.for_palette(self._widget.palette())

    def write_answer(self, browser: QTextBrowser, card: ReviewCard) -> None:
        browser.clear()
        # No direction for the whole document: each paragraph takes its own from its
        # first letter, so an Arabic sentence reads right to left and an English
        # explanation under it left to right.
        cursor = QTextCursor(browser.document())
        cursor.insertText(card.back, self.format(scale=1.4, bold=True))
        if card.is_sentence and card.back != card.front:
            cursor.insertBlock(spaced(10), self.format(meta=True))
            cursor.insertText(_("Your sentence, corrected:"), self.format(meta=True))
            cursor.insertBlock(spaced(2), self.format())
            # The marks the chat would draw: the same diff, whole words in joined scripts.
            marks = build_marks(card.front, CoachVerdict(card.back, ()))
            self.write_marked(cursor, card.front, marks)
        if card.explanation:
            cursor.insertBlock(spaced(10), self.format())
            for number, line in enumerate(card.explanation.splitlines()):
                if number:
                    cursor.insertBlock(spaced(4), self.format())
                cursor.insertText(line, self.format())
        browser.moveCursor(QTextCursor.MoveOperation.Start)
        browser.verticalScrollBar().setValue(0)

    def write_marks(
        self, browser: QTextBrowser, text: str, marks: tuple[Mark, ...], *, explain: bool
    ) -> None:
        """A retried sentence with its marks, then one line a mark (with its explanation
        when the learner wants them)."""
        browser.clear()
        cursor = QTextCursor(browser.document())
        plain = self.format()
        self.write_marked(cursor, text, marks)
        for mark in marks:
            cursor.insertBlock(spaced(4), self.format(meta=True))
            # Translators: one correction of a retried sentence: its kind, then the change
            # ("Grammar: goed → went").
            change = _("{category}: {change}").format(
                category=mark.category.label, change=change_text(mark, text)
            )
            cursor.insertText(change, plain)
            if explain and mark.explanation:
                cursor.insertText(f" — {mark.explanation}", self.format(meta=True))

    def write_marked(self, cursor: QTextCursor, text: str, marks: tuple[Mark, ...]) -> None:
        """Like the chat: what was wrong struck through in red, the fix beside it in green,
        a note (flagged, not changed) underlined with a wave."""
        plain = self.format()
        for segment in mark_segments(text, marks):
            if segment.piece is Piece.NOTE:
                note = self.format()
                note.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                note.setUnderlineColor(self._colors.problem)
                cursor.insertText(segment.text, note)
            elif segment.piece is Piece.STRUCK:
                cursor.insertText(segment.text, self.format(colour="problem", struck=True))
            elif segment.piece is Piece.INSERTED:
                cursor.insertText(segment.text, self.format(colour="fix", bold=True))
            else:  # plain, the space between a struck word and its fix; none is dismissed
                cursor.insertText(segment.text, plain)

    def format(
        self,
        *,
        scale: float = 1.1,
        bold: bool = False,
        meta: bool = False,
        colour: str = "",
        struck: bool = False,
    ) -> QTextCharFormat:
        """Card text `scale` times the font's size (a smaller grey for `meta`), `colour`
        "problem" or "fix" from the chat's colours."""
        colors = self._colors
        fmt = QTextCharFormat()
        font = QFont(self._widget.font())
        font.setPointSizeF(font.pointSizeF() * (0.95 if meta else scale))
        if bold:
            font.setWeight(QFont.Weight.DemiBold)
        fmt.setFont(font)
        fmt.setFontStrikeOut(struck)
        if colour == "problem":
            fmt.setForeground(colors.problem)
        elif colour == "fix":
            fmt.setForeground(colors.fix)
        elif meta:
            fmt.setForeground(colors.meta)
        return fmt


def spaced(top: float) -> QTextBlockFormat:
    block = QTextBlockFormat()
    block.setTopMargin(top)
    return block
