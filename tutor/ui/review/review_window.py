"""The review screen: one due card at a time, shown, revealed and rated; and a retry box
where the learner writes the sentence again and the coach checks it.

Card text is inserted as plain text, never as markup: it is the learner's and the
model's words. Ratings are saved at once, so closing the window loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QHideEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.conversation import utc_now
from tutor.domain.corrections import (
    Category,
    CoachVerdict,
    Mark,
    MarkKind,
    build_marks,
    change_text,
    word_bounds,
)
from tutor.domain.languages import language as language_info
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.review import Rating, ReviewCard, interval_words, next_intervals
from tutor.llm.coach import CoachResult
from tutor.llm.errors import explain
from tutor.services.coaching import NO_SERVER, coach_request, run_check
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.chat_palette import ChatPalette

log = logging.getLogger(__name__)

_RATING_KEYS = {Rating.AGAIN: "1", Rating.HARD: "2", Rating.GOOD: "3", Rating.EASY: "4"}
_RATING_MEANING = {
    Rating.AGAIN: "You did not remember it",
    Rating.HARD: "You remembered it, with difficulty",
    Rating.GOOD: "You remembered it",
    Rating.EASY: "It was easy",
}
# When the next card comes due within this long, the window waits for it with the
# learner instead of only saying when (learning steps are 1 and 10 minutes).
_WAIT_FOR_NEXT = timedelta(minutes=15)


class ReviewWindow(QDialog):
    due_count_changed = Signal(int)  # cards due now, in every language: after each rating

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """`clock`: for tests."""
        super().__init__(parent)
        self.setWindowTitle("Review")
        self.setAccessibleName("Review")
        self._context = context
        self._store = context.review
        self._clock = clock
        self._card: ReviewCard | None = None
        self._revealed = False
        self._check_id = 0
        """Which retry check is current: an answer for an older one is dropped."""
        self._colors = ChatPalette.for_palette(self.palette())
        self._wake = QTimer(self)
        self._wake.setSingleShot(True)
        self._wake.timeout.connect(self._next_card)

        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.count_label.setAccessibleName("Cards due")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_card_page())
        self.pages.addWidget(self._build_done_page())
        close_button = QPushButton("Close")
        close_button.setAutoDefault(False)
        close_button.clicked.connect(self.reject)

        keys = QLabel("Space: show answer · 1–4: rate · R: retry · Esc: close")
        keys.setObjectName("hint")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.count_label)
        layout.addWidget(self.pages, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(keys)
        bottom.addStretch(1)
        bottom.addWidget(close_button)
        layout.addLayout(bottom)
        self.setMinimumSize(520, 420)
        self.resize(640, 600)
        self._next_card()

    # -- building ---------------------------------------------------------------------

    def _build_card_page(self) -> QWidget:
        page = QWidget()
        self.category_label = QLabel()
        self.category_label.setObjectName("hint")
        bold = self.category_label.font()
        bold.setBold(True)
        self.category_label.setFont(bold)
        self.prompt_label = QLabel()
        self.prompt_label.setObjectName("hint")
        self.prompt_label.setWordWrap(True)
        # A browser, not a label: a long message scrolls instead of pushing the buttons
        # off the window, and each paragraph takes its direction from its own script.
        self.front = _text_browser("Card")
        bigger = self.front.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.4)
        self.front.setFont(bigger)
        _fit_height(self.front, 200)

        # Space reveals through keyPressEvent, not a shortcut: a shortcut would take
        # Space from whichever button has the focus (Retry, say) and press this one.
        self.show_button = _button("Show answer", "Space")
        self.show_button.clicked.connect(self.reveal)

        self.answer = _text_browser("Answer")
        self.rating_buttons: dict[Rating, QPushButton] = {}
        ratings = QHBoxLayout()
        for rating in Rating:
            button = _button(rating.label, _RATING_KEYS[rating])
            button.clicked.connect(lambda _=False, r=rating: self.rate(r))
            # A shortcut of the window, not of the button: a button's shortcut clicks it
            # 100 ms later (animateClick), after the card may have changed. rate() itself
            # refuses a card whose answer was not shown. The retry box keeps digits typed
            # in it: a line edit takes the keys it can type before shortcuts see them.
            shortcut = QShortcut(QKeySequence(_RATING_KEYS[rating]), self)
            shortcut.activated.connect(lambda r=rating: self.rate(r))
            button.setMinimumHeight(44)
            self.rating_buttons[rating] = button
            ratings.addWidget(button, 1)
        self.ratings = QWidget()
        self.ratings.setLayout(ratings)
        ratings.setContentsMargins(0, 0, 0, 0)

        self.retry_button = _button("Retry this sentence", "R")
        QShortcut(QKeySequence("R"), self).activated.connect(self.open_retry)
        self.retry_button.clicked.connect(self.open_retry)
        self.retry_box = self._build_retry_box()

        heading = QHBoxLayout()
        heading.addWidget(self.category_label)
        heading.addWidget(self.prompt_label, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.show_button)
        actions.addWidget(self.retry_button)
        actions.addStretch(1)
        # The answer sits in a frame that is always there, so the rest of the page does
        # not move when it appears.
        answer_area = QWidget()
        answer_layout = QVBoxLayout(answer_area)
        answer_layout.setContentsMargins(0, 0, 0, 0)
        answer_layout.addWidget(self.answer)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.front)
        layout.addSpacing(8)
        layout.addLayout(actions)
        layout.addWidget(self.retry_box)
        layout.addWidget(_line())
        layout.addWidget(answer_area, 1)
        layout.addWidget(self.ratings)
        return page

    def _build_retry_box(self) -> QWidget:
        box = QWidget()
        self.retry_hint = QLabel()
        self.retry_hint.setObjectName("hint")
        self.retry_hint.setWordWrap(True)
        self.retry_edit = QLineEdit()
        self.retry_edit.setAccessibleName("Your sentence")
        self.retry_edit.setPlaceholderText("Type it here, then press Enter")
        self.retry_edit.setMaxLength(2000)
        self.retry_edit.returnPressed.connect(self.check_retry)
        self.check_button = _button("Check", "Enter")
        self.check_button.clicked.connect(self.check_retry)
        self.retry_status = QLabel()
        self.retry_status.setAccessibleName("Check result")
        self.retry_status.setTextFormat(Qt.TextFormat.PlainText)
        self.retry_status.setWordWrap(True)
        self.retry_marks = _text_browser("Corrections of your sentence")
        _fit_height(self.retry_marks, 160)

        row = QHBoxLayout()
        row.addWidget(self.retry_edit, 1)
        row.addWidget(self.check_button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.retry_hint)
        layout.addLayout(row)
        layout.addWidget(self.retry_status)
        layout.addWidget(self.retry_marks)
        return box

    def _build_done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = QLabel()
        self.done_label.setAccessibleName("Review finished")
        self.done_label.setTextFormat(Qt.TextFormat.PlainText)
        self.done_label.setWordWrap(True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bigger = self.done_label.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.2)
        self.done_label.setFont(bigger)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_label, 1)
        return page

    # -- the card ---------------------------------------------------------------------

    @property
    def card(self) -> ReviewCard | None:
        """The card on screen; None when nothing is due."""
        return self._card

    @property
    def revealed(self) -> bool:
        return self._card is not None and self._revealed

    def reveal(self) -> None:
        card = self._card
        if card is None:
            return
        self._write_answer(card)
        intervals = next_intervals(card.schedule, self._clock())
        for rating, button in self.rating_buttons.items():
            words = interval_words(intervals[rating])
            button.setText(f"{rating.label}\n{words}")
            button.setToolTip(
                f"{_RATING_MEANING[rating]}: see it again in about {words}."
                f" Key: {_RATING_KEYS[rating]}"
            )
        self._revealed = True
        self.show_button.hide()
        self.answer.show()
        self.ratings.show()
        # Space (or Enter) on the focused button then means "Good", as in Anki.
        self.rating_buttons[Rating.GOOD].setFocus()

    def rate(self, rating: Rating | int) -> None:
        """Rate the card on screen (1 again … 4 easy) and show the next one."""
        card = self._card
        if card is None or not self.revealed:
            return
        rating = Rating(rating)
        now = self._clock()
        self._store.rate(card.id, rating, now)
        log.info("card %d rated %s", card.id, rating.name)
        count = self._store.due_count(now)
        self.due_count_changed.emit(count)
        self._next_card(now, count)

    def _next_card(self, now: datetime | None = None, count: int | None = None) -> None:
        """Show the longest-waiting due card; `now` and its due `count` when known."""
        self._wake.stop()
        if now is None:
            now = self._clock()
        due = self._store.due_cards(now, limit=1)
        if count is None:
            count = self._store.due_count(now)
        self.count_label.setText(f"{count} card{'s' if count != 1 else ''} due")
        self._check_id += 1  # a retry still being checked was about the last card
        if not due:
            self._card = None
            self._show_done(now)
            return
        card = self._card = due[0]
        self.pages.setCurrentIndex(0)
        if card.is_sentence:
            self.category_label.setText(_category_label(card.category))
            self.prompt_label.setText("You wrote this. What should it be?")
            self.retry_button.setText("Retry this sentence")
            self.retry_hint.setText(
                "Write the sentence again, the way it should be; the coach checks it."
            )
        else:
            self.category_label.setText("Word")
            self.prompt_label.setText("What does it mean? Try to remember, then show the answer.")
            self.retry_button.setText("Use it in a sentence")
            self.retry_hint.setText("Write a sentence with this word; the coach checks it.")
        self.front.setPlainText(card.front)
        self.retry_edit.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if _right_to_left(card.language)
            else Qt.LayoutDirection.LeftToRight
        )
        self._revealed = False
        self.answer.clear()
        self.answer.hide()
        self.ratings.hide()
        self.show_button.show()
        self.retry_box.hide()
        self.retry_edit.clear()
        self._set_retry_status("")
        self.retry_marks.hide()
        self.check_button.setEnabled(True)
        self.show_button.setFocus()

    def _show_done(self, now: datetime) -> None:
        self.pages.setCurrentIndex(1)
        upcoming = self._store.next_due()
        if upcoming is None:
            self.done_label.setText(
                "No cards yet.\nWhen the coach corrects one of your messages, it becomes a "
                "card here."
            )
            return
        self.done_label.setText(f"All done for now.\nNext card due {_when(upcoming, now)}.")
        wait = upcoming - now
        if wait <= _WAIT_FOR_NEXT:
            # A card rated Again comes back in minutes: show it then, as the learner may
            # well still be here.
            self._wake.start(max(0, int(wait.total_seconds() * 1000)) + 500)

    def _write_answer(self, card: ReviewCard) -> None:
        self.answer.clear()
        # No direction for the whole document: each paragraph takes its own from its
        # first letter, so an Arabic sentence reads right to left and an English
        # explanation under it left to right.
        cursor = QTextCursor(self.answer.document())
        text = self._format(scale=1.4, bold=True)
        cursor.insertText(card.back, text)
        if card.is_sentence and card.back != card.front:
            cursor.insertBlock(_spaced(10), self._format(meta=True))
            cursor.insertText("Your sentence, corrected:", self._format(meta=True))
            cursor.insertBlock(_spaced(2), self._format())
            self._write_diff(cursor, card.front, card.back)
        if card.explanation:
            cursor.insertBlock(_spaced(10), self._format())
            for number, line in enumerate(card.explanation.splitlines()):
                if number:
                    cursor.insertBlock(_spaced(4), self._format())
                cursor.insertText(line, self._format())
        self.answer.moveCursor(QTextCursor.MoveOperation.Start)
        self.answer.verticalScrollBar().setValue(0)

    def _write_diff(self, cursor: QTextCursor, original: str, corrected: str) -> None:
        """The marks the chat would draw: the same diff, whole words in joined scripts."""
        marks = build_marks(original, CoachVerdict(corrected, ()))
        self._write_marked(cursor, original, marks)

    def _write_marked(self, cursor: QTextCursor, text: str, marks: tuple[Mark, ...]) -> None:
        """Like the chat: what was wrong struck through in red, the fix beside it in green,
        a note (flagged, not changed) underlined with a wave."""
        plain = self._format()
        at = 0
        for mark in marks:
            cursor.insertText(text[at : mark.start], plain)
            if mark.kind is MarkKind.NOTE:
                note = self._format()
                note.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                note.setUnderlineColor(self._colors.problem)
                cursor.insertText(mark.original, note)
            else:
                if mark.original:
                    cursor.insertText(mark.original, self._format(colour="problem", struck=True))
                # Inside a word ("par~~c~~k") the fix follows at once; between words a
                # space keeps the struck word and its replacement apart.
                if mark.original and mark.corrected and not _inside_word(text, mark):
                    cursor.insertText(" ", plain)
                if mark.corrected:
                    cursor.insertText(mark.corrected, self._format(colour="fix", bold=True))
            at = max(at, mark.end)
        cursor.insertText(text[at:], plain)

    # -- retry this sentence --------------------------------------------------------------

    def open_retry(self) -> None:
        if self._card is None:
            return
        self.retry_box.show()
        self.retry_edit.setFocus()

    def check_retry(self) -> None:
        """Ask the coach about what the learner wrote in the retry box (off this thread)."""
        card = self._card
        text = self.retry_edit.text().strip()
        if card is None or not self.check_button.isEnabled():
            return
        if not text:
            self._set_retry_status("Write the sentence first.", state="error")
            return
        context = self._context
        prepared = coach_request(context, self._profile(card.language), text)
        if prepared is None:
            self._set_retry_status(f"⚠ Not checked: {NO_SERVER}", state="error")
            return
        request, base_url = prepared
        model = request.model
        self._check_id += 1
        check_id = self._check_id
        self.check_button.setEnabled(False)
        self.retry_marks.hide()
        self._set_retry_status("Checking…")
        context.tasks.run(
            lambda: run_check(context, request),
            lambda outcome: self._checked(check_id, base_url, text, *outcome),
            lambda error: self._check_failed(check_id, base_url, model, error),
            owner=self,
        )

    def _profile(self, card_language: str) -> LearnerProfile:
        """The learner as settings know them, practising the card's language."""
        learner = self._context.settings.learner
        if learner is None:
            return LearnerProfile(card_language, Level.A2, "en")
        return LearnerProfile(card_language, learner.level, learner.native_language)

    def _checked(
        self,
        check_id: int,
        base_url: str,
        text: str,
        result: CoachResult,
        marks: tuple[Mark, ...],
    ) -> None:
        self._context.corrections.remember_coach_path(base_url, result.model, result.path)
        if check_id != self._check_id:
            return
        self.check_button.setEnabled(True)
        if not marks:
            self._set_retry_status("✓ No mistakes", state="ok")
            return
        count = len(marks)
        self._set_retry_status(f"{count} correction{'s' if count != 1 else ''}:")
        self._write_marks(text, marks)
        self.retry_marks.show()

    def _check_failed(self, check_id: int, base_url: str, model: str, error: Exception) -> None:
        if check_id != self._check_id:
            return
        reason = explain(error, base_url, model)
        log.warning("checking a retried sentence failed: %s (%s)", reason.kind, reason)
        self.check_button.setEnabled(True)  # what was typed stays in the box, to try again
        self._set_retry_status(f"⚠ Not checked: {reason.message}", state="error")

    def _write_marks(self, text: str, marks: tuple[Mark, ...]) -> None:
        self.retry_marks.clear()
        cursor = QTextCursor(self.retry_marks.document())
        plain = self._format()
        self._write_marked(cursor, text, marks)
        explain_too = self._context.settings.corrections.explanations
        for mark in marks:
            cursor.insertBlock(_spaced(4), self._format(meta=True))
            cursor.insertText(f"{mark.category.label}: {change_text(mark, text)}", plain)
            if explain_too and mark.explanation:
                cursor.insertText(f" — {mark.explanation}", self._format(meta=True))

    def _set_retry_status(self, text: str, *, state: str = "") -> None:
        self.retry_status.setText(text)
        self.retry_status.setVisible(bool(text))
        # style.py colours QLabel[state="ok"] and [state="error"]; the style must be
        # applied again for a changed property to show.
        self.retry_status.setProperty("state", state)
        self.retry_status.style().unpolish(self.retry_status)
        self.retry_status.style().polish(self.retry_status)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._colors = ChatPalette.for_palette(self.palette())  # for text written next
        super().changeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self._wake.stop()  # closed: nobody is waiting for the next card
        super().hideEvent(event)

    # -- keys -------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Keys no widget took: Space shows the answer; Enter presses the focused button.

        Buttons are not dialog defaults (see `_button`), so Qt would do nothing with Enter.
        """
        key = event.key()
        focus = self.focusWidget()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focus, QPushButton):
            if focus.isEnabled():
                focus.click()
            return
        if key == Qt.Key.Key_Space and self._card is not None and not self._revealed:
            self.reveal()
            return
        super().keyPressEvent(event)

    # -- formats --------------------------------------------------------------------------

    def _format(
        self,
        *,
        scale: float = 1.1,
        bold: bool = False,
        meta: bool = False,
        colour: str = "",
        struck: bool = False,
    ) -> QTextCharFormat:
        fmt = QTextCharFormat()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * (0.95 if meta else scale))
        if bold:
            font.setWeight(QFont.Weight.DemiBold)
        fmt.setFont(font)
        fmt.setFontStrikeOut(struck)
        if colour == "problem":
            fmt.setForeground(self._colors.problem)
        elif colour == "fix":
            fmt.setForeground(self._colors.fix)
        elif meta:
            fmt.setForeground(self._colors.meta)
        return fmt


def _button(text: str, key: str) -> QPushButton:
    button = QPushButton(text)
    # Not a dialog default: Enter in the retry box must check the sentence, not also
    # press whichever button Qt made the default (it would rate or reveal a card).
    button.setAutoDefault(False)
    button.setToolTip(f"Key: {key}")
    return button


def _text_browser(name: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setAccessibleName(name)
    browser.setOpenLinks(False)
    browser.setOpenExternalLinks(False)
    browser.setUndoRedoEnabled(False)
    browser.setFrameShape(QFrame.Shape.NoFrame)
    # Text on the page, not a white box: the window's own background shows through.
    browser.viewport().setAutoFillBackground(False)
    browser.setStyleSheet("QTextBrowser { background: transparent; }")
    browser.document().setDocumentMargin(2)
    return browser


def _fit_height(browser: QTextBrowser, most: int) -> None:
    """Keep the browser as tall as its text, up to `most` pixels (then it scrolls).

    The height is known only once the text is laid out at the browser's real width,
    which is when the document layout reports a new size.
    """
    browser.document().documentLayout().documentSizeChanged.connect(
        lambda size: browser.setFixedHeight(min(most, int(size.height()) + 6))
    )


def _line() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    # Plain, in the palette's mid tone: a sunken line is a bright stripe on a dark theme.
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setStyleSheet("color: palette(mid);")
    return line


def _spaced(top: float) -> QTextBlockFormat:
    block = QTextBlockFormat()
    block.setTopMargin(top)
    return block


def _right_to_left(code: str) -> bool:
    try:
        return language_info(code).right_to_left
    except (LookupError, ValueError):  # a tag this Tutor does not know: read as written
        return False


def _inside_word(text: str, mark: Mark) -> bool:
    """True if the mark is part of a word ("par~~c~~k"): the fix then follows at once."""
    return word_bounds(text, mark.start, mark.end) != (mark.start, mark.end)


def _category_label(category: str | None) -> str:
    try:
        return Category(category).label if category else "Sentence"
    except ValueError:
        return category or "Sentence"


def _when(due: datetime, now: datetime) -> str:
    """When a card comes due, in words: "now", "in 10 min (at 14:25)", "on Tue 4 Mar"."""
    wait = due - now
    if wait <= timedelta(0):
        return "now"
    local = due.astimezone()
    if wait < timedelta(hours=20):
        return f"in {_duration(wait)} (at {local:%H:%M})"
    return f"on {local:%a} {local.day} {local:%b}"


def _duration(wait: timedelta) -> str:
    minutes = max(1, round(wait.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = round(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"
