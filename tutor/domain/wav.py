"""The learner's recordings as audio: 16 kHz mono 16-bit PCM, WAV in memory, its level,
and whether it holds enough to be worth transcribing.

16 kHz mono is what speech recognisers work at (Whisper resamples everything to it), so a
recording sent at that rate costs the least to upload and loses nothing the server uses.
Pure standard library (`wave`, `array`): no audio package to install, and no Qt.
"""

from __future__ import annotations

import io
import math
import sys
import wave
from array import array
from dataclasses import dataclass

SAMPLE_RATE = 16_000
CHANNELS = 1
SAMPLE_WIDTH = 2
"""Bytes per sample: signed 16-bit little-endian (Int16)."""
BYTES_PER_SECOND = SAMPLE_RATE * CHANNELS * SAMPLE_WIDTH

SILENCE_DBFS = -100.0
"""The level of digital silence (the log of 0 has no value; the meter's floor is above)."""
SHORTEST_SECONDS = 0.3
"""Shorter than this is a slip of the finger on the button, not a word: a one-syllable
word said quickly lasts about 0.25 s, and a press shorter than 0.3 s is a click."""
QUIET_PEAK_DBFS = -45.0
"""A recording whose loudest moment stays under this heard no voice: speech at arm's
length from a laptop microphone peaks around -20 to -6 dBFS, room noise stays near -60."""


class WavError(ValueError):
    """Bytes that are not a WAV file Tutor can read."""


@dataclass(frozen=True)
class WavInfo:
    """What a WAV file's header says."""

    sample_rate: int
    channels: int
    sample_width: int
    """Bytes per sample."""
    frames: int

    @property
    def duration(self) -> float:
        """Seconds of audio."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0

    @property
    def is_speech_format(self) -> bool:
        """16 kHz, mono, 16-bit: what Tutor records and sends."""
        return (self.sample_rate, self.channels, self.sample_width) == (
            SAMPLE_RATE,
            CHANNELS,
            SAMPLE_WIDTH,
        )


@dataclass(frozen=True)
class Level:
    """How loud a stretch of audio is, in dB below full scale (0 is the loudest)."""

    rms: float
    peak: float


def wav_bytes(pcm: bytes, sample_rate: int = SAMPLE_RATE, channels: int = CHANNELS) -> bytes:
    """16-bit PCM wrapped in a WAV file, in memory. An odd trailing byte is dropped."""
    whole = len(pcm) - len(pcm) % (SAMPLE_WIDTH * channels)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(sample_rate)
        out.writeframes(pcm[:whole])
    return buffer.getvalue()


def wav_info(data: bytes) -> WavInfo:
    """The header of a WAV file in memory; WavError if it is not one."""
    try:
        with wave.open(io.BytesIO(data), "rb") as source:
            return WavInfo(
                source.getframerate(),
                source.getnchannels(),
                source.getsampwidth(),
                source.getnframes(),
            )
    except (wave.Error, EOFError) as error:
        raise WavError(str(error) or "not a WAV file") from error  # i18n: ignore (log)


def wav_pcm(data: bytes) -> tuple[WavInfo, bytes]:
    """The header and the PCM frames of a WAV file in memory; WavError if it is not one."""
    info = wav_info(data)
    with wave.open(io.BytesIO(data), "rb") as source:
        return info, source.readframes(info.frames)


def samples(pcm: bytes) -> array[int]:
    """16-bit little-endian PCM as numbers (an odd trailing byte is dropped)."""
    values = array("h")
    values.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if values.itemsize != 2:  # pragma: no cover - every platform Tutor runs on has 2
        raise WavError("16-bit samples are not 2 bytes here")  # i18n: ignore
    if sys.byteorder == "big":  # pragma: no cover - WAV is little-endian
        values.byteswap()
    return values


def level(pcm: bytes) -> Level:
    """The RMS and peak level of 16-bit PCM, in dBFS (full scale is 32768)."""
    values = samples(pcm)
    if not values:
        return Level(SILENCE_DBFS, SILENCE_DBFS)
    peak = max(max(values), -min(values))
    square_sum = sum(v * v for v in values)
    return Level(_dbfs(math.sqrt(square_sum / len(values))), _dbfs(peak))


def _dbfs(amplitude: float) -> float:
    if amplitude <= 0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 20 * math.log10(amplitude / 32768))


def duration(pcm: bytes) -> float:
    """Seconds of 16 kHz mono 16-bit PCM."""
    return len(pcm) / BYTES_PER_SECOND


def is_too_short(pcm: bytes) -> bool:
    return duration(pcm) < SHORTEST_SECONDS


def is_too_quiet(pcm: bytes) -> bool:
    """No moment of the recording is loud enough to be a voice (QUIET_PEAK_DBFS).

    The peak, not the RMS: a short sentence in a long pause has a low average but a
    clear peak, and is worth sending."""
    return peak_dbfs(pcm) < QUIET_PEAK_DBFS


def peak_dbfs(pcm: bytes) -> float:
    """The loudest sample, in dBFS (max and min run in C: a minute takes milliseconds)."""
    values = samples(pcm)
    return _dbfs(max(max(values), -min(values))) if values else SILENCE_DBFS
