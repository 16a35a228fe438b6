"""Recording the learner's voice: 16 kHz mono 16-bit PCM kept in memory, with its level
for a meter, stopped by the learner, by a long enough silence (talk mode), or by itself
after LONGEST_RECORDING_SECONDS.

The audio comes from a QIODevice: the microphone's (QtMultimedia's QAudioSource, in pull
mode, from the device chosen in Settings), or any other (`start_from`: tests feed real
speech made by espeak-ng, with no audio device). A microphone that refuses 16 kHz mono
Int16 is recorded in its own preferred format and converted as the chunks arrive
(tutor/domain/pcm_convert.py: samples to 16-bit, channels averaged, linear resampling).
QtMultimedia is imported on the first recording, never at start-up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QIODevice, QObject, QTimer, Signal, Slot

from tutor.domain.pcm_convert import PcmConverter, SampleFormat
from tutor.domain.voice_settings import LONGEST_RECORDING_SECONDS
from tutor.domain.wav import BYTES_PER_SECOND, SILENCE_DBFS, level
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext

log = logging.getLogger(__name__)

LEVEL_EVERY_BYTES = BYTES_PER_SECOND // 20
"""The meter moves 20 times a second: smooth to the eye, little work for the GUI."""
SPEECH_DBFS = -40.0
"""A chunk this loud (RMS) is taken for speech when listening for the end of a turn."""
QUIET_DBFS = -50.0
"""A chunk this quiet after speech counts towards the silence that ends a turn."""
STALLED_MS = 2000
"""A microphone that sends nothing for this long has gone (unplugged, taken by another
program): PulseAudio then leaves the source active and silent rather than in error."""


@dataclass(frozen=True)
class Recording:
    pcm: bytes
    """16 kHz mono 16-bit PCM."""
    reached_limit: bool = False
    """Stopped by itself at the longest a recording may be."""


class Recorder(QObject):
    level_changed = Signal(float)  # RMS of the latest twentieth of a second, in dBFS
    elapsed_changed = Signal(float)  # seconds recorded so far
    finished = Signal(object)  # Recording
    failed = Signal(str)  # what went wrong, in words

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        longest_seconds: float = LONGEST_RECORDING_SECONDS,
    ) -> None:
        super().__init__(parent)
        self.longest_seconds = longest_seconds
        self._stream: QIODevice | None = None
        self._source: Any = None  # QAudioSource, when recording from a microphone
        self._converter = PcmConverter(SampleFormat.INT16, 1, 16_000)
        self._pcm = bytearray()
        self._since_level = 0
        self._silence_to_stop: float | None = None
        self._heard_speech = False
        self._quiet_bytes = 0
        self._stall = QTimer(self)
        self._stall.timeout.connect(self._stalled)
        self._arrived = False

    @property
    def is_recording(self) -> bool:
        return self._stream is not None

    def start(self, microphone_id: str = "", *, stop_after_silence: float | None = None) -> None:
        """Record from the microphone with this QAudioDevice id (empty: the system's
        default). `failed` says why not: no microphone, refused, or not working."""
        from tutor.ui.widgets.microphones import open_microphone

        if self.is_recording:
            return
        opened = open_microphone(microphone_id, self)
        if isinstance(opened, str):
            self.failed.emit(opened)
            return
        source, stream, converter = opened
        self._source = source
        source.stateChanged.connect(self._state_changed)
        self._begin(stream, converter, stop_after_silence, STALLED_MS)

    def start_from(
        self,
        stream: QIODevice,
        converter: PcmConverter | None = None,
        *,
        stop_after_silence: float | None = None,
        stalled_ms: int | None = None,
    ) -> None:
        """Record from any open QIODevice that signals readyRead (16 kHz mono Int16
        unless a converter from its format is given). `stalled_ms`: give up, as for a
        microphone that went, when nothing arrives for this long."""
        if not self.is_recording:
            self._begin(stream, converter, stop_after_silence, stalled_ms)

    def _begin(
        self,
        stream: QIODevice,
        converter: PcmConverter | None,
        stop_after_silence: float | None,
        stalled_ms: int | None = None,
    ) -> None:
        self._stream = stream
        self._converter = converter or PcmConverter(SampleFormat.INT16, 1, 16_000)
        self._pcm = bytearray()
        self._since_level = 0
        self._silence_to_stop = stop_after_silence
        self._heard_speech = False
        self._quiet_bytes = 0
        stream.readyRead.connect(self._read)
        if stalled_ms is not None:
            self._arrived = True  # the first chunk may take a moment
            self._stall.start(stalled_ms)
        self.level_changed.emit(SILENCE_DBFS)
        self.elapsed_changed.emit(0.0)

    def stop(self) -> None:
        """Stop and hand over what was recorded (`finished`)."""
        self._finish(reached_limit=False)

    def cancel(self) -> None:
        """Stop and drop what was recorded."""
        if self._stream is not None:
            self._close()
            self._pcm = bytearray()

    # -- as the audio arrives ------------------------------------------------------------

    def _read(self) -> None:
        stream = self._stream
        if stream is None:
            return
        chunk = self._converter.feed(bytes(stream.readAll().data()))
        if not chunk:
            return
        self._arrived = True
        limit = int(self.longest_seconds * BYTES_PER_SECOND)
        room = limit - len(self._pcm)
        self._pcm += chunk[: max(0, room)]
        self._since_level += len(chunk)
        if self._since_level >= LEVEL_EVERY_BYTES:
            self._since_level = 0
            loudness = level(chunk[-LEVEL_EVERY_BYTES:]).rms
            self.level_changed.emit(loudness)
            self.elapsed_changed.emit(len(self._pcm) / BYTES_PER_SECOND)
            if self._silence_to_stop is not None and self._turn_ended(loudness):
                self._finish(reached_limit=False)
                return
        if len(chunk) >= room:
            self._finish(reached_limit=True)

    def _turn_ended(self, loudness: float) -> bool:
        """Talk mode: speech was heard, then a silence of `_silence_to_stop` seconds."""
        if loudness >= SPEECH_DBFS:
            self._heard_speech = True
            self._quiet_bytes = 0
            return False
        if self._heard_speech and loudness < QUIET_DBFS:
            self._quiet_bytes += LEVEL_EVERY_BYTES
        assert self._silence_to_stop is not None
        return self._quiet_bytes >= self._silence_to_stop * BYTES_PER_SECOND

    def _finish(self, *, reached_limit: bool) -> None:
        stream = self._stream
        if stream is None:
            return
        if not reached_limit:
            self._pcm += self._converter.feed(bytes(stream.readAll().data()))
            self._pcm = self._pcm[: int(self.longest_seconds * BYTES_PER_SECOND)]
        self._close()
        self.finished.emit(Recording(bytes(self._pcm), reached_limit))

    def _close(self) -> None:
        self._stall.stop()
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.readyRead.disconnect(self._read)
        source, self._source = self._source, None
        if source is not None:
            source.stateChanged.disconnect(self._state_changed)
            source.stop()
            source.deleteLater()

    def _stalled(self) -> None:
        if self._arrived:
            self._arrived = False
            return
        from tutor.ui.widgets.microphones import STOPPED_SENDING

        log.warning("microphone sent nothing for %d ms", self._stall.interval())
        self.cancel()
        self.failed.emit(_(STOPPED_SENDING))

    @Slot()
    def _state_changed(self) -> None:
        """A microphone that stops with an error mid-recording (unplugged, taken by
        another program): say so, and keep nothing half-made."""
        from tutor.ui.widgets.microphones import source_problem

        source = self._source
        problem = source_problem(source) if source is not None else None
        if problem is not None:
            log.warning("microphone stopped: %s", problem)
            self.cancel()
            self.failed.emit(problem)


def limit_note(seconds: float) -> str:
    """Said when a recording stopped by itself at the limit."""
    whole = round(seconds)
    return ngettext(
        "The recording stopped by itself after {count} second, the longest one may be.",
        "The recording stopped by itself after {count} seconds, the longest one may be.",
        whole,
    ).format(count=format_number(whole))
