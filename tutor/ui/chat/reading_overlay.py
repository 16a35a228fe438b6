"""Readings drawn over the partner's text: pinyin over Chinese, furigana over kanji,
romanization over Korean, each over exactly the characters it reads.

A QTextDocument has no <ruby>, and writing the readings into the text would put them
in every selection and copy and shift the offsets the coach's marks and the other
features' highlights rely on. So the text stays as written, and this overlay:
- makes room above each line of a reply that has readings, and between characters
  whose readings are wider than they are, by changing formats only (reading_room.py:
  a taller line, a larger top margin, letter spacing), after the message writer has
  written it: a decorator is asked about every message each time it is drawn
  (message_decorations.py), which says when to do it again; the room is taken back
  when the readings are hidden;
- paints the readings in that room from the document's own layout (`add_painter`,
  reading_layout.py): where each character stands on its line, laid out once per
  window width, for the messages on screen only.

Readings are computed once per message (domain/reading_aids.py), off the GUI thread, a
batch of replies at a time, the newest first: the libraries load the first time (half a
second for Chinese: jieba's words and pypinyin's phrases), never at start-up; a reply is read once
it is complete, not while it streams. Only the
partner's messages are read: the learner wrote their own, and a marked message's text
is not the document's (its fixes are woven in).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPainter,
    QTextBlock,
    QTextCursor,
)

from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.domain.reading_aids import (
    AidKind,
    Reading,
    ReadingAnalyser,
    Unavailable,
    aid_for,
)
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.message_decorations import MessageAction, MessageNote
from tutor.ui.chat.reading_layout import (
    GAP,
    ROOM,
    Placed,
    Unit,
    Widths,
    draw_readings,
    pieces_of,
    place_readings,
    placed,
    spacing_for,
)
from tutor.ui.chat.reading_room import (
    make_room,
    space_out,
    take_room_back,
    unit_counter,
)
from tutor.ui.shell.tasks import TaskRunner
from tutor.ui.widgets.chat_palette import ChatPalette

log = logging.getLogger(__name__)

ROOM_BATCH = 20
"""Messages read, or given room, at a time: a long conversation opening with its
readings on stays responsive, the messages on screen first."""
READING_SCALE = {AidKind.PINYIN: 0.7, AidKind.FURIGANA: 0.55, AidKind.ROMANIZATION: 0.7}
"""A reading's size against the text's: furigana are half the kanji's, as printed; pinyin
and romanization a little larger, for their tone marks and accents."""


@dataclass
class _Read:
    """One message's readings, as offsets from its text's first block."""

    text: str
    language: str
    readings: tuple[Reading, ...]
    pieces: list[tuple[int, int, str]]
    """What is drawn: (start, end, reading) over the text (reading_layout.pieces_of)."""
    units: list[Unit] = field(default_factory=list)
    """The pieces in the document's UTF-16 units from the text's start, with the
    spacing added after the piece's last character (pixels)."""
    body: QTextBlock | None = None
    """The block its text starts in, found again each time the message is written."""
    font: QFont | None = None
    """The readings' font (from the text's)."""
    laid_out: tuple[float, list[Placed]] | None = None
    """Where the readings go, for the document width they were laid out at."""
    height: float = math.inf
    """From the top of its first block to the bottom of its last, as last laid out."""

    def moved(self, body: QTextBlock | None) -> None:
        """The message was written again (at `body`, or not yet): lay it out again."""
        self.body, self.font, self.laid_out, self.height = body, None, None, math.inf


