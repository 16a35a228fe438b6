"""Where the learner writes: Enter sends, Shift+Enter starts a new line, Esc stops.

A paste longer than one message may be is cut to the limit, and the learner is told:
laying out a single line grows with the square of its length in QPlainTextEdit, and
1 MB pasted in one go froze the window for two minutes (measured: 124 s).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from tutor.domain.message_text import MAX_MESSAGE_CHARS
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext


class Composer(QPlainTextEdit):
    submitted = Signal(str)
    stop_requested = Signal()
    notice = Signal(str)  # something the learner should know about what they pasted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Your message"))
        self.setTabChangesFocus(True)
        self.setPlaceholderText(_("Write your message… (Enter sends, Shift+Enter adds a line)"))
        self.document().setDocumentMargin(8)
        self.max_chars = MAX_MESSAGE_CHARS

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit(self.toPlainText())
            return
        if key == Qt.Key.Key_Escape:
            self.stop_requested.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt's name
        """Paste and drop: at most what still fits in one message."""
        if not source.hasText():
            super().insertFromMimeData(source)
            return
        pasted = source.text()
        selected = len(self.textCursor().selectedText())
        room = max(0, self.max_chars - (len(self.toPlainText()) - selected))
        if len(pasted) <= room:
            super().insertFromMimeData(source)
            return
        if room == 0:
            self.notice.emit(
                ngettext(
                    "Nothing was pasted: the message already has the most one message can "
                    "hold ({limit} character).",
                    "Nothing was pasted: the message already has the most one message can "
                    "hold ({limit} characters).",
                    self.max_chars,
                ).format(limit=format_number(self.max_chars))
            )
            return
        self.insertPlainText(pasted[:room])
        # Two sentences, each with the plural of its own number.
        pasted_words = ngettext(
            "The pasted text has {count} character.",
            "The pasted text has {count} characters.",
            len(pasted),
        ).format(count=format_number(len(pasted)))
        # Translators: {limit} is how many characters one message holds; {room} how many
        # of the pasted ones were kept (the plural follows it).
        kept_words = ngettext(
            "One message holds {limit}, so only the first {room} was pasted.",
            "One message holds {limit}, so only the first {room} were pasted.",
            room,
        ).format(limit=format_number(self.max_chars), room=format_number(room))
        both = _("{sentence} {next_sentence}")  # no space between them in Chinese or Japanese
        self.notice.emit(both.format(sentence=pasted_words, next_sentence=kept_words))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        lines = 3
        height = self.fontMetrics().lineSpacing() * lines + 2 * 8 + 4
        return QSize(super().sizeHint().width(), height)
