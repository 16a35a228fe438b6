"""The Progress view in the main window: its item in the Corrections menu, beside the
mistakes notebook and the review (Ctrl+Shift+P, from any window of Tutor's that is not
modal), and the one window it opens.

The window is not modal, like the notebook's: the learner may keep it open beside the
conversation, and it follows the change hub by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6 import QtCore
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from tutor.i18n.translate import _

if TYPE_CHECKING:
    from tutor.ui.progress.progress_window import ProgressWindow
    from tutor.ui.shell.context import AppContext
    from tutor.ui.shell.menus import Menus

SHORTCUT = "Ctrl+Shift+P"


class ProgressParts:
    def __init__(self, window: QMainWindow, context: AppContext, menus: Menus) -> None:
        self._window = window
        self._context = context
        self.progress_window: ProgressWindow | None = None
        # Translators: opens the view of what the learner has done in a language.
        self.action = QAction(_("&Progress…"), window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        # Also from the mistakes notebook and the other windows that are not modal, where
        # the learner looks at their mistakes and wonders how they are doing.
        self.action.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
        self.action.triggered.connect(self.show_progress)
        # Right after Review, before the fit meter's group.
        actions = menus.corrections_menu.actions()
        after = actions.index(menus.review_action) + 1
        if after < len(actions):
            menus.corrections_menu.insertAction(actions[after], self.action)
        else:
            menus.corrections_menu.addAction(self.action)

    def show_progress(self) -> None:
        if self.progress_window is not None and shiboken6.isValid(self.progress_window):
            self.progress_window.refresh()
            self.progress_window.raise_()
            self.progress_window.activateWindow()
            return
        from tutor.ui.progress.progress_window import ProgressWindow

        window = ProgressWindow(self._context, self._window)
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.progress_window = window
        window.show()
