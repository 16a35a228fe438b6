"""Translate a partner's message: a "Translate" link beside each complete reply (and a
shortcut for the last one); the translation beneath the message, hidden again with
another click.

It is a MessageDecorator (tutor/ui/shell/chat_parts.py): it never draws, it
answers what the chat asks and asks for a redraw when its answer changed. A translation
asked once is kept with the session (tutor/services/help_words.py), so showing it again,
in this run or after the session is opened again, makes no request. Kept translations
are shown when a session is opened, except those the learner hid in this run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject

from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.domain.session import PracticeSession
from tutor.domain.word_help import Translation
from tutor.i18n.translate import _
from tutor.services import help_words
from tutor.services.help_words import HelpRequest
from tutor.services.server import NO_SERVER
from tutor.ui.shell.chat_parts import ChatView, MessageAction, MessageNote
from tutor.ui.shell.context import AppContext

log = logging.getLogger(__name__)

TRANSLATE_ACTION = "translate"
RETRY_ACTION = "translate-retry"


class Translations(QObject):
    """The decorator and what its links do; `open_session` says which session is open."""

    def __init__(
        self,
        context: AppContext,
        view: ChatView,
        open_session: Callable[[], PracticeSession | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.closed = False
        """The window closed: what arrives now is dropped."""
        self._view = view
        self._open_session = open_session
        self._kept: dict[int, dict[tuple[int, str], Translation]] = {}
        """Session id → (message id, text translated) → translation, read from the store
        once a session."""
        self._hidden: set[int] = set()
        self._asking: set[int] = set()
        self._problems: dict[int, str] = {}
        view.add_decorator(self)
        view.action_requested.connect(self._action)

    # -- what the chat asks --------------------------------------------------------------

    def actions(self, message: ChatMessage) -> Sequence[MessageAction]:
        if not translatable(message):
            return ()
        if self.is_shown(message):
            return (MessageAction(TRANSLATE_ACTION, _("Hide translation")),)
        return (
            MessageAction(
                TRANSLATE_ACTION,
                # Translators: a link beside a partner's message: shows it in your language.
                _("Translate"),
                _("Show this message in your own language"),
            ),
        )

    def notes(self, message: ChatMessage) -> Sequence[MessageNote]:
        if not translatable(message) or message.id in self._hidden:
            return ()
        if message.id in self._asking:
            return (MessageNote(_("Translating…")),)
        problem = self._problems.get(message.id)
        if problem is not None:
            # Why, in the problem's colour; then a link that asks again.
            return (
                MessageNote(problem, kind="problem"),
                MessageNote(_("Retry"), action=RETRY_ACTION),
            )
        kept = self._kept_for(message)
        return (MessageNote(kept.text),) if kept is not None else ()

    def is_shown(self, message: ChatMessage) -> bool:
        """The message's translation (or its request, or why it failed) is showing."""
        if message.id in self._hidden:
            return False
        return (
            message.id in self._asking
            or message.id in self._problems
            or self._kept_for(message) is not None
        )

    # -- what the learner does -----------------------------------------------------------

    def toggle(self, session: PracticeSession | None, message: ChatMessage) -> None:
        """Show the message's translation (asking for it the first time), or hide it."""
        if session is None or not translatable(message):
            return
        if self.is_shown(message):
            self._hidden.add(message.id)
            self._problems.pop(message.id, None)
            self._view.redraw_message(message.id)
            return
        self._hidden.discard(message.id)
        if self._kept_for(message) is not None:
            self._view.redraw_message(message.id)
            return
        self._ask(session, message)

    def translate_last(self, session: PracticeSession | None, messages: list[ChatMessage]) -> bool:
        """Toggle the translation of the last complete partner message; False if none."""
        last = next((m for m in reversed(messages) if translatable(m)), None)
        if last is None:
            return False
        self.toggle(session, last)
        return True

    def _action(self, name: str, message_id: int) -> None:
        if name not in (TRANSLATE_ACTION, RETRY_ACTION):
            return
        message = self._view.shown_message(message_id)
        session = self._open_session()
        if message is None or session is None or message.session_id != session.id:
            return
        if name == RETRY_ACTION:
            self._problems.pop(message_id, None)
            self._ask(session, message)
        else:
            self.toggle(session, message)

    # -- asking --------------------------------------------------------------------------

    def _ask(self, session: PracticeSession, message: ChatMessage) -> None:
        if message.id in self._asking:
            return
        request = help_words.help_request(self._context, session, message)
        if request is None:
            self._problems[message.id] = _(NO_SERVER)
            self._view.redraw_message(message.id)
            return
        self._asking.add(message.id)
        self._problems.pop(message.id, None)
        self._view.redraw_message(message.id)
        log.info("translating message %d with %s", message.id, request.model)
        context = self._context
        context.tasks.run(
            lambda: help_words.ask_translation(context, request),
            lambda result: self._answered(request, result),
            lambda error: self._failed(request, error),
            owner=self,
        )

    def _answered(self, request: HelpRequest, result: Any) -> None:
        if self.closed:
            return
        self._asking.discard(request.message_id)
        translation = help_words.keep_translation(self._context, request, result)
        self._session_kept(request.session_id)[request.message_id, translation.of] = translation
        self._view.redraw_message(request.message_id)

    def _failed(self, request: HelpRequest, error: Exception) -> None:
        if self.closed:
            return
        self._asking.discard(request.message_id)
        words = help_words.failure_words(error, request)
        log.warning("translating message %d failed: %s", request.message_id, words)
        self._problems[request.message_id] = words
        self._view.redraw_message(request.message_id)

    def _kept_for(self, message: ChatMessage) -> Translation | None:
        """The kept translation of the message's text as shown now (its own words, or a
        simpler wording)."""
        return self._session_kept(message.session_id).get((message.id, message.text))

    def _session_kept(self, session_id: int) -> dict[tuple[int, str], Translation]:
        kept = self._kept.get(session_id)
        if kept is None:
            kept = help_words.kept_translations(self._context.help_answers, session_id)
            self._kept = {session_id: kept}  # one session open at a time
        return kept


def translatable(message: ChatMessage) -> bool:
    """A partner's message with all its words: a reply still arriving, cut off or failed
    has nothing final to translate."""
    return (
        message.role is Role.ASSISTANT
        and message.state is MessageState.COMPLETE
        and bool(message.text.strip())
    )
