"""Talk mode: hands free. A transcript is sent at once (VoiceSettings.sends_transcript_at
_once), the reply is read aloud, and then the microphone listens again, the turn ending
at a silence.

"Then" is when the speaker falls idle after the reply. The speaker is the listening
half's (tutor/ui/voice/speaker.py, `Speaker`), met here only as `SpeakerSignals`: its
`idle()` and `speaking_changed(bool)`. Without a speaker, or when it does not start
speaking within SPEECH_GRACE_MS of the reply's end (no voice for the language, reading
aloud off), the microphone listens as soon as the reply has arrived.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

SPEECH_GRACE_MS = 800
"""How long after a reply's end the speaker may take to start speaking it."""


class SpeakerSignals(Protocol):
    idle: SignalInstance
    speaking_changed: SignalInstance


class TalkMode(QObject):
    listen = Signal()  # the microphone should listen now

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = False
        self._awaiting_reply = False
        self._awaiting_speech = False
        self._speaking = False  # the speaker is speaking now (a reply is read as it streams)
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.setInterval(SPEECH_GRACE_MS)
        self._grace.timeout.connect(self._speaker_silent)

    def follow_speaker(self, speaker: SpeakerSignals) -> None:
        speaker.idle.connect(self._speaker_idle)
        speaker.speaking_changed.connect(self._speaking_changed)

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        if not enabled:
            self._reset()

    def turn_sent(self) -> None:
        """The learner's turn went: listen again after the reply (and its speech)."""
        if self.enabled:
            self._awaiting_reply = True

    def reply_busy(self, busy: bool) -> None:
        """The practice controller's busy_changed: False is the reply's end."""
        if busy or not self._awaiting_reply:
            return
        self._awaiting_reply = False
        self._awaiting_speech = True
        if not self._speaking:  # already speaking its first sentences: wait for idle
            self._grace.start()

    def _speaking_changed(self, speaking: bool) -> None:
        self._speaking = speaking
        if speaking and self._awaiting_speech:
            self._grace.stop()  # it speaks the reply: wait for idle

    def _speaker_idle(self) -> None:
        if self._awaiting_speech and not self._grace.isActive():
            self._ready()

    def _speaker_silent(self) -> None:
        if self._awaiting_speech:
            self._ready()

    def _ready(self) -> None:
        self._reset()
        if self.enabled:
            self.listen.emit()

    def _reset(self) -> None:
        self._awaiting_reply = self._awaiting_speech = False
        self._grace.stop()
