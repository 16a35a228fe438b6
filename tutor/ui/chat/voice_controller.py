"""Listening in the conversation: "▶ Listen" on every partner message ("■ Stop" while it
is heard), replies read aloud sentence by sentence as they stream in (a setting, a menu
item and a toggle by the composer, with the speed a click away), the sentence heard
highlighted, the last reply again with Ctrl+Shift+L, and Esc that silences speech first.

The voices themselves are the voice feature's (tutor/ui/voice/speaker.py); the shell
hands this controller a way to make the window's Speaker, made at first use, so the
audio modules load only when the learner listens, never at start. What goes wrong is
said on the notice bar; the text practice is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, SignalInstance
from PySide6.QtGui import QAction, QActionGroup, QColor, QTextCharFormat
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.domain.voice_settings import SPEED_STEPS
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.message_decorations import MessageAction, MessageNote
from tutor.ui.chat.practice import PracticeController
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.window_escape import take_window_escape

ACTION = "play"
LAYER = "speaking"
REPLAY_SHORTCUT = "Ctrl+Shift+L"
READ_ALOUD_SHORTCUT = "Ctrl+Shift+A"
WORDS_ID = -1
"""The "message" of words said that are no message (cached under it, in the session)."""


class SpeakerLike(Protocol):
    """What this controller asks of tutor.ui.voice.speaker.Speaker."""

    sentence_started: SignalInstance
    speaking_changed: SignalInstance
    problem: SignalInstance
    idle: SignalInstance
    """Nothing left to say (talk mode then listens again: tutor/ui/voice/talk_mode.py)."""

    @property
    def is_speaking(self) -> bool: ...
    @property
    def message_id(self) -> int | None: ...
    def speak_message(self, message: ChatMessage, language_code: str) -> None: ...
    def start_stream(self, message_id: int, language_code: str, session_id: int = 0) -> None: ...
    def feed_stream(self, message_id: int, text_so_far: str) -> None: ...
    def end_stream(self, message_id: int) -> None: ...
    def stop(self) -> None: ...
    def remember(self, message: ChatMessage, language_code: str) -> None: ...


def speaking_format() -> QTextCharFormat:
    """The sentence being heard: a soft yellow behind it, readable in light and dark."""
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(255, 214, 0, 90))
    return fmt


class VoiceController(QObject):
    """The play links (a MessageDecorator), read aloud, replay and Esc for one window."""

    def __init__(
        self,
        context: AppContext,
        practice: PracticeController,
        view: ChatView,
        make_speaker: Callable[[QObject], SpeakerLike],
        say_problem: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._practice = practice
        self._view = view
        self._make_speaker = make_speaker
        self._say_problem = say_problem
        self._speaker: SpeakerLike | None = None
        self._streaming: dict[int, str] = {}  # message id -> text so far, while read aloud
        self._playing: int | None = None  # the message whose link says "■ Stop"
        self._format = speaking_format()

        self.read_aloud_action = QAction(_("Read replies &aloud"), parent)
        self.read_aloud_action.setCheckable(True)
        self.read_aloud_action.setShortcut(READ_ALOUD_SHORTCUT)
        self.read_aloud_action.setChecked(context.settings.voice.read_aloud)
        self.read_aloud_action.toggled.connect(self._read_aloud_toggled)
        self.replay_action = QAction(_("&Listen to the last reply"), parent)
        self.replay_action.setShortcut(REPLAY_SHORTCUT)
        self.replay_action.triggered.connect(self.replay_last)
        self.speed_menu = QMenu(_("Speech &speed"), parent)
        self.speed_menu.aboutToShow.connect(self._show_speeds)
        self._speeds = QActionGroup(self)
        for step in SPEED_STEPS:
            # Translators: a playback speed, "0.75×" (× is the multiplication sign).
            action = self.speed_menu.addAction(_("{speed}×").format(speed=format_number(step)))
            action.setCheckable(True)
            action.setData(step)
            self._speeds.addAction(action)
        self._speeds.triggered.connect(self._speed_chosen)
        self.toggle = QToolButton()
        self.toggle.setDefaultAction(self.read_aloud_action)
        self.toggle.setText(_("Read aloud"))
        self.toggle.setToolTip(
            _("Read each reply aloud as it arrives ({shortcut}); the arrow sets the speed").format(
                shortcut=READ_ALOUD_SHORTCUT
            )
        )
        self.toggle.setAccessibleName(_("Read replies aloud"))
        self.toggle.setMenu(self.speed_menu)
        self.toggle.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)

        view.add_decorator(self)
        view.action_requested.connect(self._action)
        practice.message_added.connect(self._message_added)
        practice.reply_text.connect(self._reply_text)
        practice.reply_restarted.connect(self._reply_restarted)
        practice.message_updated.connect(self._message_updated)
        practice.session_opened.connect(lambda *_args: self.stop())
        context.relay.changed.connect(lambda _changes: self._follow_settings())

    def menu_actions(self) -> list[QAction]:
        """The listening commands for a menu of the window (the Session menu)."""
        return [self.read_aloud_action, self.replay_action, self.speed_menu.menuAction()]

    # ---- MessageDecorator

    def actions(self, message: ChatMessage) -> Sequence[MessageAction]:
        if not _can_play(message):
            return ()
        if message.id == self._playing:
            return (MessageAction(ACTION, _("■ Stop"), _("Stop speaking (Esc)")),)
        return (MessageAction(ACTION, _("▶ Listen"), _("Hear this message")),)

    def notes(self, message: ChatMessage) -> Sequence[MessageNote]:
        return ()

    # ---- what the learner does

    @property
    def is_speaking(self) -> bool:
        return self._speaker is not None and self._speaker.is_speaking

    @property
    def speaker(self) -> SpeakerLike:
        if self._speaker is None:
            speaker = self._make_speaker(self)
            speaker.sentence_started.connect(self._sentence_started)
            speaker.speaking_changed.connect(self._speaking_changed)
            speaker.problem.connect(self._problem)
            self._speaker = speaker
        return self._speaker

    def play(self, message_id: int) -> None:
        """The message's play link: say it (as shown), or stop it when it is heard."""
        if message_id == self._playing and self.is_speaking:
            self.stop()
            return
        message = self._view.shown_message(message_id)
        language = self._language()
        if message is None or language is None or not message.text.strip():
            return
        self._streaming.clear()
        self.speaker.speak_message(message, language)

    def say(self, text: str, language_code: str) -> None:
        """Say a word or an example sentence that is no message (a look-up card's ▶)."""
        if not text.strip():
            return
        session = self._practice.session
        words = ChatMessage(
            WORDS_ID, session.id if session else 0, Role.ASSISTANT, text, datetime.now(UTC)
        )
        self._streaming.clear()
        self.speaker.speak_message(words, language_code)

    def replay_last(self) -> None:
        """The last complete partner reply, again."""
        reply = next(
            (m for m in reversed(self._practice.messages) if _can_play(m)),
            None,
        )
        if reply is None:
            self._say_problem(_("There is no reply to listen to yet."))
            return
        self.play(reply.id) if reply.id != self._playing else self._restart(reply.id)

    def stop(self) -> None:
        self._streaming.clear()
        if self._speaker is not None:
            self._speaker.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Esc in the window silences speech first; the next Esc stops the reply."""
        if not self.is_speaking:
            return False
        pressed = take_window_escape(watched, event, self._view.window())
        if pressed:
            self.stop()
        return pressed is not None

    # ---- the reply as it streams

    def _message_added(self, message: ChatMessage) -> None:
        language = self._language()
        if (
            message.role is Role.ASSISTANT
            and message.state is MessageState.STREAMING
            and (self._context.settings.voice.read_aloud or self._context.settings.voice.talk_mode)
            and language is not None
        ):
            self._streaming[message.id] = message.text
            self.speaker.start_stream(message.id, language, message.session_id)
            if message.text:
                self.speaker.feed_stream(message.id, message.text)

    def _reply_text(self, message_id: int, piece: str) -> None:
        if message_id in self._streaming:
            text = self._streaming[message_id] + piece
            self._streaming[message_id] = text
            self.speaker.feed_stream(message_id, text)

    def _reply_restarted(self, message_id: int) -> None:
        if message_id in self._streaming:
            self._streaming[message_id] = ""
            self.speaker.feed_stream(message_id, "")

    def _message_updated(self, message: ChatMessage) -> None:
        if message.id not in self._streaming or message.state is MessageState.STREAMING:
            return
        del self._streaming[message.id]
        if message.state is MessageState.COMPLETE:
            self.speaker.end_stream(message.id)
        else:  # stopped, failed or cut: what was not yet said is not said
            self.speaker.stop()

    # ---- what the speaker says

    def _sentence_started(self, message_id: int, start: int, end: int) -> None:
        if message_id == WORDS_ID:
            return
        self._show_playing(message_id)  # redrawn first: a redraw moves what follows it
        self._view.set_highlights(LAYER, [(message_id, start, end)], self._format)

    def _speaking_changed(self, speaking: bool) -> None:
        # Esc anywhere in the window (the composer, the conversation, the sidebar) comes
        # here first while speech is heard: the application's filter, only for as long.
        app = QCoreApplication.instance()
        if speaking and app is not None:
            app.installEventFilter(self)
        elif app is not None:
            app.removeEventFilter(self)
        if not speaking:
            self._view.set_highlights(LAYER, [], self._format)
            self._show_playing(None)

    def _problem(self, words: str) -> None:
        self._say_problem(words)

    def _show_playing(self, message_id: int | None) -> None:
        if message_id == self._playing:
            return
        before, self._playing = self._playing, message_id
        for changed in (before, message_id):
            if changed is not None:
                self._view.redraw_message(changed)

    def _restart(self, message_id: int) -> None:
        self.stop()
        self.play(message_id)

    # ---- settings

    def _read_aloud_toggled(self, on: bool) -> None:
        from tutor.services.voice import set_read_aloud

        if on == self._context.settings.voice.read_aloud:
            return
        try:
            set_read_aloud(self._context, on)
        except OSError as error:
            self._say_problem(
                _("The setting could not be saved ({reason}).").format(
                    reason=error.strerror or error
                )
            )
        if not on and self._streaming:  # a reply being read aloud is read no further
            self.stop()

    def _follow_settings(self) -> None:
        on = self._context.settings.voice.read_aloud
        if self.read_aloud_action.isChecked() != on:
            self.read_aloud_action.setChecked(on)

    def _show_speeds(self) -> None:
        language = self._language()
        speed = self._context.settings.voice.voice_for(language or "").speed
        for action in self._speeds.actions():
            action.setEnabled(language is not None)
            action.setChecked(action.data() == speed)

    def _speed_chosen(self, action: QAction) -> None:
        from tutor.services.voice import set_speed

        language = self._language()
        if language is None:
            return
        try:
            set_speed(self._context, language, float(action.data()))
        except OSError as error:
            self._say_problem(
                _("The setting could not be saved ({reason}).").format(
                    reason=error.strerror or error
                )
            )

    def _language(self) -> str | None:
        session = self._practice.session
        return session.target_language if session is not None else None

    def _action(self, name: str, message_id: int) -> None:
        if name == ACTION:
            self.play(message_id)


def _can_play(message: ChatMessage) -> bool:
    return (
        message.role is Role.ASSISTANT
        and message.state is not MessageState.STREAMING
        and bool(message.text.strip())
    )
