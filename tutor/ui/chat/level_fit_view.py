"""The fit meter in the conversation: beside each complete reply's time, whether it fits
the learner's level ("● fits", "◐ a bit hard", "○ too hard": words and a shape, never
colour alone), the share of known words and the words above the level on hover, and
those words underlined with a quiet dotted line (a click on one is the chat's
word_clicked, which the look-up answers).

The measure is tutor/services/level_fit.py's, on a pool thread: the word lists load
there on the first session shown (after the window's first paint), and every reply
costs about a millisecond after that. Results come back to the GUI thread, are kept
per message, and redraw just that message. The underlines are the chat's
"hard-words" highlight layer, laid again whenever the document was redrawn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QTextCharFormat

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import CorrectionState
from tutor.domain.level_bands import Verdict
from tutor.domain.level_fit import LevelFit
from tutor.domain.session import PracticeSession
from tutor.i18n.formats import format_list, format_percent, language_name
from tutor.i18n.translate import _, pgettext
from tutor.services import level_fit as fits_service
from tutor.services.level_fit import measurable
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.message_decorations import MessageAction, MessageNote
from tutor.ui.chat.practice import PracticeController
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.chat_palette import ChatPalette

log = logging.getLogger(__name__)

ACTION = "fit"
LAYER = "hard-words"
RELAY_MS = 30  # lay the underlines again once a burst of redrawing is over


def meter_label(fit: LevelFit) -> str:
    if fit.verdict is Verdict.FITS:
        # Translators: the fit meter beside a reply's time: the reply suits the learner's level.
        return pgettext("fit meter", "● fits")
    if fit.verdict is Verdict.A_BIT_HARD:
        # Translators: the fit meter: a few words of the reply are above the learner's level.
        return pgettext("fit meter", "◐ a bit hard")
    if fit.verdict is Verdict.TOO_HARD:
        # Translators: the fit meter: many words of the reply are above the learner's level.
        return pgettext("fit meter", "○ too hard")
    # Translators: the fit meter when Tutor has no word list for the language practised.
    return pgettext("fit meter", "◌ can't judge")


def meter_tooltip(fit: LevelFit, level: str) -> str:
    if not fit.judged:
        return _(
            "Tutor cannot judge how well this reply fits your level: it has no list of "
            "how common words are in {language}."
        ).format(language=language_name(fit.language))
    lines = [
        # Translators: {percent} is like "94%", {level} a CEFR level such as "A2".
        _("{percent} of the words in this reply are within your level ({level}).").format(
            percent=format_percent(fit.share or 0.0), level=level
        )
    ]
    words = fit.hard_words()
    if words:
        # Translators: {words} is a list of words, as "a, b and c"; they are underlined.
        lines.append(
            _("Above it: {words}. Click one to look it up.").format(words=format_list(words[:8]))
        )
    return "\n".join(lines)


def used_correctly(message: ChatMessage) -> bool:
    """A learner's message the coach checked and left without a mark standing."""
    correction = message.correction
    return (
        message.role is Role.USER
        and correction is not None
        and correction.state is CorrectionState.CHECKED
        and not any(not mark.dismissed for mark in correction.marks)
    )


def _failed(error: Exception) -> None:
    """The meter is a help: when it fails the conversation goes on without it."""
    log.warning("fit meter not measured: %s", error)


