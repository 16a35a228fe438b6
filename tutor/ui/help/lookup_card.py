"""The card a looked-up word opens, near the word: the word and its dictionary form, its
part of speech, what it means in this sentence in the learner's language, one example
at their level with its meaning, ▶ to hear it where a voice exists, and Add to review.

It shows a look-up on its way ("Looking up…"), the look-up, or why there is none (with
Retry when asking again can help). Like the mark card (a popup), Esc or a click
elsewhere closes it, and the keyboard starts on its first button.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.languages import reads_right_to_left
from tutor.domain.word_help import Lookup
from tutor.i18n.translate import _

Say = Callable[[str, str], None]
"""Speaks (text, BCP 47 language tag) aloud; the voice feature's, when there is one."""


class LookupCard(QFrame):
    add_requested = Signal()
    retry_requested = Signal()

    def __init__(
        self, word: str, language: str, say: Say | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("lookupCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Translators: the name of the card that explains a word (for screen readers).
        self.setAccessibleName(_("Word look-up"))
        self._language = language
        self._say = say
        self.lookup: Lookup | None = None

        self.word = _label(word, scale=1.35, bold=True)
        self.word.setObjectName("lookupWord")
        self.play_word = _play_button(_("Listen to the word"))
        self.play_word.clicked.connect(lambda: self._speak(self.word.text()))
        self.form = _label("", meta=True)
        self.form.setObjectName("lookupForm")
        self.meaning = _label("", scale=1.1)
        self.meaning.setObjectName("lookupMeaning")
        self.example = _label("")
        self.play_example = _play_button(_("Listen to the example"))
        self.play_example.clicked.connect(lambda: self._speak(self.example.text()))
        self.example_meaning = _label("", meta=True)
        self.status = _label("")
        self.status.setObjectName("lookupStatus")
        self.add_button = QPushButton(_("Add to review"))
        self.add_button.setToolTip(
            _("Make a review card: this sentence with the word, and what it means")
        )
        self.add_button.clicked.connect(self.add_requested)
        self.retry_button = QPushButton(_("Retry"))
        self.retry_button.clicked.connect(self.retry_requested)
        close_button = QPushButton(_("Close"))
        close_button.clicked.connect(self.close)

        top = QHBoxLayout()
        top.addWidget(self.word, 1)
        top.addWidget(self.play_word, 0, Qt.AlignmentFlag.AlignTop)
        example_row = QHBoxLayout()
        example_row.addWidget(self.example, 1)
        example_row.addWidget(self.play_example, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.add_button, self.retry_button, close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.form)
        layout.addWidget(self.meaning)
        layout.addSpacing(4)
        layout.addLayout(example_row)
        layout.addWidget(self.example_meaning)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setMinimumWidth(300)
        self.setMaximumWidth(460)
        self.show_waiting()

    def show_waiting(self) -> None:
        """A look-up on its way."""
        self._fill(None)
        self.status.setText(_("Looking up…"))
        self.status.show()

    def show_lookup(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self._fill(lookup)
        self.status.hide()
        self.add_button.setFocus()

    def show_problem(self, words: str, *, retry: bool) -> None:
        """Why there is no look-up; Retry when asking again may help."""
        self._fill(None)
        self.status.setText(words)
        self.status.show()
        self.retry_button.setVisible(retry)
        if retry:
            self.retry_button.setFocus()

    def show_added(self, words: str) -> None:
        """The word became a review card: said on the card, and not offered again."""
        self.add_button.setEnabled(False)
        self.add_button.setText(_("Added to review"))
        self.status.setText(words)
        self.status.show()

    def show_at(self, point: QPoint) -> None:
        """Show below `point` (global), kept on the screen."""
        self.adjustSize()
        screen = QGuiApplication.screenAt(point) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        # In a conversation read right to left, the card opens leftwards from the word.
        leftwards = reads_right_to_left(self._language)
        left = point.x() - self.width() if leftwards else point.x()
        x = min(max(left, area.left()), area.right() - self.width())
        below = point.y() + 16
        y = below if below + self.height() <= area.bottom() else point.y() - self.height() - 8
        self.move(x, max(y, area.top()))
        self.show()
        self.activateWindow()

    def refit(self) -> None:
        """Grow or shrink to what it now says, where it is."""
        self.adjustSize()

    def _fill(self, lookup: Lookup | None) -> None:
        found = lookup is not None
        speaks = self._say is not None
        self.play_word.setVisible(speaks and found)
        self.add_button.setVisible(found)
        self.retry_button.hide()
        if lookup is None:
            for label in (self.form, self.meaning, self.example, self.example_meaning):
                label.clear()
                label.hide()
            self.play_example.hide()
            return
        self.meaning.setText(lookup.meaning)
        self.meaning.show()
        self.form.setText(_form_words(lookup))
        self.form.setToolTip(
            _("Dictionary form from a dictionary made for this language (simplemma)")
            if lookup.lemma_from_dictionary
            else _("Dictionary form as the model gave it")
        )
        self.form.setVisible(bool(self.form.text()))
        self.example.setText(lookup.example)
        self.example.setVisible(bool(lookup.example))
        self.play_example.setVisible(speaks and bool(lookup.example))
        self.example_meaning.setText(lookup.example_meaning)
        self.example_meaning.setVisible(bool(lookup.example and lookup.example_meaning))

    def _speak(self, text: str) -> None:
        if self._say is not None and text:
            self._say(text, self._language)


def _form_words(lookup: Lookup) -> str:
    """ "dictionary form: comer · verb": the dictionary form (when it says more than the
    word) and the part of speech, whichever are known."""
    parts = []
    if lookup.lemma and lookup.lemma.casefold() != lookup.word.casefold():
        # Translators: a word's dictionary form on the look-up card ("dictionary form: comer").
        parts.append(_("dictionary form: {lemma}").format(lemma=lookup.lemma))
    if lookup.part_of_speech_label:
        parts.append(lookup.part_of_speech_label)
    return " · ".join(parts)


def _label(text: str, *, scale: float = 1.0, bold: bool = False, meta: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # the model's words, never markup
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    if bold:
        font.setBold(True)
    label.setFont(font)
    if meta:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # quieter, still readable
    return label


def _play_button(tooltip: str) -> QPushButton:
    button = QPushButton("▶")
    button.setToolTip(tooltip)
    button.setAccessibleName(tooltip)
    button.setFixedWidth(button.fontMetrics().horizontalAdvance("▶") + 24)
    return button
