"""The window's parts that show the settings, following them on the change hub: the
Corrections menu's checks, the chat's explanations, the appearance (the theme, and the
conversation drawn again in its colours) and the status bar's server.

Whatever changes the settings (tutor/services/settings.py) publishes Change.SETTINGS;
these refresh themselves then, and nothing refreshes them by hand.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from tutor.domain.corrections import CorrectionStyle
from tutor.services.changes import Change, Changes
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.conversation_pane import ConversationPane
from tutor.ui.shell.menus import Menus


class SettingsViews(QObject):
    def __init__(
        self,
        window: QWidget,
        context: AppContext,
        menus: Menus,
        pane: ConversationPane,
        show_server: Callable[[], None],
    ) -> None:
        super().__init__(window)  # goes with the window
        self._context = context
        self._menus = menus
        self._pane = pane
        self._show_server = show_server
        self._appearance = context.settings.appearance
        """The appearance applied: the theme changes only when the setting really did."""
        self._server = context.server_address()
        """The server shown: the status line (with the last reply's tokens) is written
        again only when it changed, not when a correction style was ticked."""
        context.relay.changed.connect(self._changed)

    def show_style(self, style: CorrectionStyle) -> None:
        """The menu's checks and the chat's explanations as `style` says."""
        self._menus.show_style(style)
        self._pane.show_explanations(style.explanations)

    def _changed(self, changes: Changes) -> None:
        if not changes.touches(Change.SETTINGS):
            return
        from tutor.ui.shell.style import apply_style

        settings = self._context.settings
        self.show_style(settings.corrections)
        app = QApplication.instance()
        if settings.appearance != self._appearance and isinstance(app, QApplication):
            self._appearance = settings.appearance
            apply_style(app, settings.appearance)
            self._pane.redraw()  # what is shown keeps the colours it was drawn with
        server = self._context.server_address()
        if server != self._server:
            self._server = server
            self._show_server()
