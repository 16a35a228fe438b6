"""A player for server speech that needs no sound server (the test process has none:
QtMultimedia connects to one once a process). It plays in real time by the clock:
`started` when the first audio comes, `finished` once all of it would have been heard
at 24 kHz 16-bit mono, so a sentence of 1 s lasts 1 s, as through speakers."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

BYTES_A_SECOND = 48_000


class ClockPlayer(QObject):
    started = Signal()
    finished = Signal()
    failed = Signal(str)

    made: list[ClockPlayer] = []  # noqa: RUF012 - every player a test made, to look at

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.audio = bytearray()
        self.started_at: float | None = None
        self.ended = False
        self.stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        ClockPlayer.made.append(self)

    def feed(self, audio: bytes) -> None:
        if self.started_at is None:
            self.started_at = time.perf_counter()
            self._timer.start()
            self.started.emit()
        self.audio += audio

    def end(self) -> None:
        self.ended = True
        if self.started_at is None:
            self.finished.emit()

    def stop(self) -> None:
        self.stopped = True
        self._timer.stop()

    def _tick(self) -> None:
        assert self.started_at is not None
        heard = (time.perf_counter() - self.started_at) * BYTES_A_SECOND
        if self.ended and heard >= len(self.audio):
            self._timer.stop()
            self.finished.emit()
