"""The right side of the main window: the open session's title, the conversation, its
goals, the notice bar and the composer, kept in step with the practice controller
(tutor/ui/chat/practice.py). The window around it (tutor/ui/shell/main_window.py)
holds the sidebar, the menus and the dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tutor.domain.conversation import ChatMessage
from tutor.domain.goals import goal_texts, scenario_heading
from tutor.domain.languages import language
from tutor.domain.session import PracticeSession
from tutor.i18n.formats import language_name
from tutor.i18n.translate import _
from tutor.services.changes import Change, Changes
from tutor.ui.assist.assist import Assist
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.composer import Composer
from tutor.ui.chat.goals_panel import GoalsPanel
from tutor.ui.chat.level_fit_view import LevelFitView
from tutor.ui.chat.practice import PracticeController
from tutor.ui.chat.reading_controls import ReadingAidControls
from tutor.ui.chat.simpler import SimplerWording
from tutor.ui.chat.voice_controller import SpeakerLike, VoiceController
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.memory_parts import MemoryParts
from tutor.ui.shell.menus import Menus
from tutor.ui.shell.notice_bar import NoticeBar
from tutor.ui.shell.speaking_parts import SpeakingParts
from tutor.ui.widgets.bidi import interface_mark

if TYPE_CHECKING:
    from tutor.ui.help.word_help import WordHelp


def _window_speaker(context: AppContext) -> Callable[[QObject], SpeakerLike]:
    """The window's Speaker, made at first use: the audio modules load then, not at start."""

    def make(parent: QObject) -> SpeakerLike:
        from tutor.ui.voice.speaker import window_speaker

        return window_speaker(context, parent)

    return make


