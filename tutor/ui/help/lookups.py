"""Look up a word or a phrase of the partner's: a click on a word (ChatView.word_clicked,
also from the level meter's underlined words), or a selection (the context menu's
"Look up “…”", or the shortcut) opens the look-up card near it.

One flow for keeping words: in a partner's message, a selection's context menu offers
"Look up" instead of "Save to review…", and the card's "Add to review" makes the card
with the meaning the look-up found; "Save to review…" with the learner's own meaning
stays for what they wrote themselves.

A look-up asked once is kept (tutor/services/help_words.py): the same word in the same
message opens at once, with no request. The answer is kept even when the card was
closed before it arrived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QMenu, QWidget

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.review import ReviewCard
from tutor.domain.session import PracticeSession
from tutor.domain.word_help import Lookup
from tutor.domain.word_spans import (
    LookupTarget,
    NotInTextError,
    needs_segmenting,
    segmented_word_at,
    word_at,
)
from tutor.i18n.translate import _
from tutor.services import help_words
from tutor.services.help_words import HelpRequest
from tutor.services.server import NO_SERVER
from tutor.ui.help.lookup_card import LookupCard, Say
from tutor.ui.shell.chat_parts import ChatView
from tutor.ui.shell.context import AppContext

log = logging.getLogger(__name__)

SelectionAction = Callable[[QMenu, str], None]


class Lookups(QObject):
    def __init__(
        self,
        context: AppContext,
        view: ChatView,
        open_session: Callable[[], PracticeSession | None],
        say: Say | None = None,
        window: QWidget | None = None,
    ) -> None:
        super().__init__(window)
        self._context = context
        self.closed = False
        """The window closed: what arrives now is dropped."""
        self._view = view
        self._open_session = open_session
        self._say = say
        self._window = window
        self.card: LookupCard | None = None
        self._shown: tuple[ChatMessage, LookupTarget] | None = None
        """The message and words the open card is about."""
        view.word_clicked.connect(self.look_up_word)
        if view.selection_actions:
            # The chat's own "Save to review…" first: partner's words are looked up instead.
            view.selection_actions[0] = self._look_up_or(view.selection_actions[0])

    # -- what the learner does -----------------------------------------------------------

    def look_up_word(self, message_id: int, offset: int, point: QPoint) -> None:
        """A click on a partner's message: the word under it (in Chinese and Japanese,
        found by a tokenizer off the GUI thread)."""
        text = self._view.message_text(message_id)
        session = self._open_session()
        if text is None or session is None:
            return
        language = session.target_language

        def found(span: tuple[int, int] | None) -> None:
            if span is not None and not self.closed:
                self.look_up(message_id, span[0], span[1], text[span[0] : span[1]], point)

        if needs_segmenting(language):
            self._context.tasks.run(
                lambda: segmented_word_at(text, offset, language), found, owner=self
            )
        else:
            found(word_at(text, offset))

    def look_up_selection(self) -> bool:
        """The selected words of a partner's message; False when nothing fits."""
        place = self._partner_selection()
        if place is None:
            return False
        message_id, start, end = place
        text = self._view.message_text(message_id) or ""
        cursor_rect = self._view.cursorRect(self._view.textCursor())
        point = self._view.viewport().mapToGlobal(cursor_rect.bottomLeft())
        self.look_up(message_id, start, end, text[start:end], point)
        return True

    def look_up(self, message_id: int, start: int, end: int, word: str, point: QPoint) -> None:
        """Open the card for `word`, seen at [start, end) of the message's text."""
        session = self._open_session()
        if session is None:
            return
        card = self._open_card(word.strip() or word, session.target_language, point)
        # The words as the conversation shows them, which the learner chose from: the
        # partner's own, or a simpler wording of them.
        message = self._view.shown_message(message_id)
        text = self._view.message_text(message_id)
        if message is not None and text is not None and text != message.text:
            message = message.with_changes(text=text)  # a reply still arriving
        try:
            target = help_words.shown_target(message, start, end, word)
        except NotInTextError as problem:
            card.show_problem(str(problem), retry=False)
            card.refit()
            return
        assert message is not None  # shown_target said so
        card.word.setText(target.word)
        self._shown = (message, target)
        kept = help_words.kept_lookup_of(self._context.help_answers, message, target.word)
        if kept is not None:
            card.show_lookup(kept)
            card.refit()
            return
        self._ask(session, message, target)

    # -- asking --------------------------------------------------------------------------

    def _ask(self, session: PracticeSession, message: ChatMessage, target: LookupTarget) -> None:
        card = self.card
        request = help_words.help_request(self._context, session, message, target)
        if request is None:
            if card is not None:
                card.show_problem(_(NO_SERVER), retry=False)
            return
        if card is not None:
            card.show_waiting()
        log.info("looking up a word of message %d with %s", message.id, request.model)
        context = self._context
        context.tasks.run(
            lambda: help_words.ask_lookup(context, request),
            lambda result: self._answered(request, result),
            lambda error: self._failed(request, error),
            owner=self,
        )

    def _answered(self, request: HelpRequest, result: Any) -> None:
        if self.closed:
            return
        lookup = help_words.keep_lookup(self._context, request, result)
        card = self._card_for(request)
        if card is not None:
            card.show_lookup(lookup)
            card.refit()

    def _failed(self, request: HelpRequest, error: Exception) -> None:
        if self.closed:
            return
        words = help_words.failure_words(error, request)
        log.warning("looking up a word of message %d failed: %s", request.message_id, words)
        card = self._card_for(request)
        if card is not None:
            card.show_problem(words, retry=True)
            card.refit()

    def _card_for(self, request: HelpRequest) -> LookupCard | None:
        """The open card, if it is still about what `request` asked."""
        if self.card is None or self._shown is None or request.target is None:
            return None
        message, target = self._shown
        if message.id != request.message_id or target != request.target:
            return None
        return self.card

    # -- the card ------------------------------------------------------------------------

    def _open_card(self, word: str, language: str, point: QPoint) -> LookupCard:
        if self.card is not None:
            self.card.close()
        card = LookupCard(word, language, self._say, self._window)
        card.add_requested.connect(self._add_to_review)
        card.retry_requested.connect(self._retry)
        # The card closed before deletes itself later: only this one's end clears it.
        card.destroyed.connect(lambda: self._card_closed(card))
        self.card = card
        self._shown = None
        card.show_at(point)
        return card

    def _retry(self) -> None:
        session = self._open_session()
        if session is None or self._shown is None:
            return
        message, target = self._shown
        self._ask(session, message, target)

    def _card_closed(self, card: LookupCard) -> None:
        if self.card is card:
            self.card = None
            self._shown = None

    def _add_to_review(self) -> None:
        session = self._open_session()
        card = self.card
        if session is None or card is None or card.lookup is None or self._shown is None:
            return
        message, target = self._shown
        made = self.add_to_review(session, message.id, target, card.lookup)
        card.show_added(_("Added: it comes up in your next review."))
        card.refit()
        log.info("vocabulary card %d from message %d", made.id, message.id)

    def add_to_review(
        self, session: PracticeSession, message_id: int, target: LookupTarget, lookup: Lookup
    ) -> ReviewCard:
        return help_words.add_to_review(self._context, session, message_id, target, lookup)

    # -- the context menu ----------------------------------------------------------------

    def _partner_selection(self) -> tuple[int, int, int] | None:
        place = self._view.selection_in_message()
        if place is None:
            return None
        message = self._view.shown_message(place[0])
        return place if message is not None and message.role is Role.ASSISTANT else None

    def _look_up_or(self, save: SelectionAction) -> SelectionAction:
        def add(menu: QMenu, selected: str) -> None:
            if self._partner_selection() is None:
                save(menu, selected)
                return
            shown = selected if len(selected) <= 30 else selected[:29] + "…"
            action = menu.addAction(_("Look up “{words}”").format(words=shown))
            action.triggered.connect(self.look_up_selection)

        return add
