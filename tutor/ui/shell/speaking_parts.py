"""Speaking, put together in the window: the speaking controller (tutor/ui/voice), the
recordings kept with the learner's messages, talk mode, their menu items, and what a
spoken message shows in the conversation (a MessageDecorator: "🎤 spoken", "▶ My
recording", "Delete recording").

Here in the shell because it joins two features: the chat's decoration API
(tutor/ui/chat/message_decorations.py) and the voice's controllers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.session import PracticeSession
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext
from tutor.ui.chat.message_decorations import MessageAction, MessageNote
from tutor.ui.shell.context import AppContext
from tutor.ui.voice.mic_widgets import TalkModeSwitch
from tutor.ui.voice.recordings import RecordingLibrary
from tutor.ui.voice.speaking import SpeakingController
from tutor.ui.voice.talk_mode import SpeakerSignals, TalkMode

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from tutor.ui.chat.chat_view import ChatView
    from tutor.ui.chat.composer import Composer
    from tutor.ui.chat.practice import PracticeController

log = logging.getLogger(__name__)

PLAY, DELETE = "my-recording", "delete-recording"


class SpokenDecorator:
    """What a learner's message shows of its voice."""

    def __init__(self, library: RecordingLibrary) -> None:
        self._library = library

    def actions(self, message: ChatMessage) -> Sequence[MessageAction]:
        if message.role is not Role.USER:
            return ()
        found: list[MessageAction] = []
        if message.spoken:
            found.append(
                MessageAction(
                    "spoken",
                    _("🎤 spoken"),
                    _("You said this message aloud; this is what Tutor heard."),
                    link=False,
                )
            )
        if self._library.has(message):
            if self._library.is_playing(message.id):
                found.append(MessageAction(PLAY, _("■ Stop"), _("Stop your recording")))
            else:
                found.append(MessageAction(PLAY, _("▶ My recording"), _("Hear how you said it")))
            found.append(MessageAction(DELETE, _("Delete recording"), _("Delete this recording")))
        return found

    def notes(self, message: ChatMessage) -> Sequence[MessageNote]:
        return ()


class SpeakingParts(QObject):
    def __init__(
        self,
        pane: QWidget,
        context: AppContext,
        practice: PracticeController,
        chat: ChatView,
        composer: Composer,
        voice_menu: QMenu,
    ) -> None:
        super().__init__(pane)
        self._context = context
        self._practice = practice
        self._chat = chat
        self._pane = pane
        self.controller = SpeakingController(context, practice, composer, pane)
        self.strip = self.controller.strip
        self.mic_button = self.controller.button
        self.library = RecordingLibrary(context, self)
        self.talk = TalkMode(self)
        self.talk_switch = TalkModeSwitch()
        self.controls = QVBoxLayout()
        self.controls.setSpacing(4)
        self.controls.addStretch(1)
        self.controls.addWidget(self.mic_button)
        self.controls.addWidget(self.talk_switch)
        # F4 is held, which a menu's shortcut cannot say: shown here, bound by HoldKey.
        self.speak_action = QAction(
            _("&Speak (hold, or start and stop)") + "\t" + self.controller.hold_key.key_name(),
            pane,
        )
        self.talk_action = QAction(_("&Talk mode"), pane)
        self.talk_action.setCheckable(True)
        self.delete_all_action = QAction(_("&Delete this session's recordings…"), pane)
        voice_menu.addAction(self.speak_action)
        voice_menu.addAction(self.talk_action)
        voice_menu.addAction(self.delete_all_action)
        self.speaker_source: Callable[[], SpeakerSignals] | None = None
        """The listening half's speaker, made when talk mode first needs it (it loads the
        speech engine): its `idle` ends the wait before the microphone listens again."""
        self._following = False
        chat.add_decorator(SpokenDecorator(self.library))
        self._show_talk_mode(context.settings.voice.talk_mode)
        self._connect()

    def _connect(self) -> None:
        controller, library, talk = self.controller, self.library, self.talk
        self._chat.action_requested.connect(self._action)
        library.changed.connect(self._chat.redraw_message)
        library.playing_changed.connect(lambda message_id, _on: self._redraw(message_id))
        library.problem.connect(lambda words: self.strip.show_problem(words, kept=False))
        controller.spoken_message_added.connect(library.keep)
        controller.turn_sent.connect(self._turn_sent)
        self._practice.session_opened.connect(self._session_opened)
        self._practice.busy_changed.connect(talk.reply_busy)
        talk.listen.connect(lambda: controller.start(talking=True))
        self.talk_switch.toggled.connect(self.set_talk_mode)
        self.talk_action.toggled.connect(self.set_talk_mode)
        self.delete_all_action.triggered.connect(self.delete_session_recordings)
        self.speak_action.triggered.connect(self._speak_from_menu)

    def _speak_from_menu(self) -> None:
        """From the menu, a click: start, or stop the recording going on."""
        if self.controller.is_recording:
            self.controller.stop()
        else:
            self.controller.start()

    def connect_speaker(self, speaker: SpeakerSignals) -> None:
        """Talk mode listens again once the speaker (the listening half) falls idle."""
        if not self._following:
            self._following = True
            self.talk.follow_speaker(speaker)

    def _turn_sent(self) -> None:
        if self.talk.enabled and self.speaker_source is not None:
            self.connect_speaker(self.speaker_source())
        self.talk.turn_sent()

    # -- talk mode -----------------------------------------------------------------------

    def set_talk_mode(self, on: bool) -> None:
        from dataclasses import replace

        from tutor.services.speaking import change_voice

        voice = self._context.settings.voice
        self._show_talk_mode(on)
        if voice.talk_mode != on:
            try:
                change_voice(self._context, replace(voice, talk_mode=on))
            except OSError as error:
                # Translators: {error} is the system's own words, often in English.
                self.strip.show_problem(
                    _("Talk mode could not be saved: {error}").format(error=error), kept=False
                )
        if on and not self._practice.is_busy and self.controller.can_record():
            self.controller.start(talking=True)
        elif not on and self.controller.is_recording:
            self.controller.stop()

    def _show_talk_mode(self, on: bool) -> None:
        self.talk.set_enabled(on)
        for control in (self.talk_switch, self.talk_action):
            if control.isChecked() != on:
                control.blockSignals(True)
                control.setChecked(on)
                control.blockSignals(False)

    # -- recordings ------------------------------------------------------------------------

    def _session_opened(self, session: PracticeSession, _messages: list[ChatMessage]) -> None:
        self.library.show_session(session.id)

    def _action(self, name: str, message_id: int) -> None:
        if name not in (PLAY, DELETE):
            return
        message = self._chat.shown_message(message_id)
        if message is None:
            return
        if name == PLAY:
            self.library.play(message)
        else:
            self.library.delete(message)

    def _redraw(self, message_id: int) -> None:
        if self._chat.shown_message(message_id) is not None:
            self._chat.redraw_message(message_id)

    def delete_session_recordings(self) -> None:
        count = self.library.count
        if count == 0:
            self.strip.show_note(_("This session has no recordings of yours."))
            return
        question = ngettext(
            "Delete the {count} recording of your voice in this session? Your messages stay.",
            "Delete the {count} recordings of your voice in this session? Your messages stay.",
            count,
        ).format(count=format_number(count))
        answer = QMessageBox.question(self._pane, _("Delete recordings"), question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            gone = self.library.delete_session()
        except OSError as error:
            self.strip.show_problem(
                _("The recordings could not be deleted: {error}").format(error=error), kept=False
            )
            return
        log.info("deleted %d recordings of the open session", len(gone))
