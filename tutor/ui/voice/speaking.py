"""Speaking a message: the microphone button (hold to talk, or click to start and stop)
and F4 held, the recording with its meter and time, its transcription off the GUI
thread, and the transcript in the composer to read and edit, or sent at once (the
setting, and talk mode).

A recording is kept until it has been transcribed: a transcription that fails says why
and offers Retry and Discard; the text practice goes on meanwhile. The WAV of the
transcript in the composer goes with the message it becomes (recordings.py keeps it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QIODevice,
    QObject,
    Signal,
    SignalInstance,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.session import PracticeSession
from tutor.domain.wav import is_too_quiet, is_too_short, wav_bytes
from tutor.i18n.translate import N_, _
from tutor.llm.errors import LlmError, explain
from tutor.llm.transcription import Transcriber
from tutor.services.speaking import transcription_server
from tutor.ui.shell.context import AppContext
from tutor.ui.voice.hold_key import HoldKey
from tutor.ui.voice.mic_widgets import MicButton, RecordingStrip
from tutor.ui.widgets.recorder import Recorder, Recording, limit_note
from tutor.ui.widgets.window_escape import take_window_escape

log = logging.getLogger(__name__)

HOLD_MS = 350
"""A press of the button longer than this is held (released: stop); shorter is a click
(recording goes on until the next click)."""
TALK_SILENCE_SECONDS = 1.2
"""In talk mode a turn ends after this long a silence following speech."""
TOO_SHORT = N_(
    "That was too short to hear anything. Hold the microphone button (or F4) while you "
    "speak, or click it once to start and again to stop."
)
TOO_QUIET = N_(
    "Tutor could not hear a voice: the recording is almost silent. Check the microphone "
    "(Settings → Voice has a test), or press Retry to transcribe it anyway."
)
TRANSCRIBING = N_("Transcribing…")


class Practice(Protocol):
    """What speaking needs of the practice controller (tutor/ui/chat/practice.py)."""

    message_added: SignalInstance
    session_opened: SignalInstance

    @property
    def session(self) -> PracticeSession | None: ...
    def send(self, text: str, *, spoken: bool = False) -> bool: ...


class SpeakingController(QObject):
    recording_changed = Signal(bool)
    transcript_ready = Signal(str)  # it landed in the composer, or was sent
    spoken_message_added = Signal(object, bytes)  # ChatMessage, its WAV
    turn_sent = Signal()  # a transcript was sent at once (talk mode listens after the reply)

    def __init__(
        self,
        context: AppContext,
        practice: Practice,
        composer: QPlainTextEdit,
        window: QWidget,
        *,
        recorder: Recorder | None = None,
    ) -> None:
        super().__init__(window)
        self._context = context
        self._practice = practice
        self._composer = composer
        self.transcriber = Transcriber(context.clients.timeouts)
        self.recorder = recorder or Recorder(self)
        self.button = MicButton()
        self.strip = RecordingStrip()
        self.hold_key = HoldKey(window)
        self._pressed = QElapsedTimer()
        self._held = False  # this recording stops when the button or the key is released
        self._kept: bytes | None = None  # a recording waiting to be transcribed (WAV)
        self._composer_wav: bytes | None = None  # the WAV of the transcript in the composer
        self._request = 0
        self.audio_source: Callable[[], QIODevice] | None = None
        """Where recordings come from instead of the microphone: any QIODevice of 16 kHz
        mono Int16 that signals readyRead (tests and benchmarks feed real speech)."""
        self._connect()

    def _connect(self) -> None:
        self.button.pressed.connect(self._button_down)
        self.button.released.connect(self._button_up)
        self.hold_key.pressed.connect(lambda: self.start(held=True))
        self.hold_key.released.connect(self._release)
        self.recorder.level_changed.connect(self.strip.meter.set_level)
        self.recorder.elapsed_changed.connect(self.strip.show_time)
        self.recorder.finished.connect(self._recorded)
        self.recorder.failed.connect(self._recording_failed)
        self.recording_changed.connect(self._watch_escape)
        self.strip.retry_clicked.connect(self.retry)
        self.strip.discard_clicked.connect(self.discard)
        self._composer.textChanged.connect(self._composer_changed)
        self._practice.message_added.connect(self._message_added)
        self._practice.session_opened.connect(lambda *_args: self._session_changed())

    # -- what the window asks ------------------------------------------------------------

    @property
    def holds_transcript(self) -> bool:
        """The composer's text began as a transcript: sent, it is a spoken message."""
        return self._composer_wav is not None

    @property
    def is_recording(self) -> bool:
        return self.recorder.is_recording

    @property
    def kept_recording(self) -> bytes | None:
        """A recording waiting for its transcript (WAV), after a failure."""
        return self._kept

    def can_record(self) -> bool:
        session = self._practice.session
        return session is not None and not session.has_ended and self._composer.isEnabled()

    # -- recording ---------------------------------------------------------------------

    def _button_down(self) -> None:
        if self.is_recording:
            self.stop()  # the click that ends a click-started recording
            return
        self._pressed.start()
        self.start(held=True)

    def _button_up(self) -> None:
        if self._held and self._pressed.isValid() and self._pressed.elapsed() >= HOLD_MS:
            self._release()
        else:
            self._held = False  # a click: recording goes on until the next click

    def start(self, *, held: bool = False, talking: bool = False) -> None:
        """Start recording: from `audio_source` when one is set, else from the
        microphone chosen in Settings."""
        if self.is_recording or not self.can_record():
            return
        self._held = held
        self.strip.show_recording()
        self.button.show_recording(True)
        self._warm_up()
        silence = TALK_SILENCE_SECONDS if talking else None
        if self.audio_source is not None:
            self.recorder.start_from(self.audio_source(), stop_after_silence=silence)
        else:
            microphone = self._context.settings.voice.microphone
            self.recorder.start(microphone, stop_after_silence=silence)
        if self.is_recording:
            self.recording_changed.emit(True)

    def _release(self) -> None:
        if self._held and self.is_recording:
            self.stop()
        self._held = False

    def stop(self) -> None:
        self.recorder.stop()

    def cancel(self) -> None:
        if self.is_recording:
            self.recorder.cancel()
            self._stopped()
            self.strip.hide()

    def _watch_escape(self, recording: bool) -> None:
        # Esc anywhere in the window drops the recording (as it silences speech and stops a
        # reply): the application's filter, only while a recording runs.
        app = QCoreApplication.instance()
        if app is None:
            return
        if recording:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Esc while recording drops the recording: nothing is transcribed or kept."""
        if not self.is_recording:
            return False
        pressed = take_window_escape(watched, event, self._composer.window())
        if pressed:
            self.cancel()
        return pressed is not None

    def _stopped(self) -> None:
        self._held = False
        self.button.show_recording(False)
        self.recording_changed.emit(False)

    def _recording_failed(self, words: str) -> None:
        self._stopped()
        self.strip.show_problem(words, kept=False)

    def _recorded(self, recording: Recording) -> None:
        self._stopped()
        pcm = recording.pcm
        if is_too_short(pcm):
            self.strip.show_note(_(TOO_SHORT))
            return
        self._kept = wav_bytes(pcm)
        note = limit_note(self.recorder.longest_seconds) if recording.reached_limit else ""
        if is_too_quiet(pcm):
            self.strip.show_problem(_(TOO_QUIET), kept=True)
            return
        self._transcribe(note)

    # -- transcription -----------------------------------------------------------------

    def retry(self) -> None:
        """Transcribe the kept recording again (or a quiet one, anyway)."""
        if self._kept is not None:
            self._transcribe()

    def discard(self) -> None:
        self._kept = None
        self._request += 1  # an answer still on its way is dropped
        self.strip.hide()

    def _warm_up(self) -> None:
        """Build the transcription client while the learner speaks (openai's first
        import takes up to a second), so the request leaves as soon as they stop."""
        context, transcriber = self._context, self.transcriber
        context.tasks.run(
            lambda: transcriber.warm(transcription_server(context)),
            lambda _r: None,
            lambda error: log.info("transcription client not ready: %s", error),
        )

    def _transcribe(self, note: str = "") -> None:
        session = self._practice.session
        wav = self._kept
        if session is None or wav is None:
            return
        self._request += 1
        request, language = self._request, session.target_language
        context, transcriber = self._context, self.transcriber
        self.strip.show_working(f"{note} {_(TRANSCRIBING)}".strip())
        context.tasks.run(
            lambda: transcriber.transcribe(transcription_server(context), wav, language),
            lambda text: self._transcribed(request, wav, text, note),
            lambda error: self._not_transcribed(request, error),
            owner=self.strip,
        )

    def _transcribed(self, request: int, wav: bytes, text: str, note: str) -> None:
        if request != self._request:
            return
        self._kept = None
        if note:
            self.strip.show_note(note)
        else:
            self.strip.hide()
        voice = self._context.settings.voice
        if voice.sends_transcript_at_once and not self._composer.toPlainText().strip():
            self._composer_wav = wav
            if self._practice.send(text, spoken=True):
                self.transcript_ready.emit(text)
                self.turn_sent.emit()
                return
        self._to_composer(text, wav)
        self.transcript_ready.emit(text)

    def _to_composer(self, text: str, wav: bytes) -> None:
        """The transcript after what is typed already, the cursor at its end."""
        composer = self._composer
        typed = composer.toPlainText().rstrip()
        composer.setPlainText(f"{typed} {text}" if typed else text)
        self._composer_wav = wav
        cursor = composer.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        composer.setTextCursor(cursor)
        composer.setFocus()

    def _not_transcribed(self, request: int, error: Exception) -> None:
        if request != self._request:
            return
        server = self._context.settings.voice.transcription_server
        reason = error if isinstance(error, LlmError) else explain(error, server.base_url, "")
        log.warning("transcription failed: %s (%s)", reason.kind, reason.message)
        self.strip.show_problem(reason.message, kept=True)

    # -- the transcript, sent --------------------------------------------------------------

    def _composer_changed(self) -> None:
        if not self._composer.toPlainText().strip():
            self._composer_wav = None  # emptied (or sent): what comes next is typed

    def _message_added(self, message: ChatMessage) -> None:
        wav = self._composer_wav
        if message.role is Role.USER and message.spoken and wav is not None:
            self._composer_wav = None
            self.spoken_message_added.emit(message, wav)

    def _session_changed(self) -> None:
        self.cancel()
        self._composer_wav = None
