"""Raw speech audio played as it arrives: a QAudioSink fed on the GUI thread.

Why a sink and not QMediaPlayer on a file: a player opens a whole file, so the first
sentence would be heard only once the server had made all of it; a sink plays the
first tenth of a second the moment it comes (benchmarks/voice_listening.py measures
the difference the server's streaming makes). The same path plays the cache: a cached
file is fed at once, whole.

`PcmPlayer` is what server_voice.py plays through; `SinkPlayer` the real one. A test
may hand ServerVoice another with the same signals (the test process has no sound
server: QtMultimedia connects to one once a process).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QIODevice, QObject, QTimer, Signal, SignalInstance
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices, QtAudio

from tutor.i18n.translate import _

PUMP_INTERVAL_MS = 10


def no_output_message() -> str:
    return _(
        "No sound output was found, so Tutor cannot play speech. Connect speakers or "
        "headphones (or start the system's sound service), then try again."
    )


class PcmPlayer(Protocol):
    """Plays 16-bit mono PCM fed in pieces; one utterance per player."""

    started: SignalInstance
    """The first audio went to the device."""
    finished: SignalInstance
    """Everything fed, after end(), has been played."""
    failed: SignalInstance  # (str): words for the learner

    def feed(self, audio: bytes) -> None: ...
    def end(self) -> None: ...
    def stop(self) -> None: ...


def has_audio_output() -> bool:
    """Whether the system has a sound output. The first call connects to the sound
    service (about 15 ms); call it where a sentence is about to be played."""
    return bool(QMediaDevices.audioOutputs())


class SinkPlayer(QObject):
    started = Signal()
    finished = Signal()
    failed = Signal(str)

    def __init__(self, sample_rate: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._format = QAudioFormat()
        self._format.setSampleRate(sample_rate)
        self._format.setChannelCount(1)
        self._format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._pending = bytearray()
        self._ended = False
        self._written = 0
        self._sink: QAudioSink | None = None
        self._device: QIODevice | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(PUMP_INTERVAL_MS)
        self._timer.timeout.connect(self._pump)

    def feed(self, audio: bytes) -> None:
        self._pending += audio
        if self._sink is None and not self._open():
            return
        self._pump()
        if not self._timer.isActive():
            self._timer.start()

    def end(self) -> None:
        self._ended = True
        if self._sink is None and not self._pending:
            self.finished.emit()  # nothing at all to play

    def stop(self) -> None:
        self._timer.stop()
        self._pending.clear()
        if self._sink is not None:
            self._sink.stop()
            self._sink = None
            self._device = None

    def _open(self) -> bool:
        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self._pending.clear()
            self.failed.emit(no_output_message())
            return False
        self._sink = QAudioSink(device, self._format, self)
        self._device = self._sink.start()
        if self._device is None or self._sink.error() != QtAudio.Error.NoError:
            self.stop()
            self.failed.emit(no_output_message())
            return False
        return True

    def _pump(self) -> None:
        sink, device = self._sink, self._device
        if sink is None or device is None:
            return
        if self._pending:
            room = min(sink.bytesFree(), len(self._pending)) & ~1  # whole samples
            if room > 0:
                written = device.write(bytes(self._pending[:room]))
                if written > 0:
                    if self._written == 0:
                        self.started.emit()
                    self._written += written
                    del self._pending[:written]
        if sink.error() not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError):
            self.stop()
            self.failed.emit(no_output_message())
            return
        played_us = sink.processedUSecs()
        total_us = self._written * 1_000_000 // (2 * self._format.sampleRate())
        if self._ended and not self._pending and played_us >= total_us:
            self._timer.stop()
            sink.stop()
            self._sink = None
            self._device = None
            self.finished.emit()
