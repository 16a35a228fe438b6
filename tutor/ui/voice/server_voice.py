"""Speech from a server (`POST /audio/speech`), played as it streams in and kept in the
audio cache, so a replay costs nothing and works offline.

One utterance at a time: a thread of its own asks the cache, else the server (raw 24 kHz
PCM, tutor/llm/speech.py), and hands each piece to the GUI thread, where the player
plays it at once; the whole audio then goes to the cache (a WAV file). Stopping sets a
flag the fetching thread checks between pieces (closing the connection), and every
utterance carries a token: pieces of an older one are dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal

from tutor.domain.voice_settings import DEFAULT_SPEECH_VOICE
from tutor.i18n.translate import _
from tutor.llm.connection import ServerConfig, Timeouts
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.speech import PCM_SAMPLE_RATE, SpeechClient
from tutor.services.server import NO_SERVER
from tutor.services.voice import SpeechServerChoice
from tutor.store.audio_cache import AudioCache, AudioKey
from tutor.ui.voice.audio_out import PcmPlayer, SinkPlayer, has_audio_output, no_output_message

log = logging.getLogger(__name__)

PlayerFactory = Callable[[QObject], PcmPlayer]


def sink_player(parent: QObject) -> PcmPlayer:
    return SinkPlayer(PCM_SAMPLE_RATE, parent)


@dataclass(frozen=True)
class ServerUtterance:
    session_id: int
    message_id: int
    text: str
    voice: str
    speed: float


class _Channel(QObject):
    piece = Signal(int, bytes)  # token, audio
    done = Signal(int)  # token
    failed = Signal(int, str)  # token, words


class ServerVoice(QObject):
    """Says one text at a time with a server's voice: `started` when the first audio
    plays, `finished` when all of it has, `failed(words)` otherwise.

    `server`: where speech is made (tutor/services/voice.py: speech_server), called on
    the fetching thread (it reads the keyring). `player`: makes the player of each
    utterance (a QAudioSink; tests give one that needs no sound server)."""

    started = Signal()
    finished = Signal()
    failed = Signal(str)

    def __init__(
        self,
        server: Callable[[], SpeechServerChoice | None],
        cache: AudioCache,
        *,
        timeouts: Timeouts | None = None,
        player: PlayerFactory = sink_player,
        output_check: Callable[[], bool] = has_audio_output,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.server = server
        self.cache = cache
        self._hits = [0]
        self._make_player = player
        self._output_check = output_check
        self._clients = _Clients(timeouts)
        self._token = 0
        self._cancelled = threading.Event()
        self._player: PcmPlayer | None = None
        # No parent: each fetching thread holds it too, so a thread still waiting on the
        # network when this voice goes (the window, the Settings dialog closed) emits
        # into a live object, whose receivers are gone, instead of a deleted one.
        self.channel = _Channel()
        queued = Qt.ConnectionType.QueuedConnection
        self.channel.piece.connect(self._piece, queued)
        self.channel.done.connect(self._done, queued)
        self.channel.failed.connect(self._failed, queued)

    def say(self, utterance: ServerUtterance) -> None:
        self.stop()
        if not self._output_check():
            self.failed.emit(no_output_message())
            return
        self._token += 1
        self._cancelled = threading.Event()
        player = self._make_player(self)
        player.started.connect(self.started)
        player.finished.connect(self._played)
        player.failed.connect(self._player_failed)
        self._player = player
        fetch = _Fetch(
            self._token,
            utterance,
            self.server,
            self.cache,
            self._clients,
            self._hits,
            self._cancelled,
            self.channel,
        )
        # A thread of its own, not the pool's: a stopped request may wait on the network
        # until its timeout, and the next sentence must not queue behind it (nor behind
        # a streaming reply or a coach check); a daemon thread never holds up closing.
        threading.Thread(target=fetch.run, name="server-speech", daemon=True).start()

    def stop(self) -> None:
        self._token += 1
        self._cancelled.set()
        player, self._player = self._player, None
        if player is not None:
            player.stop()
            player.deleteLater()  # type: ignore[attr-defined]

    @property
    def cache_hits(self) -> int:
        """Utterances played from the cache, without asking the server."""
        return self._hits[0]

    def _piece(self, token: int, audio: bytes) -> None:
        if token == self._token and self._player is not None:
            self._player.feed(audio)

    def _done(self, token: int) -> None:
        if token == self._token and self._player is not None:
            self._player.end()

    def _failed(self, token: int, words: str) -> None:
        if token == self._token:
            self.stop()
            self.failed.emit(words)

    def _played(self) -> None:
        if self.sender() is self._player:
            player, self._player = self._player, None
            if player is not None:
                player.deleteLater()  # type: ignore[attr-defined]
            self.finished.emit()

    def _player_failed(self, words: str) -> None:
        if self.sender() is self._player:
            self.stop()
            self.failed.emit(words)


class _Clients:
    """One speech client per server (built once; asked on the fetching threads)."""

    def __init__(self, timeouts: Timeouts | None) -> None:
        self._timeouts = timeouts
        self._found: dict[tuple[ServerConfig, bool], SpeechClient] = {}
        self._lock = threading.Lock()

    def client(self, choice: SpeechServerChoice) -> SpeechClient:
        with self._lock:
            found = self._found.get((choice.config, choice.separate))
            if found is None:
                found = SpeechClient(choice.config, self._timeouts, separate=choice.separate)
                self._found = {(choice.config, choice.separate): found}
            return found


class _Fetch:
    """The audio of one utterance, from the cache or the server, in pieces. It holds
    what it needs itself, never the voice (which may be gone before it ends)."""

    def __init__(
        self,
        token: int,
        utterance: ServerUtterance,
        server: Callable[[], SpeechServerChoice | None],
        cache: AudioCache,
        clients: _Clients,
        hits: list[int],
        cancelled: threading.Event,
        channel: _Channel,
    ) -> None:
        self._token = token
        self._utterance = utterance
        self._server = server
        self._cache = cache
        self._clients = clients
        self._hits = hits
        self._cancelled = cancelled
        self._channel = channel

    def run(self) -> None:
        try:
            self._fetch()
        except LlmError as error:
            self._channel.failed.emit(self._token, error.message)
        except Exception as error:  # a bug must not leave the speaker waiting for ever
            log.exception("speech from the server failed")
            # Translators: {error} is the error's own words, in English.
            words = _("Speech failed: {error}").format(error=f"{type(error).__name__}: {error}")
            self._channel.failed.emit(self._token, words)
        else:
            self._channel.done.emit(self._token)

    def _fetch(self) -> None:
        utterance, channel, token = self._utterance, self._channel, self._token
        choice = self._server()
        if choice is None:
            raise LlmError(ErrorKind.UNEXPECTED, _(NO_SERVER))
        key = AudioKey(
            utterance.session_id,
            utterance.message_id,
            utterance.voice or DEFAULT_SPEECH_VOICE,
            utterance.speed,
            choice.config.model,
            utterance.text,
        )
        cached = self._cache.read_pcm(key)
        if cached is not None:
            self._hits[0] += 1
            channel.piece.emit(token, cached)
            return
        client = self._clients.client(choice)
        whole = bytearray()
        stream = client.stream(
            utterance.text, voice=key.voice, speed=utterance.speed, response_format="pcm"
        )
        try:
            for piece in stream:
                if self._cancelled.is_set():
                    return
                whole += piece
                channel.piece.emit(token, piece)
        finally:
            stream.close()
        if whole:
            try:
                self._cache.store_pcm(key, bytes(whole), PCM_SAMPLE_RATE)
            except OSError as error:  # a full disk: the next replay asks the server again
                log.warning("speech audio not cached: %s", error)
