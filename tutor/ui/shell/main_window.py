"""The main window: past sessions on the left, the conversation and the composer on the right.

It is built in two steps so that it shows at once (issue 8). `MainWindow()` is the frame:
title, size, menu titles and a status line. `attach(context)` then builds everything the
learner uses, once the frame is painted. So the top of this module imports only what the
frame needs; every other class, of Tutor's or of Qt's, is imported where it is used.
(Naming a Qt class the first time makes its enums: QMessageBox, QKeySequence and the like
cost 1–4 ms each. `Qt` itself makes a hundred, 60 ms, so it is reached through `QtCore`.)

The window is the frame and the wiring between its parts, each in its own module of
tutor/ui/shell: the conversation (conversation_pane), the menus (menus), the dialogs it
opens (dialogs), the session actions' dialogs (session_actions), the count of cards due
(due_count), what shows the settings (settings_views), the Progress view (progress_parts)
and the title's and status line's words (window_words). Views refresh themselves from
the change hub (tutor/services/changes.py); the window never refreshes one by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow, QWidget

from tutor.i18n.translate import N_, _

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QInputDialog, QWizard

    from tutor.domain.conversation import ChatMessage
    from tutor.domain.corrections import CorrectionStyle
    from tutor.domain.exports import ExportFormat
    from tutor.domain.profile import LearnerProfile
    from tutor.domain.scenarios import Scenario
    from tutor.domain.session import PracticeSession
    from tutor.domain.settings import WindowState
    from tutor.ui.chat.mark_card import MarkCard
    from tutor.ui.chat.system_message_dialog import SystemMessageDialog
    from tutor.ui.review.report_dialog import ReportDialog
    from tutor.ui.review.review_window import ReviewWindow
    from tutor.ui.scenarios.scenario_picker import ScenarioPicker
    from tutor.ui.setup.setup_dialogs import SettingsDialog
    from tutor.ui.shell.context import AppContext

OPENING = N_("Opening your conversations…")
DEFAULT_SIZE = (1000, 720)
MENU_TITLES = (N_("&Session"), N_("&Edit"), N_("&Corrections"), N_("&Help"))


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext | None = None, *, geometry: str | None = None) -> None:
        """The frame; with a context, the whole window at once (as tests build it).

        `geometry`: the saved QWidget.saveGeometry() in base64, for the frame to open
        where the learner left it before the settings are read in full.
        """
        super().__init__()
        self.setWindowTitle("Tutor")  # the application's name
        self.setMinimumSize(640, 420)
        saved = geometry or (context.settings.window.geometry if context else None)
        if not saved or not self.restoreGeometry(QByteArray.fromBase64(saved.encode())):
            self.resize(*DEFAULT_SIZE)
        # The menu titles and the status line are there from the first paint, so nothing
        # moves when the rest arrives.
        self._titled = tuple(self.menuBar().addMenu("") for _title in MENU_TITLES)
        self.session_menu, self.edit_menu, self.corrections_menu, self.help_menu = self._titled
        self.setCentralWidget(QWidget())
        self.is_attached = False
        self.welcome: QWizard | None = None
        self.reword_frame()
        if context is not None:
            self.attach(context)

    def reword_frame(self) -> None:
        """The frame's words in the interface language in use (a first run's welcome may
        change it: the rest of the window is built after)."""
        for menu, title in zip(self._titled, MENU_TITLES, strict=True):
            menu.setTitle(_(title))
        if not self.is_attached:
            self.statusBar().showMessage(_(OPENING))

    def attach(self, context: AppContext) -> None:
        """Build the sidebar, the conversation, the composer and the menus for `context`."""
        from PySide6.QtWidgets import QApplication, QHBoxLayout, QPushButton, QSplitter, QVBoxLayout

        from tutor.ui.chat.practice import PracticeController
        from tutor.ui.history.history_panel import HistoryPanel
        from tutor.ui.shell.conversation_pane import ConversationPane
        from tutor.ui.shell.dialogs import WindowDialogs
        from tutor.ui.shell.due_count import DueCount
        from tutor.ui.shell.menus import Menus
        from tutor.ui.shell.progress_parts import ProgressParts
        from tutor.ui.shell.session_actions import SessionActionsUi
        from tutor.ui.shell.settings_views import SettingsViews
        from tutor.ui.shell.style import app_icon

        self.context = context
        self.practice = PracticeController(context, self)
        self.welcome = None
        self.reword_frame()
        icon = app_icon()  # here, not in the frame: reading 10 PNGs delays its first paint
        QApplication.setWindowIcon(icon)  # dialogs too
        self.setWindowIcon(icon)

        self.new_button = QPushButton(_("New session"))
        self.new_button.setAccessibleName(_("New session"))
        # Translators: the button that opens the review of cards; the same word as the
        # Corrections menu's Review.
        self.review_button = QPushButton(_("Review"))
        self.review_button.setAccessibleName(_("Review cards"))
        self.history = HistoryPanel()
        self.session_list = self.history.sessions
        sidebar = QWidget()
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(8, 8, 0, 8)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button, 1)
        buttons.addWidget(self.review_button)
        side.addLayout(buttons)
        side.addWidget(self.history, 1)

        menu_titles = (self.session_menu, self.edit_menu, self.corrections_menu, self.help_menu)
        menus = Menus(self, menu_titles, self, context.settings.corrections, self._save_style)
        self.menus = menus  # the actions the window (and its tests) reach by name:
        self.end_action, self.report_action = menus.end_action, menus.report_action
        self.settings_action, self.find_action = menus.settings_action, menus.find_action
        self.scope_actions, self.strict_action = menus.scope_actions, menus.strict_action
        self.conversation = pane = ConversationPane(context, self.practice, menus)
        self.chat, self.composer, self.notice = pane.chat, pane.composer, pane.notice
        self.goals_panel, self.session_title = pane.goals_panel, pane.session_title
        self.send_button, self.system_button = pane.send_button, pane.system_button

        self.splitter = QSplitter()
        self.splitter.addWidget(sidebar)
        self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 760])
        self.setCentralWidget(self.splitter)
        # In a frame already on screen, a new child waits for a queued show: show it now,
        # so what attach() and launch() set is on screen when the next event comes.
        self.splitter.show()
        self.due_count = DueCount(
            context.review, context.relay, self.review_button, menus.review_action
        )
        self.dialogs = WindowDialogs(
            self, context, self.practice, open_message=self.open_message, due_count=self.due_count
        )
        self.session_actions = SessionActionsUi(
            self,
            context,
            self.practice,
            self.notice,
            show_no_session=pane.show_no_session,
            open_session=self.open_session,
        )
        self.history.follow(context.sessions, context.relay)
        self.settings_views = SettingsViews(self, context, menus, pane, self._update_status)
        self.progress = ProgressParts(self, context, menus)
        self._connect()
        splitter_state = context.settings.window.splitter
        if splitter_state:
            self.splitter.restoreState(QByteArray.fromBase64(splitter_state.encode()))
        self.is_attached = True
        self.due_count.refresh()
        pane.update_busy(False)
        self._update_status()

    def _connect(self) -> None:
        from tutor.domain.exports import ExportFormat

        pane = self.conversation
        pane.session_shown.connect(self._session_shown)
        pane.reply_counted.connect(self._reply_counted)
        self.goals_panel.end_requested.connect(self.end_session)
        self.chat.mark_activated.connect(self.dialogs.show_mark)
        self.chat.word_save_requested.connect(self.session_actions.save_word)
        self.system_button.clicked.connect(self.dialogs.show_system_message)
        self.new_button.clicked.connect(self.open_scenario_picker)
        self.review_button.clicked.connect(self.show_review)
        h = self.history
        h.session_chosen.connect(self._open_chosen)
        h.hit_chosen.connect(self.open_message)
        h.search_changed.connect(lambda text: h.show_hits(self.context.search.search(text)))
        h.rename_requested.connect(self.session_actions.rename)
        h.delete_requested.connect(self.session_actions.delete)
        h.report_requested.connect(self.show_report)
        h.export_requested.connect(lambda sid: self.export(ExportFormat.MARKDOWN, sid))

    def _save_style(self, style: CorrectionStyle) -> None:
        from tutor.services.settings import change_style

        try:
            change_style(self.context, style)  # the checks follow the hub (settings_views)
        except OSError as error:
            self.notice.say(
                _("The correction style could not be saved: {error}").format(error=error)
            )
            self.settings_views.show_style(self.context.settings.corrections)  # the one in force

    # -- actions ------------------------------------------------------------------------

    def new_session(
        self, profile: LearnerProfile | None = None, scenario: Scenario | None = None
    ) -> None:
        profile = self._next_profile(profile)
        if profile is None:
            return
        from tutor.domain.scenarios import FREE_CONVERSATION

        self.practice.start_session(profile, scenario or FREE_CONVERSATION)
        self.composer.setFocus()

    def open_scenario_picker(self) -> None:
        """Choose what to practise next: a scenario, free conversation, or a surprise."""
        profile = self._next_profile()
        if profile is not None:
            self.dialogs.open_scenario_picker(profile, self.new_session)

    def _next_profile(self, chosen: LearnerProfile | None = None) -> LearnerProfile | None:
        """Who the next session is for (`chosen`, if given); None, with Settings opened,
        while no learner or no server is known."""
        from tutor.services.session_actions import next_session_profile

        profile = chosen or next_session_profile(
            self.context.settings.learner, self.practice.session
        )
        if profile is None or not self.context.has_provider():
            self.open_settings()
            return None
        return profile

    def open_session(self, session_id: int) -> None:
        self.practice.open_session(session_id)
        self.composer.setFocus()

    def open_settings(self) -> None:
        self.dialogs.open_settings(self._settings_saved)

    def _settings_saved(self, key_message: str | None) -> None:
        """After the Settings dialog saved: what is not a view's refresh (the views
        followed the hub already: settings_views)."""
        if key_message:
            self.notice.say(key_message)
        if self.practice.session is None and self.context.settings.learner is not None:
            self.new_session()

    def focus_search(self) -> None:
        """Ctrl+F: the sidebar's search box, its text selected so typing replaces it."""
        if self.splitter.sizes()[0] == 0:  # the sidebar was dragged shut
            self.splitter.setSizes([240, max(1, self.splitter.width() - 240)])
        self.history.search.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.history.search.selectAll()

    # The dialogs and windows it opens (tutor/ui/shell/dialogs.py), and the session
    # actions' dialogs (tutor/ui/shell/session_actions.py), by the names tests use.

    def show_system_message(self) -> None:
        self.dialogs.show_system_message()

    def show_report(self, session_id: int | None = None) -> None:
        self.dialogs.show_report(session_id)

    def show_review(self) -> None:
        self.dialogs.show_review()

    def show_notebook(self) -> None:
        self.dialogs.show_notebook()

    def show_about(self) -> None:
        self.dialogs.show_about()

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        return self.dialogs.settings_dialog

    @property
    def system_dialog(self) -> SystemMessageDialog | None:
        return self.dialogs.system_dialog

    @property
    def mark_card(self) -> MarkCard | None:
        return self.dialogs.mark_card

    @property
    def scenario_picker(self) -> ScenarioPicker | None:
        return self.dialogs.scenario_picker

    @property
    def report_dialog(self) -> ReportDialog | None:
        return self.dialogs.report_dialog

    @property
    def review_window(self) -> ReviewWindow | None:
        return self.dialogs.review_window

    @property
    def rename_dialog(self) -> QInputDialog | None:
        return self.session_actions.rename_dialog

    @property
    def word_dialog(self) -> QInputDialog | None:
        return self.session_actions.word_dialog

    def say(self, message: str) -> None:
        self.notice.say(message)

    def _submit(self, text: str) -> None:  # tests type and send through here
        self.conversation.submit(text)

    def _send_or_stop(self) -> None:  # the Send button, as a test presses it
        self.conversation.send_or_stop()

    def send_typed(self) -> None:
        self.conversation.submit(self.composer.toPlainText())

    def stop_reply(self) -> None:
        self.practice.stop()

    def end_session(self) -> None:
        """End the open session and offer its report."""
        if self.practice.session is None:
            return
        self.practice.end_session(True)
        self.show_report()

    def export(self, kind: ExportFormat, session_id: int | None = None) -> None:
        from tutor.domain.exports import ExportFormat
        from tutor.ui.history.export_actions import ask_and_export

        current = self.practice.session
        if session_id is None and current is None and kind is not ExportFormat.ANKI:
            self.notice.say(_("Open a session to export it."))
            return
        target = session_id if session_id is not None else (current.id if current else 0)
        outcome = ask_and_export(self, self.context, target, kind)
        if outcome:
            self.notice.say(outcome)

    def open_message(self, session_id: int, message_id: int) -> None:
        """Open a session at one of its messages (a search hit, a goal, a notebook entry)."""
        self._open_chosen(session_id)
        self.conversation.show_message(message_id)

    def _open_chosen(self, session_id: int) -> None:
        current = self.practice.session
        if current is None or current.id != session_id:
            self.open_session(session_id)

    # -- what the conversation reports ----------------------------------------------------

    def _session_shown(self, session: PracticeSession | None) -> None:
        from tutor.ui.shell.window_words import window_title

        self.setWindowTitle(window_title(session))
        self.history.set_current(session.id if session else None)
        if session is not None:
            self._update_status()

    def _reply_counted(self, message: ChatMessage) -> None:
        from tutor.ui.shell.window_words import reply_status

        if message.usage is not None:
            self.statusBar().showMessage(reply_status(self._server_label(), message.usage))

    def _server_label(self) -> str:
        from tutor.ui.shell.window_words import server_label

        return server_label(self.context.server_address())

    def _update_status(self) -> None:
        self.statusBar().showMessage(self._server_label())

    def window_state(self) -> WindowState:
        from tutor.domain.settings import WindowState

        return WindowState(
            geometry=bytes(self.saveGeometry().toBase64().data()).decode(),
            splitter=bytes(self.splitter.saveState().toBase64().data()).decode(),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.is_attached:  # closed while still opening: nothing to save yet
            super().closeEvent(event)
            return
        self.practice.close()
        self.dialogs.close_waiting()
        from tutor.services.settings import keep_window_layout

        try:
            keep_window_layout(self.context, self.window_state())
        except OSError as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(
                self,
                "Tutor",
                _("Your window layout could not be saved: {error}").format(error=error),
            )
        super().closeEvent(event)
