"""The Progress view in the main window: its item in the Corrections menu, beside the
mistakes notebook and the review (Ctrl+Shift+P, from any window of Tutor's that is not
modal), a button among the notebook's own, and the one window it opens.

The window is not modal, like the notebook's: the learner may keep it open beside the
conversation, and it follows the change hub by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow, QPushButton

from tutor.i18n.translate import _

if TYPE_CHECKING:
    from tutor.ui.progress.progress_window import ProgressWindow
    from tutor.ui.review.notebook_window import NotebookWindow
    from tutor.ui.shell.context import AppContext
    from tutor.ui.shell.menus import Menus

SHORTCUT = "Ctrl+Shift+P"
_NAME = "progressParts"


class ProgressParts(QObject):
    def __init__(self, window: QMainWindow, context: AppContext, menus: Menus) -> None:
        super().__init__(window)
        self.setObjectName(_NAME)  # found by the notebook's button (offer_in_notebook)
        self._window = window
        self._context = context
        self.progress_window: ProgressWindow | None = None
        # Translators: opens the view of what the learner has done in a language.
        self.action = QAction(_("&Progress…"), window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        # Also from the mistakes notebook and the other windows that are not modal, where
        # the learner looks at their mistakes and wonders how they are doing.
        self.action.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
        self.action.triggered.connect(lambda: self.show_progress())
        # Right after Review, before the fit meter's group.
        actions = menus.corrections_menu.actions()
        after = actions.index(menus.review_action) + 1
        if after < len(actions):
            menus.corrections_menu.insertAction(actions[after], self.action)
        else:
            menus.corrections_menu.addAction(self.action)

    def show_progress(self, language: str | None = None) -> None:
        """Open (or bring up) the view, on `language` if given."""
        window = self.progress_window
        if window is not None and shiboken6.isValid(window):
            if language:
                window.choose_language(language)
            else:
                window.refresh()
            window.raise_()
            window.activateWindow()
            return
        from tutor.ui.progress.progress_window import ProgressWindow

        window = ProgressWindow(self._context, self._window, language=language)
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.progress_window = window
        window.show()


def offer_in_notebook(notebook: NotebookWindow, main: QMainWindow) -> None:
    """A Progress button among the notebook's own: the language the notebook shows."""
    parts = main.findChild(QObject, _NAME)
    if not isinstance(parts, ProgressParts):
        return
    # Translators: a button in the mistakes notebook that opens the Progress view.
    button = QPushButton(_("See progress"))
    button.setToolTip(_("Your progress in this language ({shortcut})").format(shortcut=SHORTCUT))
    notebook.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
    button.clicked.connect(lambda: parts.show_progress(notebook.current_language()))
