"""Real speech for the recorder's tests, made by espeak-ng (a Debian package the test
machine has), and a live source that feeds it in real time like a microphone."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QIODevice, QTimer

from tutor.domain.pcm_convert import PcmConverter, SampleFormat
from tutor.domain.wav import wav_pcm


@functools.cache
def espeak_pcm(text: str, voice: str = "es") -> bytes:
    """`text` said by espeak-ng, as 16 kHz mono 16-bit PCM (espeak-ng writes 22,050 Hz)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(out), text], check=True, timeout=30)
        info, pcm = wav_pcm(out.read_bytes())
    converter = PcmConverter(SampleFormat.INT16, info.channels, info.sample_rate)
    return converter.feed(pcm)


class LiveFeed(QIODevice):
    """A QIODevice that delivers PCM in real time, a chunk every `interval_ms`, as a
    microphone does (readyRead each time); `then_silence` seconds of silence after it.

    Every feed is kept until `stop_all()` (a test's teardown): a feed dropped while its
    timer runs would be called into after Python let go of it."""

    running: ClassVar[list[LiveFeed]] = []

    def __init__(
        self,
        pcm: bytes,
        *,
        interval_ms: int = 20,
        rate_bytes: int = 32_000,
        then_silence: float = 0,
    ) -> None:
        super().__init__()
        self._pending = pcm + bytes(int(then_silence * rate_bytes) // 2 * 2)
        self._buffer = bytearray()
        self._chunk = rate_bytes * interval_ms // 1000
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self.open(QIODevice.OpenModeFlag.ReadOnly)
        self._timer.start()
        LiveFeed.running.append(self)

    @classmethod
    def stop_all(cls) -> None:
        for feed in cls.running:
            feed._timer.stop()
            feed._timer.timeout.disconnect(feed._tick)
        cls.running.clear()

    @property
    def exhausted(self) -> bool:
        return not self._pending

    def _tick(self) -> None:
        if not self._pending:
            self._timer.stop()
            return
        self._buffer += self._pending[: self._chunk]
        self._pending = self._pending[self._chunk :]
        self.readyRead.emit()

    def bytesAvailable(self) -> int:  # noqa: N802 - Qt's name
        return len(self._buffer) + super().bytesAvailable()

    def readData(self, maxlen: int) -> bytes:  # noqa: N802 - Qt's name
        data = bytes(self._buffer[:maxlen])
        del self._buffer[:maxlen]
        return data

    def writeData(self, data: bytes | bytearray | memoryview, size: int, /) -> int:  # noqa: N802
        return -1  # read only, as a microphone is

    def isSequential(self) -> bool:  # noqa: N802 - Qt's name
        return True
