""" "Say it more simply" on every complete partner reply: the coach's model rewords the
turn for the learner's level, and the simpler wording is shown as the reply, with "Show
original" beside the time to see what the partner really wrote (and "Show simpler" to
go back). While it is asked, a quiet "Rewording…" beneath the reply; a failure is said
there, with Retry.

Only the view changes: the message, the history sent to the partner and the coach keep
the partner's own words (why: tutor/services/say_help.py). The view is given the reply
with the simpler text (`ChatView.update_message`); a view drawn afresh from the
controller's messages (a session opened, earlier pages, a redraw) shows the original
first, and the decorator, seeing it, puts the simpler wording back on the next turn of
the event loop.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QObject, QTimer

from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import N_, _
from tutor.llm.help_say import HelpResult
from tutor.services.say_help import (
    HelpCall,
    help_failure,
    keep_help,
    kept_help,
    kept_simpler,
    run_help,
    simpler_call,
)
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.message_decorations import MessageAction, MessageNote
from tutor.ui.chat.practice import PracticeController
from tutor.ui.shell.context import AppContext

log = logging.getLogger(__name__)

ACTION = "simpler"
SIMPLER_TIP = N_("The same reply in easier words, for your level")
SHOW_ORIGINAL_TIP = N_("Show what the partner wrote")
SHOW_SIMPLER_TIP = N_("Show the reply in easier words again")


class SimplerWording(QObject):
    """The decorator (MessageDecorator) and the requests behind it."""

    def __init__(
        self,
        context: AppContext,
        practice: PracticeController,
        view: ChatView,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._practice = practice
        self._view = view
        self._simpler: dict[int, str] = {}  # reply id -> its simpler wording
        self._originals: set[int] = set()  # replies the learner asked to see as written
        self._asking: dict[int, int] = {}  # reply id -> the request's number
        self._problems: dict[int, str] = {}
        self._requests = 0
        self._restoring: set[int] = set()
        view.add_decorator(self)
        view.action_requested.connect(self._action)
        practice.session_opened.connect(self._session_opened)

    # -- MessageDecorator ----------------------------------------------------------------

    def actions(self, message: ChatMessage) -> Sequence[MessageAction]:
        if not _is_reply(message) or message.id in self._asking:
            return ()
        if message.id in self._simpler:
            self._keep_simpler_shown(message)
            if message.id in self._originals:
                return (MessageAction(ACTION, _("Show simpler"), _(SHOW_SIMPLER_TIP)),)
            return (MessageAction(ACTION, _("Show original"), _(SHOW_ORIGINAL_TIP)),)
        return (MessageAction(ACTION, _("Say it more simply"), _(SIMPLER_TIP)),)

    def notes(self, message: ChatMessage) -> Sequence[MessageNote]:
        if message.role is not Role.ASSISTANT:
            return ()
        if message.id in self._asking:
            return (MessageNote(_("Rewording…")),)
        problem = self._problems.get(message.id)
        if problem is not None:
            return (MessageNote(problem, "problem"), MessageNote(_("Retry"), action=ACTION))
        if message.id in self._simpler and message.id not in self._originals:
            return (MessageNote(_("Said more simply for your level.")),)
        return ()

    # -- what the learner does -------------------------------------------------------------

    def _action(self, name: str, message_id: int) -> None:
        if name != ACTION:
            return
        if message_id in self._simpler:  # the toggle
            self._originals.symmetric_difference_update({message_id})
            self._show(message_id)
            return
        self.ask(message_id)

    def ask(self, message_id: int) -> None:
        """Ask for the reply said more simply (kept ones are shown at once, for nothing)."""
        session = self._practice.session
        reply = self._original(message_id)
        if session is None or reply is None or message_id in self._asking:
            return
        self._problems.pop(message_id, None)
        call = simpler_call(self._context, session, reply)
        if call is None:
            self._problems[message_id] = _("Set up a model server in Settings first.")
            self._view.redraw_message(message_id)
            return
        kept = kept_help(self._context.help_answers, call)
        if kept is not None:
            self._simpler[message_id] = kept.simpler
            self._show(message_id)
            return
        self._requests += 1
        self._asking[message_id] = self._requests
        self._view.redraw_message(message_id)
        self._context.tasks.run(
            partial(run_help, self._context, call),
            partial(self._arrived, call, self._requests),
            partial(self._failed, call, self._requests),
            owner=self._view,
        )

    # -- answers -----------------------------------------------------------------------------

    def _arrived(self, call: HelpCall, request: int, result: HelpResult) -> None:
        message_id = call.message_id or 0
        if self._asking.get(message_id) != request:
            return  # another session since, or asked again
        del self._asking[message_id]
        try:
            keep_help(self._context.help_answers, call, result)
        except sqlite3.OperationalError as error:  # shown all the same, asked again next time
            log.warning("simpler wording not kept: %s", error)
        self._simpler[message_id] = result.simpler
        self._originals.discard(message_id)
        self._show(message_id)

    def _failed(self, call: HelpCall, request: int, error: Exception) -> None:
        message_id = call.message_id or 0
        if self._asking.get(message_id) != request:
            return
        del self._asking[message_id]
        base_url = (self._context.server_address() or ("", ""))[0]
        self._problems[message_id] = help_failure(error, call, base_url)
        self._view.redraw_message(message_id)

    # -- drawing ------------------------------------------------------------------------------

    def _show(self, message_id: int) -> None:
        """Draw the reply with the wording chosen: the simpler one, or the partner's own."""
        original = self._original(message_id)
        if original is None:
            return
        simpler = self._simpler.get(message_id)
        shown = original
        if simpler is not None and message_id not in self._originals:
            shown = original.with_changes(text=simpler)
        self._view.update_message(shown)

    def _keep_simpler_shown(self, message: ChatMessage) -> None:
        """A reply drawn afresh with its original words while the simpler are chosen: put
        them back once this drawing is done (not from inside it)."""
        if (
            message.id not in self._originals
            and message.text != self._simpler[message.id]
            and message.id not in self._restoring
        ):
            self._restoring.add(message.id)
            QTimer.singleShot(0, partial(self._restore, message.id))

    def _restore(self, message_id: int) -> None:
        self._restoring.discard(message_id)
        if self._view.shown_message(message_id) is not None:
            self._show(message_id)

    def _original(self, message_id: int) -> ChatMessage | None:
        """The reply as the partner wrote it (the view may show it reworded)."""
        for message in reversed(self._practice.messages):
            if message.id == message_id:
                return message
        return None

    def _session_opened(self, session: PracticeSession, _messages: list[ChatMessage]) -> None:
        """Another session: its kept wordings, shown simpler again as they were asked."""
        self._asking.clear()
        self._problems.clear()
        self._originals.clear()
        self._simpler = kept_simpler(self._context.help_answers, session.id)


def _is_reply(message: ChatMessage) -> bool:
    return (
        message.role is Role.ASSISTANT
        and message.state is MessageState.COMPLETE
        and bool(message.text.strip())
    )
