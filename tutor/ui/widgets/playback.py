"""Playing a recording back: the learner's own, kept with a message (a WAV file), or the
Settings test (WAV bytes in memory), through QtMultimedia's QMediaPlayer.

Imported when something is first played, never at start-up. With no audio output the
learner is told so; nothing else waits for the playback.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

from tutor.i18n.translate import N_, _

log = logging.getLogger(__name__)

NO_OUTPUT = N_("Tutor finds no sound output (speakers or headphones) to play this on.")


class Playback(QObject):
    started = Signal()
    finished = Signal()
    failed = Signal(str)  # what went wrong, in words

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._output = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._status)
        self._player.errorOccurred.connect(self._error)
        self._buffer: QBuffer | None = None
        self.playing: Path | None = None
        """The file playing now (None for bytes, or when nothing plays)."""

    @property
    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def play_file(self, path: Path) -> None:
        if not self._has_output():
            return
        self.stop()
        self.playing = path
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()
        self.started.emit()

    def play_bytes(self, wav: bytes) -> None:
        if not self._has_output():
            return
        self.stop()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(wav))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self._player.setSourceDevice(buffer, QUrl("recording.wav"))
        self._player.play()
        self.started.emit()

    def stop(self) -> None:
        if self._player.playbackState() != QMediaPlayer.PlaybackState.StoppedState:
            self._player.stop()
        self.playing = None

    def _has_output(self) -> bool:
        if QMediaDevices.audioOutputs():
            self._output.setDevice(QMediaDevices.defaultAudioOutput())
            return True
        self.failed.emit(_(NO_OUTPUT))
        return False

    def _status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.playing = None
            self.finished.emit()

    def _error(self, _error: QMediaPlayer.Error, words: str) -> None:
        log.warning("playback failed: %s", words)
        self.playing = None
        # Translators: {reason} is the media library's own words, in English.
        self.failed.emit(_("The recording could not be played: {reason}").format(reason=words))