class ConversationPane(QWidget):
    session_shown = Signal(object)  # PracticeSession | None: the one now open, or none
    reply_counted = Signal(object)  # ChatMessage: a reply with the tokens it used

    def __init__(self, context: AppContext, practice: PracticeController, menus: Menus) -> None:
        super().__init__()
        self._context = context
        self._practice = practice
        self._menus = menus
        self.session_title = QLabel(_("No session"))
        self.session_title.setObjectName("sessionTitle")
        self.system_button = QPushButton(_("System message"))
        self.system_button.setAccessibleName(_("Show the system message"))
        self.chat = ChatView()
        self.chat.show_explanations = context.settings.corrections.explanations
        self.notice = NoticeBar()
        self.composer = Composer()
        self.send_button = QPushButton(_("Send"))
        self.send_button.setAccessibleName(_("Send"))
        self.send_button.setDefault(True)
        # "Say it more simply" on every reply (tutor/ui/chat/simpler.py).
        self.simpler = SimplerWording(context, practice, self.chat, self)
        self.goals_panel = GoalsPanel()
        self.goals_panel.hide()

        self.reading_aids = ReadingAidControls(context, practice, self.chat, menus.reading_action)
        header = QHBoxLayout()
        header.addWidget(self.session_title, 1)
        header.addWidget(self.reading_aids.toggle)
        header.addWidget(self.system_button)
        # "How do I say…?" and Hint (tutor/ui/assist): buttons by the composer, answers above.
        self.assist = Assist(context, practice, self.composer, self)
        # Listening: ▶ Listen, read aloud, Ctrl+L, Esc (tutor/ui/chat/voice_controller.py).
        self.voice = VoiceController(
            context, practice, self.chat, _window_speaker(context), self.notice.say, self
        )
        menus.session_menu.insertActions(menus.stop_action, self.voice.menu_actions())
        # Speaking: the microphone and talk mode beside the composer, the recording's
        # strip above it, its menu items, and what a spoken message shows. Talk mode
        # listens again once the listening half's speaker falls idle.
        self.speaking = SpeakingParts(
            self, context, practice, self.chat, self.composer, menus.voice_menu
        )
        self.speaking.speaker_source = lambda: self.voice.speaker
        compose_row = QHBoxLayout()
        compose_row.addWidget(self.composer, 1)
        compose_row.addWidget(self.voice.toggle, 0, QtCore.Qt.AlignmentFlag.AlignBottom)
        compose_row.addWidget(self.assist.buttons, 0, QtCore.Qt.AlignmentFlag.AlignBottom)
        compose_row.addLayout(self.speaking.controls)
        compose_row.addWidget(self.send_button, 0, QtCore.Qt.AlignmentFlag.AlignBottom)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 8, 8)
        column.addLayout(header)
        chat_row = QHBoxLayout()
        chat_row.addWidget(self.chat, 1)
        chat_row.addWidget(self.goals_panel)
        column.addLayout(chat_row, 1)
        column.addWidget(self.notice)
        column.addWidget(self.assist.panel)
        column.addWidget(self.speaking.strip)
        column.addLayout(compose_row)
        self._connect()
        toggle = menus.level_fit_action
        self.level_fit = LevelFitView(context, practice, self.chat, toggle, self.notice.say)
        self.word_help = self._word_help()
        # The facts the learner shared: read after a session, shown in their own window.
        self.memory = MemoryParts(self, context, practice, menus)

    def _word_help(self) -> WordHelp:
        """Translate and look up the partner's words (tutor/ui/help); its commands in
        the Edit menu; its ▶ speaks through the listening controller."""
        from tutor.ui.help.word_help import WordHelp

        practice = self._practice
        return WordHelp(
            self,
            self._context,
            self.chat,
            self._menus.edit_menu,
            open_session=lambda: practice.session,
            messages=lambda: practice.messages,
            tell=self.notice.say,
            say=self.voice.say,
        )

    def _connect(self) -> None:
        p = self._practice
        p.session_opened.connect(self._session_opened)
        p.message_added.connect(self.chat.append_message)
        p.message_updated.connect(self.chat.update_message)
        p.message_updated.connect(self._message_updated)
        p.message_removed.connect(self.chat.remove_message)
        p.reply_text.connect(self.chat.append_text)
        p.reply_thinking.connect(self.chat.show_thinking)
        p.reply_restarted.connect(self.chat.restart_stream)
        p.busy_changed.connect(self.update_busy)
        p.problem.connect(lambda message, retry: self.notice.say(message, can_retry=retry))
        p.waiting.connect(lambda message: self.notice.say(message, can_cancel=True))
        p.problem_cleared.connect(self.notice.hide)
        self._context.relay.changed.connect(self._changed)
        p.ended_changed.connect(self._ended_changed)
        self.goals_panel.message_requested.connect(self.show_message)
        self.goals_panel.continue_requested.connect(lambda: p.end_session(False))
        self.notice.retry_clicked.connect(p.retry)
        self.notice.cancel_clicked.connect(p.cancel_wait)
        self.chat.retry_requested.connect(p.retry)
        self.chat.check_requested.connect(p.check_again)
        self.chat.earlier_requested.connect(lambda: self.chat.show_earlier(p.messages_to_show()))
        self.composer.submitted.connect(self.submit)
        self.composer.stop_requested.connect(p.stop)
        self.composer.stop_requested.connect(self.assist.escape)
        self.composer.textChanged.connect(self._show_send_or_stop)
        self.composer.notice.connect(self.notice.say)
        self.session_shown.connect(self.reading_aids.show_session)
        self.reading_aids.problem.connect(self.notice.say)
        self.send_button.clicked.connect(self.send_or_stop)

    # -- what the learner does here --------------------------------------------------------

    def submit(self, text: str) -> None:
        if self.assist.asked_how_to_say(text):  # "? I'd like the bill": never a turn
            return
        if self._practice.send(text, spoken=self.speaking.controller.holds_transcript):
            self.composer.clear()

    def send_or_stop(self) -> None:
        """The button does what Enter would: send (stopping a reply that streams), or,
        with nothing typed while a reply streams, stop it."""
        if self._stops():
            self._practice.stop()
        else:
            self.submit(self.composer.toPlainText())
        self.composer.setFocus()

    def _stops(self) -> bool:
        """The button stops the reply: one streams and nothing is typed to send instead."""
        return self._practice.is_busy and not self.composer.toPlainText().strip()

    def show_message(self, message_id: int) -> None:
        """Bring a message into view, drawing earlier pages only as far back as it is."""
        messages: list[ChatMessage] | None = None
        while not self.chat.scroll_to_message(message_id) and self.chat.has_earlier:
            messages = messages or self._practice.messages_to_show()
            self.chat.show_earlier(messages)

    def show_no_session(self) -> None:
        self._practice.close_session()
        self.chat.show_messages([])
        self.goals_panel.hide()
        self.session_title.setText(_("No session"))
        self.session_shown.emit(None)
        self.update_busy(False)

    def show_explanations(self, shown: bool) -> None:
        if self.chat.show_explanations != shown:
            self.chat.show_explanations = shown
            self.chat.show_messages(self._practice.messages_to_show())

    def redraw(self) -> None:
        """Draw the conversation again (text already shown keeps the colours it was drawn
        with), unless a reply is arriving."""
        if not self._practice.is_busy:
            self.chat.show_messages(self._practice.messages_to_show())

    # -- what the controller reports -----------------------------------------------------

    def _session_opened(self, session: PracticeSession, messages: list[ChatMessage]) -> None:
        target = language(session.target_language)
        self.chat.set_right_to_left(target.right_to_left)
        self.chat.show_messages(messages)
        scenario = self._context.scenarios.find(session.scenario_id)
        self.session_title.setText(
            interface_mark() + scenario_heading(session, target.native_name, scenario)
        )
        self.goals_panel.new_session()
        self.goals_panel.set_ended(session.has_ended)
        self._show_goals(self._practice.goals_met())
        self.update_busy(self._practice.is_busy)
        self.session_shown.emit(session)

    def _show_goals(self, met: dict[int, int | None]) -> None:
        session = self._practice.session
        if session is None:
            self.goals_panel.show_goals((), met)
            return
        scenario = self._context.scenarios.find(session.scenario_id)
        self.goals_panel.show_goals(goal_texts(session, scenario), met)

    def _changed(self, changes: Changes) -> None:
        """The goals panel follows the hub: a check that met a goal says GOALS."""
        session = self._practice.session
        if changes.touches(Change.GOALS) and session and changes.session_id == session.id:
            self._show_goals(self._practice.goals_met())

    def _ended_changed(self, ended: bool) -> None:
        self.goals_panel.set_ended(ended)
        self.update_busy(self._practice.is_busy)
        if not ended:
            self.composer.setFocus()

    def _message_updated(self, message: ChatMessage) -> None:
        if message.usage is not None:
            self.reply_counted.emit(message)

    def _show_send_or_stop(self) -> None:
        stops, busy = self._stops(), self._practice.is_busy
        self.send_button.setText(_("Stop") if stops else _("Send"))
        if stops:
            name, tip = _("Stop the reply"), _("Stop the reply (Esc)")
        elif busy:
            name = _("Stop the reply and send")
            tip = _("Stop the reply and send your message (Enter)")
        else:
            name, tip = _("Send"), _("Send (Enter)")
        self.send_button.setAccessibleName(name)
        self.send_button.setToolTip(tip)

    def update_busy(self, busy: bool) -> None:
        self._show_send_or_stop()
        menus = self._menus
        menus.stop_action.setEnabled(busy)
        session = self._practice.session
        has_session = session is not None
        self.system_button.setEnabled(has_session)
        menus.system_action.setEnabled(has_session)
        menus.report_action.setEnabled(has_session)
        ended = session is not None and session.has_ended
        self.composer.setEnabled(has_session and not ended)
        menus.end_action.setEnabled(has_session and not ended)
        if ended:
            self.composer.setPlaceholderText(
                _("This session has ended. Continue it, or start a new one (Ctrl+N).")
            )
        elif session is not None:
            # Translators: {language} is the language practised, named in yours.
            words = _("Write in {language}… (Enter sends, Shift+Enter adds a line)")
            target = language_name(session.target_language)
            self.composer.setPlaceholderText(words.format(language=target))
