"""The main window's menus: Session, Edit, Corrections and Help, their actions and
shortcuts, each connected to what the window does (`WindowCommands`).

The menu titles themselves are made with the frame (tutor/ui/shell/main_window.py), so
nothing moves on screen when these arrive after the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6 import QtCore
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from tutor.domain.corrections import CorrectionScope, CorrectionStyle
from tutor.domain.exports import ExportFormat
from tutor.i18n.translate import _


class WindowCommands(Protocol):
    """What the menus ask the window to do."""

    def open_scenario_picker(self) -> None: ...
    def show_system_message(self) -> None: ...
    def end_session(self) -> None: ...
    def show_report(self, session_id: int | None = None) -> None: ...
    def export(self, kind: ExportFormat, session_id: int | None = None) -> None: ...
    def send_typed(self) -> None: ...
    def stop_reply(self) -> None: ...
    def close(self) -> bool: ...
    def focus_search(self) -> None: ...
    def open_settings(self) -> None: ...
    def show_notebook(self) -> None: ...
    def show_review(self) -> None: ...
    def show_about(self) -> None: ...


class Menus:
    """Fills the window's four menus; the actions the window enables, checks or renames
    stay reachable here."""

    def __init__(
        self,
        parent: QWidget,
        menus: tuple[QMenu, QMenu, QMenu, QMenu],
        commands: WindowCommands,
        style: CorrectionStyle,
        style_chosen: Callable[[CorrectionStyle], None],
    ) -> None:
        self._parent = parent
        self._style_chosen = style_chosen
        session_menu, edit_menu, corrections_menu, help_menu = menus
        self.edit_menu = edit_menu  # features add their commands here (tutor/ui/help)
        self._build_session_menu(session_menu, commands)
        self.find_action = self._action(
            edit_menu, _("&Find in all sessions…"), QKeySequence.StandardKey.Find
        )
        self.find_action.triggered.connect(commands.focus_search)
        edit_menu.addSeparator()
        self.settings_action = self._action(edit_menu, _("&Settings…"), "Ctrl+,")
        self.settings_action.triggered.connect(commands.open_settings)
        self._build_corrections_menu(corrections_menu, commands)
        self.show_style(style)
        about = self._action(help_menu, _("&About Tutor"), None)
        about.triggered.connect(commands.show_about)

    def _build_session_menu(self, menu: QMenu, commands: WindowCommands) -> None:
        self.session_menu = menu  # features add their commands (listening: conversation_pane)
        self.new_action = self._action(menu, _("&New session"), QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(commands.open_scenario_picker)
        self.system_action = self._action(menu, _("Show &system message"), "Ctrl+I")
        self.system_action.triggered.connect(commands.show_system_message)
        # Checked and connected by the reading aids' controls (tutor/ui/chat/reading_controls.py).
        self.reading_action = self._action(menu, _("Show reading &aids"), None)
        self.end_action = self._action(menu, _("&End session and see report"), "Ctrl+E")
        self.end_action.triggered.connect(commands.end_session)
        # Translators: shows the report of the open session (a noun).
        self.report_action = self._action(menu, _("&Report"), "Ctrl+R")
        self.report_action.triggered.connect(lambda: commands.show_report())
        export_menu = menu.addMenu(_("E&xport"))
        for kind, text in (
            (ExportFormat.MARKDOWN, _("This session as &Markdown…")),
            (ExportFormat.CSV, _("Its corrections as &CSV…")),
            (ExportFormat.ANKI, _("All review cards as an &Anki deck…")),
        ):
            action = self._action(export_menu, text, None)
            action.triggered.connect(lambda _checked=False, k=kind: commands.export(k))
        # Enter belongs to the text box (Shift+Enter, input methods): shown here, not bound,
        # its name as Qt's own catalogue words it.
        enter = QKeySequence(QtCore.Qt.Key.Key_Enter).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        send_action = self._action(menu, _("Sen&d message") + "\t" + enter, None)
        send_action.triggered.connect(commands.send_typed)
        self.stop_action = self._action(menu, _("S&top reply"), "Esc")
        self.stop_action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.stop_action.triggered.connect(commands.stop_reply)
        # Speaking and listening add their items here (speaking_parts.py, the speaker's).
        self.voice_menu = menu.addMenu(_("&Voice"))
        menu.addSeparator()
        quit_action = self._action(menu, _("&Quit"), "Ctrl+Q")
        quit_action.triggered.connect(commands.close)

    def _build_corrections_menu(self, menu: QMenu, commands: WindowCommands) -> None:
        """The correction style, changed at any time; it applies from the next message."""
        self.corrections_menu = menu  # the Progress view adds its item (progress_parts.py)
        from tutor.ui.setup.corrections_form import (
            EXPLANATIONS_TEXT,
            PRECISE_TEXT,
            SCOPE_TEXT,
            STRICT_TEXT,
        )

        scopes = QActionGroup(self._parent)
        self.scope_actions: dict[CorrectionScope, QAction] = {}
        for scope in CorrectionScope:
            action = self._action(menu, _(SCOPE_TEXT[scope]), None)
            action.setCheckable(True)
            scopes.addAction(action)
            action.triggered.connect(self._style_picked)
            self.scope_actions[scope] = action
        menu.addSeparator()
        self.explanations_action = self._action(menu, _(EXPLANATIONS_TEXT), None)
        self.strict_action = self._action(menu, _(STRICT_TEXT), None)
        # Precision first asks for the opposite of strict: ticking one unticks the other.
        self.precise_action = self._action(menu, _(PRECISE_TEXT), None)
        self.strict_action.triggered.connect(lambda on: self._untick(on, self.precise_action))
        self.precise_action.triggered.connect(lambda on: self._untick(on, self.strict_action))
        for action in (self.explanations_action, self.strict_action, self.precise_action):
            action.setCheckable(True)
            action.triggered.connect(self._style_picked)
        menu.addSeparator()
        self.notebook_action = self._action(menu, _("Mistakes &notebook…"), "Ctrl+Shift+M")
        self.notebook_action.triggered.connect(commands.show_notebook)
        # Translators: opens the review of cards (spaced repetition): a verb or a noun, as
        # menus say it; the Review button and its count use the same word.
        self.review_action = self._action(menu, _("&Review"), "Ctrl+Shift+R")
        self.review_action.triggered.connect(commands.show_review)
        menu.addSeparator()  # the fit meter (tutor/ui/chat/level_fit_view.py) checks it
        self.level_fit_action = self._action(menu, _("Show how replies fit your &level"), None)

    def show_style(self, style: CorrectionStyle) -> None:
        self.scope_actions[style.scope].setChecked(True)
        self.explanations_action.setChecked(style.explanations)
        self.strict_action.setChecked(style.strict and not style.precise)
        self.precise_action.setChecked(style.precise)

    @staticmethod
    def _untick(ticked: bool, other: QAction) -> None:
        if ticked:
            other.setChecked(False)

    def _style_picked(self) -> None:
        scope = next(s for s, a in self.scope_actions.items() if a.isChecked())
        self._style_chosen(
            CorrectionStyle(
                scope,
                self.explanations_action.isChecked(),
                self.strict_action.isChecked(),
                self.precise_action.isChecked(),
            )
        )

    def _action(
        self, menu: QMenu, text: str, shortcut: str | QKeySequence.StandardKey | None
    ) -> QAction:
        action = QAction(text, self._parent)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        menu.addAction(action)
        return action
