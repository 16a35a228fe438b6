"""Audio in whatever form a microphone gives, made into 16 kHz mono 16-bit PCM.

A microphone that refuses Tutor's format (some USB headsets take only 48 kHz stereo, some
drivers only 32-bit float) is recorded as it is and converted here, chunk by chunk as it
arrives: samples to 16-bit, channels averaged to one, and the rate changed by linear
interpolation. Linear interpolation aliases a little above 8 kHz, where speech carries
almost nothing a recogniser uses; it keeps the work a few milliseconds a second in pure
Python, with no audio package to install.
"""

from __future__ import annotations

import struct
from array import array
from enum import StrEnum

from tutor.domain.wav import SAMPLE_RATE, samples


class SampleFormat(StrEnum):
    UINT8 = "uint8"
    INT16 = "int16"
    INT32 = "int32"
    FLOAT = "float"

    @property
    def width(self) -> int:
        return {"uint8": 1, "int16": 2, "int32": 4, "float": 4}[self.value]


class PcmConverter:
    """Converts a stream of chunks; keeps what a chunk boundary cut (a part of a frame, the
    position between two samples), so the chunks join without a click."""

    def __init__(self, sample_format: SampleFormat, channels: int, rate: int) -> None:
        if channels < 1 or rate < 1:
            unusable = f"{channels} channels at {rate} Hz"  # i18n: ignore (a log's words)
            raise ValueError(unusable)
        self.sample_format = sample_format
        self.channels = channels
        self.rate = rate
        self._rest = b""
        self._step = rate / SAMPLE_RATE
        self._position = 0.0
        """Where the next output sample falls, in input samples after `_previous`."""
        self._previous: int | None = None

    @property
    def is_identity(self) -> bool:
        return (self.sample_format, self.channels, self.rate) == (
            SampleFormat.INT16,
            1,
            SAMPLE_RATE,
        )

    def feed(self, data: bytes) -> bytes:
        """16 kHz mono 16-bit PCM for `data` (what is left of a frame waits for the next)."""
        data = self._rest + data
        frame = self.sample_format.width * self.channels
        whole = len(data) - len(data) % frame
        self._rest = data[whole:]
        if self.is_identity:
            return data[:whole]
        mono = self._mono(self._as_int16(data[:whole]))
        return self._resampled(mono).tobytes()

    def _as_int16(self, data: bytes) -> list[int]:
        kind = self.sample_format
        if kind is SampleFormat.INT16:
            return list(samples(data))
        if kind is SampleFormat.UINT8:
            return [(b - 128) << 8 for b in data]
        count = len(data) // 4
        if kind is SampleFormat.INT32:
            return [v >> 16 for v in struct.unpack(f"<{count}i", data)]
        return [max(-32768, min(32767, int(v * 32767))) for v in struct.unpack(f"<{count}f", data)]

    def _mono(self, values: list[int]) -> list[int]:
        n = self.channels
        if n == 1:
            return values
        return [sum(values[i : i + n]) // n for i in range(0, len(values), n)]

    def _resampled(self, values: list[int]) -> array[int]:
        out = array("h")
        if self.rate == SAMPLE_RATE:
            out.extend(values)
            return out
        if not values:
            return out
        # The input with the last sample of the chunk before in front, so an output
        # sample that falls between two chunks is interpolated between them.
        joined = values if self._previous is None else [self._previous, *values]
        position = self._position
        last = len(joined) - 1
        step = self._step
        while position < last:
            index = int(position)
            fraction = position - index
            a, b = joined[index], joined[index + 1]
            out.append(int(a + (b - a) * fraction))
            position += step
        self._position = position - last
        self._previous = joined[-1]
        return out
