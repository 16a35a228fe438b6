"""Help with what the learner wants to say, beside the composer: "How do I say…?" (also
a message typed with a leading "?"), and Hint (Ctrl+H), each answered in a panel above
the composer whose Use puts an option into the composer to edit.

Nothing here is a turn: a "?" message never reaches the partner, the coach or the
conversation (tutor/services/say_help.py). The model is asked off the GUI thread; a late
answer (another question since, another session) is dropped, and a failure is said in
the panel with Retry, leaving the conversation as it was.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from functools import partial
from typing import Protocol

from PySide6 import QtCore
from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.say_help import say_question
from tutor.domain.session import PracticeSession
from tutor.i18n.formats import language_name
from tutor.i18n.translate import N_, _
from tutor.llm.help_say import HelpResult
from tutor.services.say_help import (
    HelpCall,
    HelpShown,
    help_failure,
    hint_call,
    keep_help,
    kept_help,
    last_partner_message,
    run_help,
    say_call,
)
from tutor.ui.assist.suggestion_panel import SuggestionPanel
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.bidi import isolate

log = logging.getLogger(__name__)

HINT_SHORTCUT = "Ctrl+H"
# Translators: the title of the panel of hints: replies the learner could give.
HINT_TITLE = N_("Possible replies")


class Practice(Protocol):
    """What help reads of the practice controller (tutor/ui/chat/practice.py)."""

    session_opened: SignalInstance
    message_added: SignalInstance
    message_updated: SignalInstance
    busy_changed: SignalInstance
    ended_changed: SignalInstance

    @property
    def session(self) -> PracticeSession | None: ...
    @property
    def messages(self) -> list[ChatMessage]: ...
    @property
    def is_busy(self) -> bool: ...


class Assist(QObject):
    """The two buttons (`buttons`, for the composer's row), the panel (`panel`, for
    above the composer) and what they ask."""

    def __init__(
        self,
        context: AppContext,
        practice: Practice,
        composer: QPlainTextEdit,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._practice = practice
        self._composer = composer
        self._asked = 0  # the latest question: an answer to an earlier one is dropped
        self._again: Callable[[], None] | None = None
        self.panel = SuggestionPanel()
        self.say_button = QPushButton(_("How do I say…?"))
        self.say_button.setAccessibleName(_("How do I say…?"))
        self.say_button.setToolTip(
            _(
                "Ways to say what you mean in the language you practise: write it in your "
                "own language first, or start your message with “?”"
            )
        )
        self.hint_button = QPushButton(_("Hint"))
        self.hint_button.setAccessibleName(_("Hint: possible replies"))
        self.buttons = QWidget()
        column = QVBoxLayout(self.buttons)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.say_button)
        column.addWidget(self.hint_button)
        self.hint_action = QAction(_("Hint"), self.buttons)
        self.hint_action.setShortcut(QKeySequence(HINT_SHORTCUT))
        self.hint_action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        self.buttons.addAction(self.hint_action)
        self._connect()
        self.refresh()

    def _connect(self) -> None:
        p = self._practice
        p.session_opened.connect(self._session_opened)
        p.message_added.connect(self._message_added)
        for signal in (p.message_updated, p.busy_changed, p.ended_changed):
            signal.connect(self.refresh)
        self.say_button.clicked.connect(self._say_clicked)
        self.hint_button.clicked.connect(self.ask_hint)
        self.hint_action.triggered.connect(self.ask_hint)
        self.panel.used.connect(self.use)
        self.panel.retry_clicked.connect(self._retry)
        self.panel.closed.connect(self._closed)

    # -- what the learner does -----------------------------------------------------------

    def asked_how_to_say(self, typed: str) -> bool:
        """True when `typed` is a "? …" question, asked here instead of being sent: the
        composer's Enter, the Send button and the menu all come through this first."""
        meaning = say_question(typed)
        if meaning is None:
            return False
        self.ask_say(meaning)
        return True

    def ask_say(self, meaning: str) -> None:
        session = self._practice.session
        if session is None:
            return
        if not meaning.strip():
            self._explain_prefix(session)
            return
        # Translators: the panel's title; {meaning} is what the learner wants to say.
        title = _("How do I say “{meaning}”?").format(meaning=isolate(meaning.strip()))
        self._ask(say_call(self._context, session, meaning), title)

    def ask_hint(self) -> None:
        session = self._practice.session
        if session is None or self.hint_unavailable() is not None:
            return
        self._ask(hint_call(self._context, session, self._practice.messages), _(HINT_TITLE))

    def use(self, text: str) -> None:
        """Put a chosen option in the composer (replacing the "?" question), to edit."""
        self._composer.setPlainText(text)
        self._composer.moveCursor(QTextCursor.MoveOperation.End)
        self.panel.close_panel()
        self._composer.setFocus()

    def escape(self) -> None:
        """Esc in the composer: it stops a reply that streams; with none, it closes the
        panel (Esc on the panel itself always does)."""
        if not self._practice.is_busy:
            self.panel.close_panel()

    def hint_unavailable(self) -> str | None:
        """Why Hint cannot help now, in words for its tooltip; None when it can."""
        session = self._practice.session
        if session is None:
            return _("Open or start a session first.")
        if session.has_ended:
            return _("This session has ended.")
        if self._practice.is_busy:
            return _("Wait until the partner's reply has arrived.")
        if last_partner_message(self._practice.messages) is None:
            return _("There is no message from your partner waiting for your answer.")
        return None

    def refresh(self) -> None:
        session = self._practice.session
        self.say_button.setEnabled(session is not None and not session.has_ended)
        why_not = self.hint_unavailable()
        self.hint_button.setEnabled(why_not is None)
        self.hint_action.setEnabled(why_not is None)
        shortcut = QKeySequence(HINT_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        # Translators: the Hint button's tooltip; {shortcut} is its key, e.g. Ctrl+H.
        tip = _("Two or three replies you could give to the partner's last message ({shortcut})")
        self.hint_button.setToolTip(why_not or tip.format(shortcut=shortcut))

    # -- asking ------------------------------------------------------------------------

    def _ask(self, call: HelpCall | None, title: str) -> None:
        self._asked += 1
        if call is None:
            problem = _("Set up a model server in Settings first.")
            self.panel.show_problem(title, problem, can_retry=False)
            return
        self._again = partial(self._ask, call, title)
        kept = kept_help(self._context.help_answers, call)
        if kept is not None:  # asked before in this session: shown again for nothing
            self._show(title, kept)
            return
        asked = self._asked
        self.panel.asking(title, _("Asking…"))
        self._context.tasks.run(
            partial(run_help, self._context, call),
            lambda result: self._arrived(asked, call, title, result),
            lambda error: self._failed(asked, call, title, error),
            owner=self.panel,
        )

    def _arrived(self, asked: int, call: HelpCall, title: str, result: HelpResult) -> None:
        if asked != self._asked:
            return
        try:
            shown = keep_help(self._context.help_answers, call, result)
        except sqlite3.OperationalError as error:  # shown all the same, asked again next time
            log.warning("help answer not kept: %s", error)
            shown = HelpShown(call.question.task, result.suggestions, result.simpler)
        self._show(title, shown)

    def _failed(self, asked: int, call: HelpCall, title: str, error: Exception) -> None:
        if asked != self._asked:
            return
        base_url = (self._context.server_address() or ("", ""))[0]
        self.panel.show_problem(title, help_failure(error, call, base_url))

    def _show(self, title: str, shown: HelpShown) -> None:
        self.panel.show_options(title, shown.suggestions)

    def _retry(self) -> None:
        if self._again is not None:
            self._again()

    # -- what the conversation reports ---------------------------------------------------

    def _say_clicked(self) -> None:
        typed = self._composer.toPlainText()
        question = say_question(typed)
        self.ask_say(question if question is not None else typed)

    def _explain_prefix(self, session: PracticeSession) -> None:
        """With nothing written yet: start the "?" question for the learner."""
        if not self._composer.toPlainText().strip():
            self._composer.setPlainText("? ")
            self._composer.moveCursor(QTextCursor.MoveOperation.End)
        # Translators: {language} is the learner's own language.
        note = _("Write what you mean in {language} after the “?”, then press Enter.")
        self.panel.show_note(_("How do I say…?"), note.format(language=_native(session)))
        self._composer.setFocus()

    def _session_opened(self, _session: object, _messages: Sequence[ChatMessage]) -> None:
        self._asked += 1
        self._again = None
        self.panel.close_panel()
        self.refresh()

    def _message_added(self, message: ChatMessage) -> None:
        if message.role is Role.USER:  # sent: the question or hint is behind the learner
            self._asked += 1
            self.panel.close_panel()
        self.refresh()

    def _closed(self) -> None:
        self._asked += 1
        self._composer.setFocus()


def _native(session: PracticeSession) -> str:
    return language_name(session.native_language)
