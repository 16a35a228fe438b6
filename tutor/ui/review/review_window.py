"""The review screen: one due card at a time, shown, revealed and rated; and a retry box
where the learner writes the sentence again and the coach checks it.

Card text is inserted as plain text, never as markup: it is the learner's and the
model's words. Ratings are saved at once, so closing the window loses nothing.

The pages' widgets are built in `card_page` and `retry_box`, their text written by
`card_text`; this module is the flow:
which card, reveal, rate, wait for the next, and asking the coach about a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.conversation import utc_now
from tutor.domain.corrections import Mark
from tutor.domain.review import Rating, ReviewCard, next_intervals
from tutor.domain.time_words import due_in_words
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext
from tutor.llm.coach import CoachResult
from tutor.llm.errors import explain
from tutor.services.coaching import coach_request, remember_path, run_check
from tutor.services.review import Reviewing, retry_profile
from tutor.services.server import NO_SERVER
from tutor.ui.review.card_page import RATING_KEYS, CardPage, DonePage
from tutor.ui.review.card_text import CardText
from tutor.ui.shell.context import AppContext

log = logging.getLogger(__name__)

# When the next card comes due within this long, the window waits for it with the
# learner instead of only saying when (learning steps are 1 and 10 minutes).
_WAIT_FOR_NEXT = timedelta(minutes=15)


class ReviewWindow(QDialog):
    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """`clock`: for tests."""
        super().__init__(parent)
        # Translators: the review window's title (a noun: where review cards come back).
        title = _("Review")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._context = context
        self._reviewing = Reviewing(context.review, context.changes)
        self._clock = clock
        self._card: ReviewCard | None = None
        self._revealed = False
        self._check_id = 0
        """Which retry check is current: an answer for an older one is dropped."""
        self._text = CardText(self)
        self._wake = QTimer(self)
        self._wake.setSingleShot(True)
        self._wake.timeout.connect(self._next_card)

        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.count_label.setAccessibleName(_("Cards due"))
        self.card_page = CardPage()
        self.done_page = DonePage()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.card_page)
        self.pages.addWidget(self.done_page)
        self._connect_card_page()
        close_button = QPushButton(_("Close"))
        close_button.setAutoDefault(False)
        close_button.clicked.connect(self.reject)

        # Translators: the review window's keys. "1–4" and "R" are the keys themselves and
        # stay as they are; name Space and Esc as keyboards in your language label them.
        keys = QLabel(_("Space: show answer · 1–4: rate · R: retry · Esc: close"))
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

    def _connect_card_page(self) -> None:
        page = self.card_page
        # The pages' widgets under the names the window had them by (tests reach them).
        self.category_label = page.category_label
        self.front = page.front
        self.show_button = page.show_button
        self.answer = page.answer
        self.rating_buttons = page.rating_buttons
        self.ratings = page.ratings
        self.retry_button = page.retry_button
        self.retry_box = page.retry_box
        self.retry_edit = page.retry_box.edit
        self.check_button = page.retry_box.check_button
        self.retry_status = page.retry_box.status
        self.retry_marks = page.retry_box.marks
        self.done_label = self.done_page.label

        # Space reveals through keyPressEvent, not a shortcut: a shortcut would take
        # Space from whichever button has the focus (Retry, say) and press this one.
        self.show_button.clicked.connect(self.reveal)
        for rating, button in self.rating_buttons.items():
            button.clicked.connect(lambda _=False, r=rating: self.rate(r))
            # A shortcut of the window, not of the button: a button's shortcut clicks it
            # 100 ms later (animateClick), after the card may have changed. rate() itself
            # refuses a card whose answer was not shown. The retry box keeps digits typed
            # in it: a line edit takes the keys it can type before shortcuts see them.
            shortcut = QShortcut(QKeySequence(RATING_KEYS[rating]), self)
            shortcut.activated.connect(lambda r=rating: self.rate(r))
        QShortcut(QKeySequence("R"), self).activated.connect(self.open_retry)
        self.retry_button.clicked.connect(self.open_retry)
        self.retry_edit.returnPressed.connect(self.check_retry)
        self.check_button.clicked.connect(self.check_retry)

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
        self._text.write_answer(self.answer, card)
        self._revealed = True
        self.card_page.show_ratings(next_intervals(card.schedule, self._clock()))

    def rate(self, rating: Rating | int) -> None:
        """Rate the card on screen (1 again … 4 easy) and show the next one."""
        card = self._card
        if card is None or not self.revealed:
            return
        rating = Rating(rating)
        now = self._clock()
        count = self._reviewing.rate(card, rating, now)  # the Review button follows the hub
        log.info("card %d rated %s", card.id, rating.name)
        self._next_card(now, count)

    def _next_card(self, now: datetime | None = None, count: int | None = None) -> None:
        """Show the longest-waiting due card; `now` and its due `count` when known."""
        self._wake.stop()
        if now is None:
            now = self._clock()
        due, count = self._reviewing.due_now(now, count)
        self.count_label.setText(
            ngettext("{count} card due", "{count} cards due", count).format(
                count=format_number(count)
            )
        )
        self._check_id += 1  # a retry still being checked was about the last card
        if due is None:
            self._card = None
            self._show_done(now)
            return
        card = self._card = due
        self.pages.setCurrentIndex(0)
        self._revealed = False
        self.card_page.show_card(card)

    def _show_done(self, now: datetime) -> None:
        self.pages.setCurrentIndex(1)
        upcoming = self._reviewing.next_due()
        if upcoming is None:
            self.done_label.setText(
                _(
                    "No cards yet.\nWhen the coach corrects one of your messages, it becomes a "
                    "card here."
                )
            )
            return
        # Translators: {when} says when the next review card comes: "now", "in 10 min (at
        # 2:25 PM)" or "on Tue, Mar 4".
        words = _("All done for now.\nNext card due {when}.")
        self.done_label.setText(words.format(when=due_in_words(upcoming, now)))
        wait = upcoming - now
        if wait <= _WAIT_FOR_NEXT:
            # A card rated Again comes back in minutes: show it then, as the learner may
            # well still be here.
            self._wake.start(max(0, int(wait.total_seconds() * 1000)) + 500)

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
            self.retry_box.set_status(_("Write the sentence first."), state="error")
            return
        context = self._context
        learner = retry_profile(context.settings.learner, card.language)
        prepared = coach_request(context, learner, text)
        if prepared is None:
            # NO_SERVER is marked where it is written (tutor/services/server.py).
            reason = _(NO_SERVER)
            self.retry_box.set_status(not_checked(reason), state="error")
            return
        request, base_url = prepared
        model = request.model
        self._check_id += 1
        check_id = self._check_id
        self.check_button.setEnabled(False)
        self.retry_marks.hide()
        self.retry_box.set_status(_("Checking…"))
        context.tasks.run(
            lambda: run_check(context, request),
            lambda outcome: self._checked(check_id, base_url, text, *outcome),
            lambda error: self._check_failed(check_id, base_url, model, error),
            owner=self,
        )

    def _checked(
        self,
        check_id: int,
        base_url: str,
        text: str,
        result: CoachResult,
        marks: tuple[Mark, ...],
    ) -> None:
        remember_path(self._context.corrections, base_url, result)
        if check_id != self._check_id:
            return
        self.check_button.setEnabled(True)
        if not marks:
            self.retry_box.set_status(_("✓ No mistakes"), state="ok")
            return
        count = len(marks)
        # Translators: above the corrections of a retried sentence, one a line.
        heading = ngettext("{count} correction:", "{count} corrections:", count)
        self.retry_box.set_status(heading.format(count=format_number(count)))
        explain_too = self._context.settings.corrections.explanations
        self._text.write_marks(self.retry_marks, text, marks, explain=explain_too)
        self.retry_marks.show()

    def _check_failed(self, check_id: int, base_url: str, model: str, error: Exception) -> None:
        if check_id != self._check_id:
            return
        reason = explain(error, base_url, model)
        log.warning("checking a retried sentence failed: %s (%s)", reason.kind, reason)
        self.check_button.setEnabled(True)  # what was typed stays in the box, to try again
        self.retry_box.set_status(not_checked(reason.message), state="error")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._text.follow_palette()  # for text written next
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


def not_checked(reason: str) -> str:
    """The retry box's words when the coach could not check the sentence."""
    # Translators: a retried sentence the coach could not check; {reason} says why.
    return _("⚠ Not checked: {reason}").format(reason=reason)