class LevelFitView(QObject):
    """Measures the shown session's replies, and shows the meter and the underlines."""

    def __init__(
        self,
        context: AppContext,
        practice: PracticeController,
        chat: ChatView,
        toggle: QAction,
        say: Callable[[str], None],
    ) -> None:
        super().__init__(chat)
        self._context = context
        self._practice = practice
        self._chat = chat
        self._fits = context.level_fits
        self._toggle = toggle
        self._say = say
        self._session: PracticeSession | None = None
        self._generation = 0  # a result for a session no longer shown is dropped
        self.pending = 0
        """Measures asked for and not back yet."""
        self._asked: set[tuple[int, str]] = set()  # texts measured for the view's sake
        self._relay = QTimer(self)
        self._relay.setSingleShot(True)
        self._relay.setInterval(RELAY_MS)
        self._relay.timeout.connect(self.lay_underlines)
        toggle.setCheckable(True)
        toggle.setChecked(context.settings.level_fit_meter)
        toggle.toggled.connect(self._toggled)
        chat.add_decorator(self)
        chat.document().contentsChanged.connect(self._relay.start)
        practice.session_opened.connect(self._session_opened)
        practice.message_updated.connect(self._message_updated)
        practice.message_removed.connect(self._fits.forget)

    @property
    def shown(self) -> bool:
        """The meter and underlines are shown (the setting). Hidden, the replies are
        still measured: the partner's steering and the report use them."""
        return self._context.settings.level_fit_meter

    # -- what the chat asks of a decorator ---------------------------------------------

    def actions(self, message: ChatMessage) -> Sequence[MessageAction]:
        if not self.shown or not measurable(message) or self._session is None:
            return ()
        fit = self._fits.fit(message)
        if fit is None:
            self._measure_once(message)  # shown with other words (simpler): measure those
            return ()
        if fit.verdict is Verdict.TOO_SHORT:
            return ()
        tooltip = meter_tooltip(fit, self._session.level.value)
        return (MessageAction(ACTION, meter_label(fit), tooltip, link=False),)

    def notes(self, message: ChatMessage) -> Sequence[MessageNote]:
        return ()

    # -- measuring ---------------------------------------------------------------------

    def _session_opened(self, session: PracticeSession, messages: list[ChatMessage]) -> None:
        self._session = session
        self._generation += 1
        if any(measurable(m) for m in messages):
            self._measure(messages)  # which loads the lists first, on its pool thread
        elif not self._fits.is_ready(session.target_language):
            # Shown after the window's first paint: load now, before the first reply ends.
            language = session.target_language
            self._context.tasks.run(lambda: self._fits.warm(language), lambda _r: None, _failed)

    def _message_updated(self, message: ChatMessage) -> None:
        session = self._session
        if session is None or message.session_id != session.id:
            return
        if used_correctly(message):
            self._measure_again()
        elif measurable(message) and self._fits.fit(message) is None:
            self._measure([message])

    def _measure_again(self) -> None:
        """The coach found a learner's message correct (often after the reply it led to
        was measured): its words are known now, so the replies with words above the level
        are measured again."""
        hard = [
            m
            for m in self._practice.messages
            if measurable(m) and (fit := self._fits.fit(m)) is not None and fit.hard
        ]
        self._measure(hard, again=True)

    def _measure_once(self, message: ChatMessage) -> None:
        key = (message.id, message.text)
        if key not in self._asked:
            self._asked.add(key)
            self._measure([message])

    def _measure(self, messages: Sequence[ChatMessage], *, again: bool = False) -> None:
        """Measure the replies among `messages` on a pool thread (loading the language's
        lists there the first time), then draw them again."""
        session = self._session
        replies = [m for m in messages if measurable(m)]
        if session is None or not replies:
            return
        language, level = session.target_language, session.level
        correct = self._fits.correct_texts(self._context.known_words, language)
        generation = self._generation

        def measure() -> list[int]:
            return list(self._fits.measure(replies, language, level, correct, again=again))

        def show(measured: list[int]) -> None:
            self.pending -= 1
            if generation == self._generation:
                for message_id in measured:
                    self._chat.redraw_message(message_id)
                self.lay_underlines()

        def failed(error: Exception) -> None:
            self.pending -= 1
            _failed(error)

        self.pending += 1
        self._context.tasks.run(measure, show, failed, owner=self._chat)

    # -- showing -----------------------------------------------------------------------

    def lay_underlines(self) -> None:
        """Underline the words above the level in every shown reply measured."""
        ranges: list[tuple[int, int, int]] = []
        if self.shown and self._session is not None:
            for original in self._practice.messages:
                message = self._chat.shown_message(original.id) or original  # as drawn
                fit = self._fits.fit(message) if measurable(message) else None
                if fit is not None:
                    ranges += [(message.id, w.start, w.end) for w in fit.hard if w.end > w.start]
        self._chat.set_highlights(LAYER, ranges, self.underline())

    def underline(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(ChatPalette.for_palette(self._chat.palette()).meta)
        return fmt

    def _toggled(self, shown: bool) -> None:
        if shown == self.shown:
            return
        try:
            fits_service.show_meter(self._context, shown)
        except OSError as error:
            log.warning("fit meter setting not saved: %s", error)
            self._toggle.setChecked(self.shown)
            self._say(_("The fit meter's setting could not be saved: {error}").format(error=error))
            return
        for message in self._practice.messages:
            if measurable(message):
                self._chat.redraw_message(message.id)
        self.lay_underlines()
