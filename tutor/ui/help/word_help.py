"""Help on what the partner says, put into the window: translations beneath messages
(tutor/ui/help/translations.py), look-ups of words (tutor/ui/help/lookups.py), and their
two commands in the Edit menu with shortcuts.

The shell builds one `WordHelp` after the conversation and passes what it needs; this
package reaches the chat only through tutor/ui/shell/chat_parts.py.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from tutor.domain.conversation import ChatMessage
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import _
from tutor.ui.help.lookup_card import Say
from tutor.ui.help.lookups import Lookups
from tutor.ui.help.translations import Translations
from tutor.ui.shell.chat_parts import ChatView
from tutor.ui.shell.context import AppContext

TRANSLATE_SHORTCUT = "Ctrl+T"
LOOK_UP_SHORTCUT = "Ctrl+L"


class WordHelp(QObject):
    """`open_session` and `messages`: the open session and its messages (the practice
    controller's); `tell`: a notice for the learner; `say`: speaks text in a language,
    or None where no voice exists (the card then has no ▶)."""

    def __init__(
        self,
        window: QWidget,
        context: AppContext,
        view: ChatView,
        menu: QMenu,
        *,
        open_session: Callable[[], PracticeSession | None],
        messages: Callable[[], list[ChatMessage]],
        tell: Callable[[str], None],
        say: Say | None = None,
    ) -> None:
        super().__init__(window)
        self._open_session = open_session
        self._messages = messages
        self._tell = tell
        self.translations = Translations(context, view, open_session, self)
        self.lookups = Lookups(context, view, open_session, say, window)
        menu.addSeparator()
        self.translate_action = _action(
            window, menu, _("&Translate the last reply"), TRANSLATE_SHORTCUT
        )
        self.translate_action.triggered.connect(self.translate_last)
        self.look_up_action = _action(
            window, menu, _("&Look up the selected words"), LOOK_UP_SHORTCUT
        )
        self.look_up_action.triggered.connect(self.look_up_selection)
        # Once the pane is in its window (after the shell's attach() placed it).
        QTimer.singleShot(0, self, lambda: window.window().installEventFilter(self))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """The window closes: answers still on their way are dropped, not kept (the
        stores close with it)."""
        if event.type() == QEvent.Type.Close:
            self.translations.closed = self.lookups.closed = True
        return False

    def translate_last(self) -> None:
        if not self.translations.translate_last(self._open_session(), self._messages()):
            self._tell(_("There is no reply of the partner's to translate yet."))

    def look_up_selection(self) -> None:
        if not self.lookups.look_up_selection():
            self._tell(
                _(
                    "Select a word or a few words in a partner's message to look them up, "
                    "or click a word."
                )
            )


def _action(parent: QWidget, menu: QMenu, text: str, shortcut: str) -> QAction:
    action = QAction(text, parent)
    action.setShortcut(QKeySequence(shortcut))
    menu.addAction(action)
    return action
