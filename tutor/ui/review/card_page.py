"""The review window's pages: the card (its heading, the cue, Show answer, the answer,
the four ratings, the retry box) and "all done".

Only the widgets and what each card shows on them live here; what happens when a button
is pressed is the review window's.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.languages import reads_right_to_left
from tutor.domain.review import (
    Rating,
    ReviewCard,
    category_label,
    highlighted,
    interval_words,
)
from tutor.i18n.translate import N_, _
from tutor.ui.review.page_parts import button, fit_height, key_tip, line, text_browser
from tutor.ui.review.retry_box import RetryBox

RATING_KEYS = {Rating.AGAIN: "1", Rating.HARD: "2", Rating.GOOD: "3", Rating.EASY: "4"}
# A rating button's tooltip: what the rating means, and when the card comes back.
_RATING_MEANING = {
    # Translators: {wait} as a rating button shows it, abbreviated ("10 min", "3 d").
    Rating.AGAIN: N_("You did not remember it: see it again in about {wait}."),
    # Translators: {wait} as a rating button shows it, abbreviated ("10 min", "3 d").
    Rating.HARD: N_("You remembered it, with difficulty: see it again in about {wait}."),
    # Translators: {wait} as a rating button shows it, abbreviated ("10 min", "3 d").
    Rating.GOOD: N_("You remembered it: see it again in about {wait}."),
    # Translators: {wait} as a rating button shows it, abbreviated ("10 min", "3 d").
    Rating.EASY: N_("It was easy: see it again in about {wait}."),
}


class CardPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.front = text_browser(_("Card"))
        bigger = self.front.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.4)
        self.front.setFont(bigger)
        fit_height(self.front, 200)

        self.show_button = button(_("Show answer"), "Space")
        self.answer = text_browser(_("Answer"))
        self.rating_buttons: dict[Rating, QPushButton] = {}
        ratings = QHBoxLayout()
        for rating in Rating:
            rating_button = button(rating.label, RATING_KEYS[rating])
            rating_button.setMinimumHeight(44)
            self.rating_buttons[rating] = rating_button
            ratings.addWidget(rating_button, 1)
        self.ratings = QWidget()
        self.ratings.setLayout(ratings)
        ratings.setContentsMargins(0, 0, 0, 0)

        self.retry_button = button(_("Retry this sentence"), "R")
        self.retry_box = RetryBox()

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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(heading)
        layout.addWidget(self.front)
        layout.addSpacing(8)
        layout.addLayout(actions)
        layout.addWidget(self.retry_box)
        layout.addWidget(line())
        layout.addWidget(answer_area, 1)
        layout.addWidget(self.ratings)

    def show_card(self, card: ReviewCard) -> None:
        """The card's cue, its answer hidden, the retry box closed and empty."""
        if card.is_sentence:
            self.category_label.setText(category_label(card.category))
            self.prompt_label.setText(_("You wrote this. What should it be?"))
            self.retry_button.setText(_("Retry this sentence"))
            hint = _("Write the sentence again, the way it should be; the coach checks it.")
        else:
            # Translators: the heading of a review card that asks for a word's meaning.
            self.category_label.setText(_("Word"))
            self.prompt_label.setText(
                _("What does it mean? Try to remember, then show the answer.")
            )
            self.retry_button.setText(_("Use it in a sentence"))
            hint = _("Write a sentence with this word; the coach checks it.")
        show_front(self.front, card.front)
        self.answer.clear()
        self.answer.hide()
        self.ratings.hide()
        self.show_button.show()
        self.retry_box.reset(hint, right_to_left=reads_right_to_left(card.language))
        self.show_button.setFocus()

    def show_ratings(self, intervals: dict[Rating, timedelta]) -> None:
        """The answer (written by the window) and the ratings, each with when it brings
        the card back."""
        for rating, rating_button in self.rating_buttons.items():
            words = interval_words(intervals[rating])
            rating_button.setText(f"{rating.label}\n{words}")
            meaning = _(_RATING_MEANING[rating]).format(wait=words)
            rating_button.setToolTip(f"{meaning}\n{key_tip(RATING_KEYS[rating])}")
        self.show_button.hide()
        self.answer.show()
        self.ratings.show()
        # Space (or Enter) on the focused button then means "Good", as in Anki.
        self.rating_buttons[Rating.GOOD].setFocus()


class DonePage(QWidget):
    """Nothing due: when the next card comes, or that there are no cards yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setAccessibleName(_("Review finished"))
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bigger = self.label.font()
        bigger.setPointSizeF(bigger.pointSizeF() * 1.2)
        self.label.setFont(bigger)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label, 1)


def show_front(browser: QTextBrowser, front: str) -> None:
    """A card's cue as plain text; a vocabulary card's looked-up word bold in its sentence."""
    parts = highlighted(front)
    if parts is None:
        browser.setPlainText(front)
        return
    browser.clear()
    cursor = QTextCursor(browser.document())
    plain = QTextCharFormat()
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    bold.setFontUnderline(True)
    before, word, after = parts
    for text, fmt in ((before, plain), (word, bold), (after, plain)):
        cursor.insertText(text, fmt)
