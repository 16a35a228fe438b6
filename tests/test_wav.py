"""Recordings as audio: WAV in memory, its header read back, its level, and the rules
for a recording too short or too quiet; a microphone's own format converted."""

from __future__ import annotations

import itertools
import math
import struct
import wave
from array import array
from io import BytesIO

import pytest

from tests.spoken_audio import espeak_pcm
from tutor.domain.pcm_convert import PcmConverter, SampleFormat
from tutor.domain.wav import (
    QUIET_PEAK_DBFS,
    SILENCE_DBFS,
    WavError,
    duration,
    is_too_quiet,
    is_too_short,
    level,
    wav_bytes,
    wav_info,
    wav_pcm,
)


def tone(seconds: float, amplitude: float = 0.5, rate: int = 16_000, hz: float = 440.0) -> bytes:
    count = int(seconds * rate)
    values = array(
        "h", (int(amplitude * 32767 * math.sin(2 * math.pi * hz * i / rate)) for i in range(count))
    )
    return values.tobytes()


def test_a_recording_is_a_16_khz_mono_16_bit_wav_that_the_standard_reader_opens():
    pcm = tone(0.5)
    data = wav_bytes(pcm)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(BytesIO(data)) as reader:
        assert (reader.getframerate(), reader.getnchannels(), reader.getsampwidth()) == (
            16000,
            1,
            2,
        )
        assert reader.readframes(reader.getnframes()) == pcm
    info = wav_info(data)
    assert info.is_speech_format and info.duration == pytest.approx(0.5)
    assert wav_pcm(data)[1] == pcm


def test_an_odd_trailing_byte_is_dropped_not_written_as_half_a_sample():
    assert wav_info(wav_bytes(b"\x01\x00\x02")).frames == 1


@pytest.mark.parametrize("data", [b"", b"RIFF", b"not a wav file at all, really", b"ID3\x03" * 20])
def test_what_is_not_a_wav_file_is_said_so(data):
    with pytest.raises(WavError):
        wav_info(data)


def test_the_level_of_full_scale_and_half_scale_and_silence():
    assert level(tone(0.1, 1.0)).peak == pytest.approx(0.0, abs=0.01)
    assert level(tone(0.1, 1.0)).rms == pytest.approx(-3.01, abs=0.05)  # a sine: peak / √2
    assert level(tone(0.1, 0.5)).peak == pytest.approx(-6.02, abs=0.05)
    assert level(bytes(3200)).rms == SILENCE_DBFS
    assert level(b"").peak == SILENCE_DBFS


def test_too_short_and_too_quiet():
    assert is_too_short(tone(0.2)) and not is_too_short(tone(0.5))
    quiet = 10 ** (QUIET_PEAK_DBFS / 20) / 2  # 6 dB under the threshold
    assert is_too_quiet(tone(1.0, quiet))
    assert is_too_quiet(bytes(32000))
    assert not is_too_quiet(tone(1.0, 0.2))
    assert duration(tone(1.0)) == pytest.approx(1.0)


def test_real_speech_is_loud_enough_and_long_enough():
    pcm = espeak_pcm("Hola, me llamo Ana y vivo en Madrid.")
    assert 1.5 < duration(pcm) < 6
    assert not is_too_quiet(pcm) and not is_too_short(pcm)


def _peak_frequency(pcm: bytes, rate: int = 16000) -> float:
    """Counts zero crossings: a clean sine crosses twice a period."""
    values = array("h")
    values.frombytes(pcm)
    crossings = sum(1 for a, b in itertools.pairwise(values) if (a < 0) != (b < 0))
    return crossings / 2 / (len(values) / rate)


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_another_rate_becomes_16_khz_with_the_pitch_and_length_kept(rate):
    source = tone(1.0, rate=rate, hz=440)
    converter = PcmConverter(SampleFormat.INT16, 1, rate)
    # In chunks of odd sizes, as a device delivers them: the joins must not show.
    out = b"".join(converter.feed(source[i : i + 999]) for i in range(0, len(source), 999))
    assert duration(out) == pytest.approx(1.0, abs=0.002)
    assert _peak_frequency(out) == pytest.approx(440, rel=0.01)
    assert level(out).peak == pytest.approx(-6.02, abs=0.2)


def test_stereo_float_and_32_bit_and_8_bit_become_mono_16_bit():
    mono = array("h")
    mono.frombytes(tone(0.5, 0.5, rate=48000))
    floats = struct.pack(f"<{2 * len(mono)}f", *(v / 32767 for v in mono for _ in (0, 1)))
    out = PcmConverter(SampleFormat.FLOAT, 2, 48000).feed(floats)
    assert duration(out) == pytest.approx(0.5, abs=0.002)
    assert level(out).peak == pytest.approx(-6.02, abs=0.2)
    int32 = struct.pack(f"<{len(mono)}i", *(v << 16 for v in mono))
    assert PcmConverter(SampleFormat.INT32, 1, 48000).feed(int32)[:64]
    uint8 = bytes((v >> 8) + 128 for v in mono)
    out8 = PcmConverter(SampleFormat.UINT8, 1, 48000).feed(uint8)
    assert level(out8).peak == pytest.approx(-6.02, abs=0.5)


def test_16_khz_mono_16_bit_passes_through_untouched_even_cut_mid_sample():
    pcm = tone(0.1)
    converter = PcmConverter(SampleFormat.INT16, 1, 16000)
    assert converter.feed(pcm[:101]) + converter.feed(pcm[101:]) == pcm