class ReadingOverlay(QObject):
    unavailable = Signal(str)  # the package an aid needs and this install lacks

    def __init__(
        self, view: ChatView, tasks: TaskRunner, analyser: ReadingAnalyser | None = None
    ) -> None:
        super().__init__(view)
        self._view = view
        self._tasks = tasks
        self._analyser = analyser or ReadingAnalyser()
        self._language = ""
        self._kind: AidKind | None = None
        self._shown = False
        self._read: dict[int, _Read] = {}
        self._drawn: dict[int, str] = {}  # partner messages drawn: id -> text
        self._waiting: set[int] = set()  # drawn again, or read: room to make
        self._asked: set[int] = set()  # being read on a pool thread, or waiting to be
        self._batches: list[tuple[str, list[tuple[int, str]]]] = []  # (language, texts)
        self._reading = False  # a batch is on a pool thread
        self._pass = QTimer(self)
        self._pass.setSingleShot(True)
        self._pass.setInterval(0)
        self._pass.timeout.connect(self._catch_up)
        self._known_widths: dict[str, Widths] = {}
        self.painted: list[tuple[str, QRectF]] = []
        """What the last paint drew: each reading and where (viewport coordinates)."""
        view.add_decorator(self)
        view.add_painter(self.paint)

    # -- what the controls say -----------------------------------------------------------

    @property
    def shown(self) -> bool:
        return self._shown and self._kind is not None

    def set_language(self, language: str) -> None:
        """The open session's language (read its replies with its aid, if any)."""
        aid = aid_for(language)
        self._language, self._kind = language, aid.kind if aid else None
        # What another session drew is gone from the view.
        for message_id in [i for i in self._drawn if self._view.shown_message(i) is None]:
            del self._drawn[message_id]
            self._read.pop(message_id, None)

    def set_shown(self, shown: bool) -> None:
        """Show the readings of every reply drawn, or take them away."""
        if shown == self._shown:
            return
        self._shown = shown
        if shown:
            self._waiting.update(self._drawn)
            self._pass.start()
        else:
            self._waiting.clear()
            cursor = QTextCursor(self._view.document())
            cursor.beginEditBlock()
            for message_id, read in self._read.items():
                self._take_room_back(cursor, message_id, read)
            cursor.endEditBlock()
        self._view.viewport().update()

    def readings_of(self, message_id: int) -> tuple[Reading, ...]:
        """The readings painted over a message now (none while hidden)."""
        read = self._read.get(message_id)
        if not self.shown or read is None or read.body is None:
            return ()
        return read.readings if placed(read.body, read.text) else ()

    # -- a decorator: told each time a message is drawn ------------------------------------

    def actions(self, message: ChatMessage) -> Sequence[MessageAction]:
        return ()

    def notes(self, message: ChatMessage) -> Sequence[MessageNote]:
        readable = message.role is Role.ASSISTANT and message.state is not MessageState.STREAMING
        if readable and message.text:
            self._drawn[message.id] = message.text
            read = self._read.get(message.id)
            if read is not None:
                read.moved(None)  # written again: its room and its place go
            if self.shown:
                self._waiting.add(message.id)
                self._pass.start()  # once the writer is done with the document
        return ()

    # -- reading and making room -------------------------------------------------------------

    def _catch_up(self) -> None:
        if not self.shown:
            return
        language = self._language
        to_read: list[tuple[int, str]] = []
        made = 0
        # One edit of the document for a batch of messages (one layout after it), the
        # newest first: those are on screen when a conversation opens at its end.
        cursor = QTextCursor(self._view.document())
        cursor.beginEditBlock()
        for message_id in sorted(self._waiting, reverse=True):
            text = self._view.message_text(message_id)
            read = self._read.get(message_id)
            if text is None:  # no longer shown
                self._drawn.pop(message_id, None)
            elif read is not None and read.text == text and read.language == language:
                if made == ROOM_BATCH:
                    break
                self._make_room(cursor, message_id, read)
                made += 1
            elif message_id not in self._asked:
                to_read.append((message_id, text))
            self._waiting.discard(message_id)
        cursor.endEditBlock()
        if self._waiting:
            self._pass.start()  # the next batch, after this one is painted
        self._asked.update(message_id for message_id, _text in to_read)
        for first in range(0, len(to_read), ROOM_BATCH):
            self._batches.append((language, to_read[first : first + ROOM_BATCH]))
        self._read_next()
        self._view.viewport().update()

    def _read_next(self) -> None:
        """Read the next batch on a pool thread (the libraries load there the first
        time), one batch at a time: the pool also carries the replies and the checks,
        and batches waiting for jieba's dictionary would hold its threads."""
        if self._reading or not self._batches:
            return
        language, texts = self._batches.pop(0)
        self._reading = True
        analyser = self._analyser
        self._tasks.run(
            lambda: [(i, t, analyser.readings(t, language)) for i, t in texts],
            lambda found: self._arrived(language, found),
            lambda error: self._not_read(texts, error),
            owner=self._view,
        )

    def _arrived(
        self, language: str, found: list[tuple[int, str, tuple[Reading, ...] | Unavailable]]
    ) -> None:
        self._reading = False
        for message_id, text, readings in found:
            self._asked.discard(message_id)
            if isinstance(readings, Unavailable):
                self._batches.clear()
                self._asked.clear()
                self.unavailable.emit(readings.package)
                return
            self._read[message_id] = _Read(text, language, readings, pieces_of(readings))
            self._waiting.add(message_id)
        if language == self._language:
            self._pass.start()
        self._read_next()

    def _not_read(self, texts: list[tuple[int, str]], error: Exception) -> None:
        """A library failed on these texts: they stay without readings (a reply is
        never harmed for its readings); asked again when drawn again."""
        log.warning("reading aids failed on %d message(s): %r", len(texts), error)
        self._asked.difference_update(message_id for message_id, _text in texts)
        self._reading = False
        self._read_next()

    def _make_room(self, cursor: QTextCursor, message_id: int, read: _Read) -> None:
        """Room above each line of the message's text for its readings, and between two
        words whose readings are wider than they are; formats change, the text does not.
        What each block had is kept in its format, for `_take_room_back`."""
        if read.body is not None and placed(read.body, read.text):
            return  # made since it was last written
        start = self._view.text_place(message_id, 0)
        end = self._view.text_place(message_id, len(read.text))
        if start is None or end is None or not read.pieces:
            return
        block = self._view.document().findBlock(start)
        font = self._text_font(block)
        if block.blockFormat().hasProperty(ROOM):
            if read.units:
                read.moved(block)  # the room these readings made is still there
                return
            take_room_back(cursor, block, start, end)  # made for readings since replaced
        reading_font = self._reading_font(font)
        natural = QFontMetricsF(font).lineSpacing()
        room = math.ceil(QFontMetricsF(reading_font).height()) + GAP
        spacing = spacing_for(
            read.text,
            read.pieces,
            self._widths(font),
            self._widths(reading_font),
            even=self._kind is AidKind.PINYIN,
        )
        read.moved(block)
        units = unit_counter(read.text)
        make_room(cursor, block, start, end, room, natural)
        space_out(cursor, start, spacing, units)
        read.units = [
            (units(a), units(b), words, spacing.get(b - 1, 0.0)) for a, b, words in read.pieces
        ]

    def _take_room_back(self, cursor: QTextCursor, message_id: int, read: _Read) -> None:
        """The message's formats as the writer made them (the readings are hidden)."""
        if read.body is None or not placed(read.body, read.text):
            return
        start = self._view.text_place(message_id, 0)
        end = self._view.text_place(message_id, len(read.text))
        if start is None or end is None:
            return
        take_room_back(cursor, read.body, start, end)
        read.moved(None)

    def _widths(self, font: QFont) -> Widths:
        key = font.key()
        widths = self._known_widths.get(key)
        if widths is None:
            widths = self._known_widths[key] = Widths(font)
        return widths

    def _text_font(self, block: QTextBlock) -> QFont:
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        font = cursor.charFormat().font()
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 100)  # room made here
        return font

    def _reading_font(self, text_font: QFont) -> QFont:
        font = QFont(text_font)
        scale = READING_SCALE.get(self._kind or AidKind.PINYIN, 0.6)
        font.setPointSizeF(max(7.0, text_font.pointSizeF() * scale))
        font.setBold(False)
        font.setItalic(False)
        font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 100)  # the text's room
        return font

    # -- painting --------------------------------------------------------------------------

    def paint(self, painter: QPainter, rect: QRect) -> None:
        """Draw the readings of the messages within `rect` of the viewport."""
        self.painted = []
        if not self.shown or not self._read:
            return
        view = self._view
        layout = view.document().documentLayout()
        dx, dy = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
        top, bottom = rect.top() + dy, rect.bottom() + dy
        colour = ChatPalette.for_palette(view.palette()).meta
        painter.setPen(colour)
        width = view.document().textWidth()
        for read in self._read.values():
            body = read.body
            if body is None or not read.units:
                continue
            first = layout.blockBoundingRect(body)
            if first.top() > bottom + 40 or first.top() + read.height < top:
                continue
            if not placed(body, read.text):
                continue
            if read.font is None:
                read.font = self._reading_font(self._text_font(body))
            if read.laid_out is None or read.laid_out[0] != width:
                last = view.document().findBlock(body.position() + read.units[-1][1])
                read.height = layout.blockBoundingRect(last).bottom() - first.top()
                read.laid_out = (width, place_readings(body, read.units, read.font))
                if first.top() + read.height < top:
                    continue
            at = first.topLeft() - QPointF(dx, dy)
            self.painted.extend(draw_readings(painter, read.laid_out[1], at, read.font))
