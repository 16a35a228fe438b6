"""The one thing the rest of the window talks to for listening: `Speaker`.

It says a whole message (the play control, the replay shortcut) or a reply as it streams
in (read aloud): the text is cut into sentences (tutor/domain/sentences.py), queued, and
said one after another, each with the engine, voice and speed the settings give the
target language (the system's voices or a server's). It says which sentence is being
heard (`sentence_started`, for the highlight), whether anything is (`speaking_changed`),
when nothing is left to say (`idle`: talk mode opens the microphone then) and what went
wrong, in words (`problem`). A problem stops what was queued; the text practice goes on.

Nothing here waits: engines start on the GUI thread and report back through signals
(the system engine is made on a pool thread, a server's audio fetched on one).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from tutor.domain.conversation import ChatMessage
from tutor.domain.sentences import Sentence, SentenceFeeder, split_sentences
from tutor.domain.voice_settings import VoiceSettings
from tutor.llm.connection import Timeouts
from tutor.ui.shell.context import AppContext
from tutor.ui.voice.server_voice import ServerUtterance, ServerVoice
from tutor.ui.voice.system_voice import SystemVoice


@dataclass(frozen=True)
class _Utterance:
    session_id: int
    message_id: int
    language_code: str
    sentence: Sentence


@dataclass
class _Stream:
    session_id: int
    language_code: str
    feeder: SentenceFeeder


@dataclass(frozen=True)
class _Said:
    """What was last said whole, for replay_last()."""

    session_id: int
    message_id: int
    language_code: str
    text: str


class Speaker(QObject):
    sentence_started = Signal(int, int, int)
    """(message id, start, end) of the sentence now heard: offsets in its text."""
    speaking_changed = Signal(bool)
    idle = Signal()
    """Nothing left to say (the queue ran out and no reply is streaming)."""
    problem = Signal(str)
    """Why speech stopped, in words for the window."""

    def __init__(
        self,
        settings: Callable[[], VoiceSettings],
        system: SystemVoice,
        server: ServerVoice,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.system = system
        self.server = server
        self._queue: deque[_Utterance] = deque()
        self._current: _Utterance | None = None
        self._streams: dict[int, _Stream] = {}
        self._speaking = False
        self._last: _Said | None = None
        for engine in (system, server):
            engine.started.connect(self._heard)
            engine.finished.connect(self._next)
            engine.failed.connect(self._failed)

    # ---- what the window asks

    @property
    def is_speaking(self) -> bool:
        return self._speaking

    @property
    def message_id(self) -> int | None:
        """The message being said (or about to be), None when silent."""
        if self._current is not None:
            return self._current.message_id
        return self._queue[0].message_id if self._queue else None

    def speak_message(self, message: ChatMessage, language_code: str) -> None:
        """Say a whole message, instead of anything said now."""
        self._clear()
        self._last = _Said(message.session_id, message.id, language_code, message.text)
        for sentence in split_sentences(message.text):
            self._add(_Utterance(message.session_id, message.id, language_code, sentence))
        self._advance()

    def start_stream(self, message_id: int, language_code: str, session_id: int = 0) -> None:
        """A reply begins: its sentences are said as they complete (feed_stream)."""
        self._streams[message_id] = _Stream(session_id, language_code, SentenceFeeder())

    def feed_stream(self, message_id: int, text_so_far: str) -> None:
        """The reply's whole text so far (a stream not started, or stopped, is ignored)."""
        stream = self._streams.get(message_id)
        if stream is None:
            return
        if not text_so_far.startswith(stream.feeder.text):
            # The reply began again (a reasoning model's thinking dropped): start over.
            stream.feeder = SentenceFeeder()
        for sentence in stream.feeder.feed_text(text_so_far):
            self._add(_Utterance(stream.session_id, message_id, stream.language_code, sentence))
        self._advance()

    def end_stream(self, message_id: int) -> None:
        """The reply is complete: its last words are said too."""
        stream = self._streams.pop(message_id, None)
        if stream is None:
            return
        for sentence in stream.feeder.finish():
            self._add(_Utterance(stream.session_id, message_id, stream.language_code, sentence))
        self._last = _Said(stream.session_id, message_id, stream.language_code, stream.feeder.text)
        if self._current is None and not self._queue and not self._speaking:
            self.idle.emit()  # nothing of it was said (an empty reply): nothing to wait for
            return
        self._advance()

    def stop(self) -> None:
        """Silence at once; a reply still streaming is not read further."""
        self._clear()
        self._set_speaking(False)

    def replay_last(self) -> bool:
        """Say again the message last said whole (or the reply last read aloud); False
        when there is none."""
        last = self._last
        if last is None:
            return False
        self._clear()
        for sentence in split_sentences(last.text):
            self._add(_Utterance(last.session_id, last.message_id, last.language_code, sentence))
        self._advance()
        return True

    def remember(self, message: ChatMessage, language_code: str) -> None:
        """The message replay_last() says (the latest reply, shown without being said)."""
        self._last = _Said(message.session_id, message.id, language_code, message.text)

    # ---- the queue

    def _clear(self) -> None:
        """Stop and forget everything, without a word (what comes next says)."""
        self._queue.clear()
        self._streams.clear()
        self._current = None
        self.system.stop()
        self.server.stop()

    def _add(self, utterance: _Utterance) -> None:
        if not utterance.sentence.is_blank:
            self._queue.append(utterance)

    def _advance(self) -> None:
        if self._current is not None:
            return
        if not self._queue:
            if self._speaking and not self._streams:
                self._set_speaking(False)
            return
        self._current = self._queue.popleft()
        self._set_speaking(True)
        self._say(self._current)

    def _say(self, utterance: _Utterance) -> None:
        voice = self._settings().voice_for(utterance.language_code)
        text = utterance.sentence.text.strip()
        if voice.engine == "server":
            self.server.say(
                ServerUtterance(
                    utterance.session_id, utterance.message_id, text, voice.voice, voice.speed
                )
            )
        else:
            self.system.say(text, utterance.language_code, voice.voice, voice.speed)

    def _heard(self) -> None:
        current = self._current
        if current is not None:
            start, end = current.sentence.spoken
            self.sentence_started.emit(current.message_id, start, end)

    def _next(self) -> None:
        self._current = None
        self._advance()

    def _failed(self, words: str) -> None:
        self._clear()
        self.problem.emit(words)  # before idle: what waits for idle knows why it came
        self._set_speaking(False)

    def _set_speaking(self, speaking: bool) -> None:
        if speaking == self._speaking:
            return
        self._speaking = speaking
        self.speaking_changed.emit(speaking)
        if not speaking:
            self.idle.emit()


def window_speaker(context: AppContext, parent: QObject) -> Speaker:
    """The main window's Speaker: the system's voices (the engine the context names) and
    the speech server the settings give, with the audio cache in the data folder."""
    from tutor.services.voice import audio_cache, speech_server

    server = ServerVoice(
        lambda: speech_server(context.overrides, context.settings, context.keys),
        audio_cache(context.paths.data_dir),
        timeouts=speech_timeouts(context.clients.timeouts),
    )
    speaker = Speaker(
        lambda: context.settings.voice, SystemVoice(context.speech_engine), server, parent
    )
    server.setParent(speaker)
    speaker.system.setParent(speaker)
    return speaker


SPEECH_READ_TIMEOUT_S = 30.0
"""A sentence's speech is short: a server silent this long is said to be late sooner
than a chat reply's two minutes (a local model may load that long; a voice does not)."""


def speech_timeouts(chat: Timeouts) -> Timeouts:
    return Timeouts(connect=chat.connect, read=min(chat.read, SPEECH_READ_TIMEOUT_S))
