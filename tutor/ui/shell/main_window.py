"""The main window: past sessions on the left, the conversation and the composer on the right.

It is built in two steps so that it shows at once (issue 8). `MainWindow()` is the frame:
title, size, menu titles and a status line. `attach(context)` then builds everything the
learner uses, once the frame is painted. So the top of this module imports only what the
frame needs; every other class, of Tutor's or of Qt's, is imported where it is used.
(Naming a Qt class the first time makes its enums: QMessageBox, QKeySequence and the
like cost 1–4 ms each. `Qt` itself makes a hundred, 60 ms, so it is reached through
`QtCore` at call time.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow, QWidget

from tutor import __version__

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
    from PySide6.QtWidgets import QInputDialog, QMenu, QWizard

    from tutor.domain.conversation import ChatMessage
    from tutor.domain.corrections import CorrectionScope, CorrectionStyle
    from tutor.domain.exports import ExportFormat
    from tutor.domain.profile import LearnerProfile
    from tutor.domain.scenarios import Scenario
    from tutor.domain.session import PracticeSession
    from tutor.domain.settings import WindowState
    from tutor.ui.chat.mark_card import MarkCard
    from tutor.ui.chat.system_message_dialog import SystemMessageDialog
    from tutor.ui.review.notebook_window import NotebookWindow
    from tutor.ui.review.report_dialog import ReportDialog
    from tutor.ui.review.review_window import ReviewWindow
    from tutor.ui.scenarios.scenario_picker import ScenarioPicker
    from tutor.ui.setup.setup_dialogs import SettingsDialog
    from tutor.ui.shell.context import AppContext

OPENING = "Opening your conversations…"
DEFAULT_SIZE = (1000, 720)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext | None = None, *, geometry: str | None = None) -> None:
        """The frame; with a context, the whole window at once (as tests build it).

        `geometry`: the saved QWidget.saveGeometry() in base64, for the frame to open
        where the learner left it before the settings are read in full.
        """
        super().__init__()
        self.setWindowTitle("Tutor")
        self.setMinimumSize(640, 420)
        saved = geometry or (context.settings.window.geometry if context else None)
        if not saved or not self.restoreGeometry(QByteArray.fromBase64(saved.encode())):
            self.resize(*DEFAULT_SIZE)
        # The menu titles and the status line are there from the first paint, so nothing
        # moves when the rest arrives.
        bar = self.menuBar()
        self.session_menu = bar.addMenu("&Session")
        self.edit_menu = bar.addMenu("&Edit")
        self.corrections_menu = bar.addMenu("&Corrections")
        self.help_menu = bar.addMenu("&Help")
        self.statusBar().showMessage(OPENING)
        self.setCentralWidget(QWidget())
        self.is_attached = False
        if context is not None:
            self.attach(context)

    def attach(self, context: AppContext) -> None:
        """Build the sidebar, the conversation, the composer and the menus for `context`."""
        from PySide6.QtWidgets import (
            QApplication,
            QHBoxLayout,
            QLabel,
            QPushButton,
            QSplitter,
            QVBoxLayout,
        )

        from tutor.ui.chat.chat_view import ChatView
        from tutor.ui.chat.composer import Composer
        from tutor.ui.chat.goals_panel import GoalsPanel
        from tutor.ui.chat.practice import PracticeController
        from tutor.ui.history.history_panel import HistoryPanel
        from tutor.ui.shell.notice_bar import NoticeBar
        from tutor.ui.shell.style import app_icon

        self.context = context
        self.practice = PracticeController(context, self)
        self.welcome: QWizard | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.system_dialog: SystemMessageDialog | None = None
        self.mark_card: MarkCard | None = None
        self.scenario_picker: ScenarioPicker | None = None
        self.report_dialog: ReportDialog | None = None
        self.notebook_window: NotebookWindow | None = None
        self.review_window: ReviewWindow | None = None
        self.word_dialog: QInputDialog | None = None
        icon = app_icon()  # here, not in the frame: reading 10 PNGs delays its first paint
        QApplication.setWindowIcon(icon)  # dialogs too
        self.setWindowIcon(icon)
        self._appearance = context.settings.appearance

        self.new_button = QPushButton("New session")
        self.new_button.setAccessibleName("New session")
        self.review_button = QPushButton("Review")
        self.review_button.setAccessibleName("Review cards")
        self.history = HistoryPanel()
        self.session_list = self.history.sessions
        self.rename_dialog: QInputDialog | None = None
        sidebar = QWidget()
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(8, 8, 0, 8)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button, 1)
        buttons.addWidget(self.review_button)
        side.addLayout(buttons)
        side.addWidget(self.history, 1)

        self.session_title = QLabel("No session")
        self.session_title.setObjectName("sessionTitle")
        self.system_button = QPushButton("System message")
        self.system_button.setAccessibleName("Show the system message")
        self.chat = ChatView()
        self.chat.show_explanations = context.settings.corrections.explanations
        self.notice = NoticeBar()
        self.composer = Composer()
        self.send_button = QPushButton("Send")
        self.send_button.setAccessibleName("Send")
        self.send_button.setDefault(True)

        header = QHBoxLayout()
        header.addWidget(self.session_title, 1)
        header.addWidget(self.system_button)
        compose_row = QHBoxLayout()
        compose_row.addWidget(self.composer, 1)
        compose_row.addWidget(self.send_button, 0, QtCore.Qt.AlignmentFlag.AlignBottom)
        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(0, 8, 8, 8)
        column.addLayout(header)
        self.goals_panel = GoalsPanel()
        self.goals_panel.hide()
        chat_row = QHBoxLayout()
        chat_row.addWidget(self.chat, 1)
        chat_row.addWidget(self.goals_panel)
        column.addLayout(chat_row, 1)
        column.addWidget(self.notice)
        column.addLayout(compose_row)

        self.splitter = QSplitter()
        self.splitter.addWidget(sidebar)
        self.splitter.addWidget(main)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 760])
        self.setCentralWidget(self.splitter)
        # In a frame already on screen, a new child waits for a queued show: show it now,
        # so what attach() and launch() set is on screen when the next event comes.
        self.splitter.show()
        self._build_menus()
        self._connect()
        splitter_state = context.settings.window.splitter
        if splitter_state:
            self.splitter.restoreState(QByteArray.fromBase64(splitter_state.encode()))
        self.is_attached = True
        self.update_due_count()
        self._update_busy(False)
        self._update_status()

    # -- wiring -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        from PySide6.QtGui import QKeySequence

        from tutor.domain.exports import ExportFormat

        session_menu = self.session_menu
        self.new_action = self._action(session_menu, "&New session", QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.open_scenario_picker)
        self.system_action = self._action(session_menu, "Show &system message", "Ctrl+I")
        self.system_action.triggered.connect(self.show_system_message)
        self.end_action = self._action(session_menu, "&End session and see report", "Ctrl+E")
        self.end_action.triggered.connect(self.end_session)
        self.report_action = self._action(session_menu, "&Report", "Ctrl+R")
        self.report_action.triggered.connect(lambda: self.show_report())
        export_menu = session_menu.addMenu("E&xport")
        for kind, text in (
            (ExportFormat.MARKDOWN, "This session as &Markdown…"),
            (ExportFormat.CSV, "Its corrections as &CSV…"),
            (ExportFormat.ANKI, "All review cards as an &Anki deck…"),
        ):
            action = self._action(export_menu, text, None)
            action.triggered.connect(lambda _checked=False, k=kind: self.export(k))
        # Enter belongs to the text box (Shift+Enter, input methods): shown here, not bound.
        send_action = self._action(session_menu, "Sen&d message\tEnter", None)
        send_action.triggered.connect(lambda: self._submit(self.composer.toPlainText()))
        self.stop_action = self._action(session_menu, "S&top reply", "Esc")
        self.stop_action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.stop_action.triggered.connect(self.practice.stop)
        session_menu.addSeparator()
        quit_action = self._action(session_menu, "&Quit", "Ctrl+Q")
        quit_action.triggered.connect(self.close)
        edit_menu = self.edit_menu
        self.find_action = self._action(
            edit_menu, "&Find in all sessions…", QKeySequence.StandardKey.Find
        )
        self.find_action.triggered.connect(self.focus_search)
        edit_menu.addSeparator()
        self.settings_action = self._action(edit_menu, "&Settings…", "Ctrl+,")
        self.settings_action.triggered.connect(self.open_settings)
        self._build_corrections_menu()
        help_menu = self.help_menu
        about = self._action(help_menu, "&About Tutor", None)
        about.triggered.connect(self._about)

    def _build_corrections_menu(self) -> None:
        """The correction style, changed at any time; it applies from the next message."""
        from PySide6.QtGui import QActionGroup

        from tutor.domain.corrections import CorrectionScope
        from tutor.ui.setup.corrections_form import EXPLANATIONS_TEXT, SCOPE_TEXT, STRICT_TEXT

        menu = self.corrections_menu
        scopes = QActionGroup(self)
        self.scope_actions: dict[CorrectionScope, QAction] = {}
        for scope in CorrectionScope:
            action = self._action(menu, SCOPE_TEXT[scope], None)
            action.setCheckable(True)
            scopes.addAction(action)
            action.triggered.connect(self._style_chosen)
            self.scope_actions[scope] = action
        menu.addSeparator()
        self.explanations_action = self._action(menu, EXPLANATIONS_TEXT, None)
        self.strict_action = self._action(menu, STRICT_TEXT, None)
        for action in (self.explanations_action, self.strict_action):
            action.setCheckable(True)
            action.triggered.connect(self._style_chosen)
        self._show_style(self.context.settings.corrections)
        menu.addSeparator()
        self.notebook_action = self._action(menu, "Mistakes &notebook…", "Ctrl+Shift+M")
        self.notebook_action.triggered.connect(self.show_notebook)
        self.review_action = self._action(menu, "&Review", "Ctrl+Shift+R")
        self.review_action.triggered.connect(self.show_review)

    def _show_style(self, style: CorrectionStyle) -> None:
        self.scope_actions[style.scope].setChecked(True)
        self.explanations_action.setChecked(style.explanations)
        self.strict_action.setChecked(style.strict)

    def _style_chosen(self) -> None:
        from tutor.domain.corrections import CorrectionStyle

        scope = next(s for s, a in self.scope_actions.items() if a.isChecked())
        style = CorrectionStyle(
            scope, self.explanations_action.isChecked(), self.strict_action.isChecked()
        )
        self._save_style(style)

    def _save_style(self, style: CorrectionStyle) -> None:
        try:
            self.context.save_settings(self.context.settings.with_changes(corrections=style))
        except OSError as error:
            self.notice.say(f"The correction style could not be saved: {error}")
        self._apply_style(self.context.settings.corrections)

    def _apply_style(self, style: CorrectionStyle) -> None:
        self._show_style(style)
        if self.chat.show_explanations != style.explanations:
            self.chat.show_explanations = style.explanations
            self.chat.show_messages(self.practice.messages_to_show())

    def _action(
        self, menu: QMenu, text: str, shortcut: str | QKeySequence.StandardKey | None
    ) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence

        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        from tutor.domain.exports import ExportFormat

        p = self.practice
        p.session_opened.connect(self._session_opened)
        p.message_added.connect(self._message_added)
        p.message_updated.connect(self.chat.update_message)
        p.message_updated.connect(self._message_updated)
        p.message_removed.connect(self.chat.remove_message)
        p.reply_text.connect(self.chat.append_text)
        p.busy_changed.connect(self._update_busy)
        p.problem.connect(lambda message, retry: self.notice.say(message, can_retry=retry))
        p.waiting.connect(lambda message: self.notice.say(message, can_cancel=True))
        p.problem_cleared.connect(self.notice.hide)
        p.goals_changed.connect(self._show_goals)
        p.ended_changed.connect(self._ended_changed)
        self.goals_panel.message_requested.connect(self._show_message)
        self.goals_panel.end_requested.connect(self.end_session)
        self.goals_panel.continue_requested.connect(lambda: p.end_session(False))
        self.notice.retry_clicked.connect(p.retry)
        self.notice.cancel_clicked.connect(p.cancel_wait)
        self.chat.retry_requested.connect(p.retry)
        self.chat.check_requested.connect(p.check_again)
        self.chat.mark_activated.connect(self.show_mark)
        self.chat.word_save_requested.connect(self.save_word)
        self.chat.earlier_requested.connect(lambda: self.chat.show_earlier(p.messages_to_show()))
        self.composer.submitted.connect(self._submit)
        self.composer.stop_requested.connect(p.stop)
        self.composer.notice.connect(self.notice.say)
        self.send_button.clicked.connect(self._send_or_stop)
        self.new_button.clicked.connect(self.open_scenario_picker)
        self.review_button.clicked.connect(self.show_review)
        p.cards_added.connect(lambda _added: self.update_due_count())
        self.system_button.clicked.connect(self.show_system_message)
        h = self.history
        h.session_chosen.connect(self._open_chosen)
        h.hit_chosen.connect(self.open_message)
        h.search_changed.connect(lambda text: h.show_hits(self.context.search.search(text)))
        h.filters_changed.connect(self._refresh_sessions)
        h.rename_requested.connect(self.rename_session)
        h.delete_requested.connect(self.delete_session)
        h.report_requested.connect(self.show_report)
        h.export_requested.connect(lambda sid: self.export(ExportFormat.MARKDOWN, sid))

    # -- actions ------------------------------------------------------------------------

    def new_session(
        self, profile: LearnerProfile | None = None, scenario: Scenario | None = None
    ) -> None:
        if profile is None:
            current = self.practice.session
            profile = self.context.settings.learner or (current.profile if current else None)
        if profile is None or not self.context.has_provider():
            self.open_settings()
            return
        from tutor.domain.scenarios import FREE_CONVERSATION

        self.practice.start_session(profile, scenario or FREE_CONVERSATION)
        self.composer.setFocus()

    def open_scenario_picker(self) -> None:
        """Choose what to practise next: a scenario, free conversation, or a surprise."""
        current = self.practice.session
        profile = self.context.settings.learner or (current.profile if current else None)
        if profile is None or not self.context.has_provider():
            self.open_settings()
            return
        from tutor.ui.scenarios.scenario_picker import ScenarioPicker

        picker = ScenarioPicker(self.context, profile, self)
        picker.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.scenario_chosen.connect(lambda scenario: self.new_session(profile, scenario))
        self.scenario_picker = picker
        picker.open()

    def open_session(self, session_id: int) -> None:
        self.practice.open_session(session_id)
        self.composer.setFocus()

    def open_settings(self) -> None:
        from tutor.ui.setup.setup_dialogs import SettingsDialog

        dialog = SettingsDialog(self.context, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._settings_saved(dialog.key_message))
        self.settings_dialog = dialog
        dialog.open()

    def _settings_saved(self, key_message: str | None) -> None:
        from PySide6.QtWidgets import QApplication

        from tutor.ui.shell.style import apply_style

        if key_message:
            self.notice.say(key_message)
        self._apply_style(self.context.settings.corrections)
        appearance = self.context.settings.appearance
        app = QApplication.instance()
        if appearance != self._appearance and isinstance(app, QApplication):
            self._appearance = appearance
            apply_style(app, appearance)
            if not self.practice.is_busy:
                # Text already shown keeps the colours it was drawn with: draw it again.
                self.chat.show_messages(self.practice.messages_to_show())
        self._update_status()
        if self.practice.session is None and self.context.settings.learner is not None:
            self.new_session()

    def focus_search(self) -> None:
        """Ctrl+F: the sidebar's search box, its text selected so typing replaces it."""
        if self.splitter.sizes()[0] == 0:  # the sidebar was dragged shut
            self.splitter.setSizes([240, max(1, self.splitter.width() - 240)])
        self.history.search.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.history.search.selectAll()

    def show_system_message(self) -> None:
        if self.practice.session is None:
            return
        from tutor.ui.chat.system_message_dialog import SystemMessageDialog

        dialog = SystemMessageDialog(self.practice.session, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.system_dialog = dialog
        dialog.open()

    def show_mark(self, message_id: int, position: int, where: QPoint) -> None:
        """Open the card that explains a mark and lets the learner disagree with it."""
        message = next((m for m in self.practice.messages if m.id == message_id), None)
        correction = message.correction if message is not None else None
        if message is None or correction is None or position >= len(correction.marks):
            return
        if self.mark_card is not None:
            self.mark_card.close()
        from tutor.ui.chat.mark_card import MarkCard

        card = MarkCard(
            message_id,
            position,
            correction.marks[position],
            message.text,
            show_explanation=self.context.settings.corrections.explanations,
            parent=self,
        )
        card.dismissed_changed.connect(self.practice.set_dismissed)
        card.destroyed.connect(lambda: setattr(self, "mark_card", None))
        self.mark_card = card
        card.show_at(where)

    def say(self, message: str) -> None:
        self.notice.say(message)

    def _submit(self, text: str) -> None:
        if self.practice.send(text):
            self.composer.clear()

    def _send_or_stop(self) -> None:
        if self.practice.is_busy:
            self.practice.stop()
        else:
            self._submit(self.composer.toPlainText())
        self.composer.setFocus()

    def end_session(self) -> None:
        """End the open session and offer its report."""
        if self.practice.session is None:
            return
        self.practice.end_session(True)
        self.show_report()

    def show_report(self, session_id: int | None = None) -> None:
        """The report of a session (the open one by default), made now if it has none."""
        current = self.practice.session
        if session_id is None or (current is not None and current.id == session_id):
            if current is None:
                return
            session, messages = current, self.practice.messages
        else:
            session = self.context.sessions.session(session_id)
            messages = self.context.sessions.messages(
                session_id, self.context.corrections.for_session(session_id)
            )
        from tutor.ui.review.report_dialog import ReportDialog

        dialog = ReportDialog(self.context, session, messages, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.message_requested.connect(self.open_message)
        self.report_dialog = dialog
        dialog.open()

    def export(self, kind: ExportFormat, session_id: int | None = None) -> None:
        from tutor.domain.exports import ExportFormat
        from tutor.ui.history.export_actions import ask_and_export

        current = self.practice.session
        if session_id is None and current is None and kind is not ExportFormat.ANKI:
            self.notice.say("Open a session to export it.")
            return
        target = session_id if session_id is not None else (current.id if current else 0)
        outcome = ask_and_export(self, self.context, target, kind)
        if outcome:
            self.notice.say(outcome)

    def save_word(self, word: str) -> None:
        """Ask what the selected word or phrase means, then keep it as a review card."""
        session = self.practice.session
        if session is None:
            return
        from PySide6.QtWidgets import QInputDialog

        dialog = QInputDialog(self)
        dialog.setWindowTitle("Save to review")
        dialog.setLabelText(f"“{word}”: what does it mean? (your own words)")
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        language = session.target_language
        dialog.textValueSelected.connect(lambda meaning: self._word_saved(language, word, meaning))
        self.word_dialog = dialog
        dialog.open()

    def _word_saved(self, language: str, word: str, meaning: str) -> None:
        if not meaning.strip():
            self.notice.say("Not saved: a card needs the meaning on its back.")
            return
        self.context.review.add_word(language, word, meaning.strip())
        self.update_due_count()
        self.notice.say(f"Saved “{word}” to review.")

    def show_review(self) -> None:
        from tutor.ui.review.review_window import ReviewWindow

        window = ReviewWindow(self.context, self)
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        window.due_count_changed.connect(self._show_due_count)
        window.finished.connect(lambda _code: self.update_due_count())
        self.review_window = window
        window.open()

    def update_due_count(self) -> None:
        from tutor.domain.conversation import utc_now

        self._show_due_count(self.context.review.due_count(utc_now()))

    def _show_due_count(self, due: int) -> None:
        self.review_button.setText(f"Review ({due})" if due else "Review")
        self.review_button.setToolTip(
            f"{due} card{'s' if due != 1 else ''} to review (Ctrl+Shift+R)"
            if due
            else "Nothing due: your corrections become cards to review (Ctrl+Shift+R)"
        )
        self.review_action.setText(f"&Review ({due})" if due else "&Review")

    def show_notebook(self) -> None:
        """Every mistake across sessions; not modal, so the learner can jump to several."""
        if self.notebook_window is not None and shiboken6.isValid(self.notebook_window):
            self.notebook_window.refresh()
            self.notebook_window.raise_()
            return
        from tutor.ui.review.notebook_window import NotebookWindow

        window = NotebookWindow(self.context, self)
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        window.message_requested.connect(self.open_message)
        self.notebook_window = window
        window.show()

    def open_message(self, session_id: int, message_id: int) -> None:
        """Open a session at one of its messages (a search hit, a goal, a notebook entry)."""
        self._open_chosen(session_id)
        self._show_message(message_id)

    def rename_session(self, session_id: int) -> None:
        session = self.context.sessions.session(session_id)
        from PySide6.QtWidgets import QInputDialog

        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename session")
        dialog.setLabelText("Name (leave empty for the language, level and scenario):")
        dialog.setTextValue(session.custom_title or "")
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda text: self._renamed(session_id, text))
        self.rename_dialog = dialog
        dialog.open()

    def _renamed(self, session_id: int, title: str) -> None:
        renamed = self.context.sessions.rename(session_id, title)
        if self.practice.session is not None and self.practice.session.id == session_id:
            self.practice.session_renamed(renamed)
            self.setWindowTitle(f"Tutor · {renamed.title}")
        self._refresh_sessions()

    def delete_session(self, session_id: int) -> None:
        """Delete at once, with Undo until Tutor closes."""
        session = self.context.sessions.session(session_id)
        self.context.sessions.delete_session(session_id)
        current = self.practice.session
        if current is not None and current.id == session_id:
            self._show_no_session()
        self._refresh_sessions()
        self.notice.say(f"Deleted “{session.title}”.", undo=lambda: self._undelete(session_id))

    def _undelete(self, session_id: int) -> None:
        self.context.sessions.restore_session(session_id)
        if self.practice.session is None:
            self.open_session(session_id)
        self._refresh_sessions()

    def _show_no_session(self) -> None:
        self.practice.close_session()
        self.chat.show_messages([])
        self.goals_panel.hide()
        self.session_title.setText("No session")
        self.setWindowTitle("Tutor")
        self._update_busy(False)

    def _open_chosen(self, session_id: int) -> None:
        current = self.practice.session
        if current is None or current.id != session_id:
            self.open_session(session_id)

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About Tutor",
            f"Tutor {__version__}\nA conversation partner for language learners.\n\n"
            f"Data: {self.context.paths.data_dir}",
        )

    # -- what the controller reports -----------------------------------------------------

    def _session_opened(self, session: PracticeSession, messages: list[ChatMessage]) -> None:
        from tutor.domain.languages import language
        from tutor.ui.widgets.bidi import LRM

        target = language(session.target_language)
        self.chat.set_right_to_left(target.right_to_left)
        self.chat.show_messages(messages)
        self.session_title.setText(
            f"{LRM}{target.native_name} · {session.level.value} · {session.scenario_title}"
        )
        self.setWindowTitle(f"Tutor · {session.title}")
        self.goals_panel.new_session()
        self.goals_panel.set_ended(session.has_ended)
        self._show_goals(self.practice.goals_met())
        self._update_busy(self.practice.is_busy)
        self._refresh_sessions()
        self._update_status()

    def _goal_texts(self, session: PracticeSession) -> tuple[str, ...]:
        """The session's goals in the learner's language, if the scenario has them so."""
        scenario = self.context.scenarios.find(session.scenario_id)
        if scenario is not None and scenario.version == session.scenario_version:
            translated = scenario.text_in(session.native_language).goals
            if len(translated) == len(session.goals):
                return translated
        return session.goals

    def _show_goals(self, met: dict[int, int | None]) -> None:
        session = self.practice.session
        self.goals_panel.show_goals(self._goal_texts(session) if session else (), met)

    def _ended_changed(self, ended: bool) -> None:
        self.goals_panel.set_ended(ended)
        self._update_busy(self.practice.is_busy)
        if not ended:
            self.composer.setFocus()

    def _show_message(self, message_id: int) -> None:
        """Bring a message into view, drawing earlier pages only as far back as it is."""
        messages: list[ChatMessage] | None = None
        while not self.chat.scroll_to_message(message_id) and self.chat.has_earlier:
            messages = messages or self.practice.messages_to_show()
            self.chat.show_earlier(messages)

    def _message_added(self, message: ChatMessage) -> None:
        self.chat.append_message(message)

    def _message_updated(self, message: ChatMessage) -> None:
        if message.usage is not None:
            self.statusBar().showMessage(
                f"{self._server_label()} · last reply: {message.usage.prompt_tokens} + "
                f"{message.usage.completion_tokens} tokens"
            )
        self._refresh_sessions()

    def _update_busy(self, busy: bool) -> None:
        self.send_button.setText("Stop" if busy else "Send")
        self.send_button.setAccessibleName("Stop the reply" if busy else "Send")
        self.send_button.setToolTip("Stop the reply (Esc)" if busy else "Send (Enter)")
        self.stop_action.setEnabled(busy)
        has_session = self.practice.session is not None
        self.system_button.setEnabled(has_session)
        self.system_action.setEnabled(has_session)
        self.report_action.setEnabled(has_session)
        session = self.practice.session
        ended = session is not None and session.has_ended
        self.composer.setEnabled(has_session and not ended)
        self.end_action.setEnabled(has_session and not ended)
        if ended:
            self.composer.setPlaceholderText(
                "This session has ended. Continue it, or start a new one (Ctrl+N)."
            )
        elif session is not None:
            from tutor.domain.languages import language

            target = language(session.target_language).english_name
            self.composer.setPlaceholderText(
                f"Write in {target}… (Enter sends, Shift+Enter adds a line)"
            )

    def _refresh_sessions(self) -> None:
        current = self.practice.session
        store = self.context.sessions
        self.history.set_filter_choices(*store.languages_and_scenarios())
        sessions = store.sessions(
            language=self.history.chosen_language(), scenario_id=self.history.chosen_scenario()
        )
        self.history.show_sessions(sessions, current.id if current else None)

    def _server_label(self) -> str:
        address = self.context.server_address()
        if address is None:
            return "No model server set up: Edit → Settings"
        base_url, model = address
        return f"{model} at {base_url}"

    def _update_status(self) -> None:
        self.statusBar().showMessage(self._server_label())

    # -- window state ---------------------------------------------------------------------

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
        # Dialogs waiting on the network go too, so no late answer reaches a closed store.
        for dialog in (self.report_dialog, self.settings_dialog, self.review_window):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.close()
        settings = self.context.settings.with_changes(window=self.window_state())
        try:
            self.context.save_settings(settings)
        except OSError as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Tutor", f"Your window layout could not be saved: {error}")
        super().closeEvent(event)
