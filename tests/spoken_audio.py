"""Real speech for the recorder's tests, made by espeak-ng (a Debian package the test
machine has), and a live source that feeds it in real time like a microphone."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path

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
