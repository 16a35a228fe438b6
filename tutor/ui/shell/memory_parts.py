"""A partner who remembers, put together in the window: the reader that reads a session
for the facts the learner shared (tutor/ui/memory/reading.py), and "What your partner
knows about you" (tutor/ui/memory/facts_window.py), reached from the Session menu and
from Settings.

Here in the shell because it joins the memory feature to the practice controller, the
menus and the Settings dialog of other features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from tutor.i18n.translate import N_, _
from tutor.ui.memory.reading import MemoryReader
from tutor.ui.shell.context import AppContext

if TYPE_CHECKING:
    from tutor.ui.chat.practice import PracticeController
    from tutor.ui.memory.facts_window import FactsWindow
    from tutor.ui.shell.menus import Menus

FACTS_COMMAND = N_("What your partner &knows about you…")


class MemoryParts(QObject):
    def __init__(
        self, window: QWidget, context: AppContext, practice: PracticeController, menus: Menus
    ) -> None:
        super().__init__(window)
        self._window = window
        self._context = context
        self.reader = MemoryReader(context, practice, self)
        self.facts_window: FactsWindow | None = None
        self.facts_action = QAction(_(FACTS_COMMAND), window)
        self.facts_action.triggered.connect(self.show_facts)
        menus.session_menu.insertAction(menus.end_action, self.facts_action)

    def show_facts(self) -> None:
        """The facts window; not modal, so the learner can keep practising beside it."""
        if self.facts_window is not None and shiboken6.isValid(self.facts_window):
            self.facts_window.refresh()
            self.facts_window.raise_()
            self.facts_window.activateWindow()
            return
        self.facts_window = open_facts_window(self._context, self._window)
        self.facts_window.show()


def open_facts_window(context: AppContext, parent: QWidget) -> FactsWindow:
    from tutor.ui.memory.facts_window import FactsWindow

    window = FactsWindow(context, parent)
    window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    return window


def add_facts_button(buttons: QDialogButtonBox, context: AppContext, parent: QWidget) -> None:
    """Settings' way to the facts window (and the memory switch in it)."""
    button = buttons.addButton(
        _("What your partner knows…"), QDialogButtonBox.ButtonRole.ActionRole
    )
    button.setObjectName("factsButton")
    button.clicked.connect(lambda: open_facts_window(context, parent).open())
