"""What Settings → Voice asks of the voice feature (tutor/ui/setup/voice_page.py's
VoiceSampler): the system's voices for a language, the server's, and a test sentence
said with the choices on the page before they are saved.

It has engines of its own, so a test neither waits for nor interrupts what the window
is saying; `stop()` ends them with the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.voice_samples import sample_sentence
from tutor.domain.voice_settings import VoiceSettings
from tutor.i18n.translate import _
from tutor.llm.errors import LlmError
from tutor.services.voice import SpeechServerChoice, audio_cache, speech_server
from tutor.ui.shell.context import AppContext
from tutor.ui.voice.server_voice import ServerVoice
from tutor.ui.voice.speaker import Speaker, speech_timeouts
from tutor.ui.voice.system_voice import SystemVoice

SAMPLE_MESSAGE_ID = 0
"""The test sentence's audio is cached under no session: removed at the next start."""


class VoiceSampler(QObject):
    def __init__(
        self, context: AppContext, engine: str = "", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._voice = context.settings.voice
        self._key: str | None = None
        self.system = SystemVoice(engine, self)
        self.server = ServerVoice(
            self._server_choice,
            audio_cache(context.paths.data_dir),
            timeouts=speech_timeouts(context.clients.timeouts),
            parent=self,
        )
        self.speaker = Speaker(lambda: self._voice, self.system, self.server, self)
        self.speaker.problem.connect(self._problem)
        self.speaker.idle.connect(self._idle)
        self._done: Callable[[str], None] | None = None
        self._heard_problem = ""

    def system_voices(self, language_code: str, ready: Callable[[], None]) -> list[str] | None:
        if not self.system.is_ready:
            self.system.ready.connect(ready, Qt.ConnectionType.SingleShotConnection)
            self.system.prepare()
            return None
        return [name for name, _locale in self.system.voices(language_code)]

    def system_problem(self, language_code: str) -> str:
        return self.system.problem(language_code)

    def server_voices(
        self, voice: VoiceSettings, speech_key: str | None, done: Callable[[list[str], str], None]
    ) -> None:
        self._voice, self._key = voice, speech_key

        def listed(found: object) -> None:
            from tutor.llm.speech import VoiceList

            assert isinstance(found, VoiceList)
            note = (
                ""
                if found.from_server
                else _(
                    "This server lists no voices: these are OpenAI's. Type another if "
                    "your server names its voices otherwise."
                )
            )
            done(list(found.voices), note)

        def failed(error: Exception) -> None:
            done([], str(error) if isinstance(error, LlmError) else repr(error))

        self._context.tasks.run(self._list_voices, listed, failed, owner=self)

    def test(
        self,
        voice: VoiceSettings,
        language_code: str,
        speech_key: str | None,
        done: Callable[[str], None],
    ) -> None:
        self._voice, self._key = voice, speech_key
        self._done, self._heard_problem = done, ""
        sample = ChatMessage(
            SAMPLE_MESSAGE_ID, 0, Role.ASSISTANT, sample_sentence(language_code), datetime.now(UTC)
        )
        self.speaker.speak_message(sample, language_code)

    def stop(self) -> None:
        self._done = None
        self.speaker.stop()
        self.system.shutdown()

    def _server_choice(self) -> SpeechServerChoice | None:
        """Where the test is said: the page's choices, with the key typed there."""
        context = self._context
        settings = context.settings.with_changes(voice=self._voice)
        choice = speech_server(context.overrides, settings, context.keys)
        if choice is not None and choice.separate and self._key:
            from dataclasses import replace

            context.redactor.add(self._key)
            choice = choice._replace(config=replace(choice.config, api_key=self._key))
        return choice

    def _list_voices(self) -> object:
        from tutor.llm.speech import SpeechClient

        choice = self._server_choice()
        if choice is None:
            from tutor.llm.errors import ErrorKind
            from tutor.services.server import NO_SERVER

            raise LlmError(ErrorKind.UNEXPECTED, _(NO_SERVER))
        timeouts = speech_timeouts(self._context.clients.timeouts)
        client = SpeechClient(choice.config, timeouts, separate=choice.separate)
        return client.voices()

    def _problem(self, words: str) -> None:
        self._heard_problem = words

    def _idle(self) -> None:
        done, self._done = self._done, None
        if done is not None:
            done(self._heard_problem)
