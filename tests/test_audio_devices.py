"""Real audio devices end to end, on a private PulseAudio server (tests/pulse_audio.py):
QtMultimedia sees its speakers and microphone, and a QAudioSource recording (16 kHz mono
Int16, as Tutor records) hears espeak-ng's speech played into the microphone."""

from __future__ import annotations

import array
import json
import math
import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from tests.pulse_audio import (
    MICROPHONE_DESCRIPTION,
    MICROPHONE_RATE,
    SPEAKERS_DESCRIPTION,
    PulseAudio,
    pcm_of_wav,
)
from tests.system_packages import skip_unless_installed

_LIST_DEVICES = """
import json
from PySide6.QtCore import QCoreApplication
from PySide6.QtMultimedia import QMediaDevices
app = QCoreApplication([])
devices = QMediaDevices()
print(json.dumps({
    "outputs": [device.description() for device in devices.audioOutputs()],
    "inputs": [device.description() for device in devices.audioInputs()],
    "default_output": QMediaDevices.defaultAudioOutput().description(),
    "default_input": QMediaDevices.defaultAudioInput().description(),
}))
"""

# Records 2 s from the default microphone into argv[1] as raw samples; says "recording"
# once the source is started, so the test plays into the microphone only then.
_RECORD = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSource, QMediaDevices
app = QCoreApplication([])
device = QMediaDevices.defaultAudioInput()
audio_format = QAudioFormat()
audio_format.setSampleRate(16000)
audio_format.setChannelCount(1)
audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
assert device.isFormatSupported(audio_format), "16 kHz mono Int16 refused"
source = QAudioSource(device, audio_format)
stream = source.start()
samples = bytearray()
stream.readyRead.connect(lambda: samples.extend(stream.readAll().data()))
print("recording", device.description(), flush=True)
def finish():
    samples.extend(stream.readAll().data())
    error = source.error()
    source.stop()
    open(sys.argv[1], "wb").write(bytes(samples))
    print("error", error.name, flush=True)
    app.quit()
QTimer.singleShot(2000, finish)
app.exec()
"""


# Plays argv[1] through QMediaPlayer on the default output, as server voices are played.
_PLAY = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
app = QCoreApplication([])
player = QMediaPlayer()
output = QAudioOutput()
player.setAudioOutput(output)
print("output", output.device().description(), flush=True)
player.errorOccurred.connect(lambda error, text: (print("error", text, flush=True), app.exit(1)))
player.mediaStatusChanged.connect(
    lambda status: app.quit() if status == QMediaPlayer.MediaStatus.EndOfMedia else None
)
player.setSource(QUrl.fromLocalFile(sys.argv[1]))
player.play()
QTimer.singleShot(20000, lambda: app.exit(2))
sys.exit(app.exec())
"""

# What Tutor's recorder and player meet on a machine with no sound server.
_NO_SERVER = """
import json
from PySide6.QtCore import QCoreApplication
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QAudioSource, QMediaDevices
app = QCoreApplication([])
devices = QMediaDevices()
audio_format = QAudioFormat()
audio_format.setSampleRate(16000)
audio_format.setChannelCount(1)
audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
source = QAudioSource(QMediaDevices.defaultAudioInput(), audio_format)
recording = source.start()
sink = QAudioSink(QMediaDevices.defaultAudioOutput(), audio_format)
playing = sink.start()
print(json.dumps({
    "outputs": len(devices.audioOutputs()),
    "inputs": len(devices.audioInputs()),
    "no_default_input": QMediaDevices.defaultAudioInput().isNull(),
    "no_default_output": QMediaDevices.defaultAudioOutput().isNull(),
    "source": [source.state().name, source.error().name, recording is None],
    "sink": [sink.state().name, sink.error().name, playing is None],
}))
"""


def _espeak(tmp_path: Path, voice: str, text: str) -> Path:
    skip_unless_installed(
        None if shutil.which("espeak-ng") else "espeak-ng is not installed (scripts/bootstrap)"
    )
    wav = tmp_path / f"{voice}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True, timeout=30)
    return wav


def _loudest_rms(raw: bytes, window: int = 1600) -> float:
    """The root mean square of the loudest 0.1 s window (16 kHz Int16 samples)."""
    samples = array.array("h")
    samples.frombytes(raw[: len(raw) - len(raw) % 2])
    return max(
        (
            math.sqrt(sum(s * s for s in samples[start : start + window]) / window)
            for start in range(0, len(samples) - window + 1, window)
        ),
        default=0.0,
    )


def test_qt_lists_the_private_speakers_and_microphone_as_the_defaults(pulse_audio: PulseAudio):
    result = pulse_audio.run_python(_LIST_DEVICES)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert SPEAKERS_DESCRIPTION in found["outputs"], found
    assert found["default_output"] == SPEAKERS_DESCRIPTION
    assert found["default_input"] == MICROPHONE_DESCRIPTION
    assert found["inputs"] == [MICROPHONE_DESCRIPTION]  # monitors are not microphones


def test_a_recording_from_the_microphone_hears_the_speech_played_into_it(
    pulse_audio: PulseAudio, tmp_path: Path
):
    speech = _espeak(tmp_path, "es", "Hola, ¿cómo estás? Me llamo Tutor.")
    recording = tmp_path / "recording.raw"
    child = pulse_audio.start_python(_RECORD, str(recording))
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith(f"recording {MICROPHONE_DESCRIPTION}"), (
            first + child.communicate(timeout=30)[1]
        )
        pulse_audio.play_into_microphone(speech)
        stdout, stderr = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, stderr
    assert "error NoError" in stdout, stdout + stderr
    raw = recording.read_bytes()
    seconds = len(raw) / 2 / 16000
    assert 1.5 <= seconds <= 2.5, f"{seconds:.2f} s recorded"
    # A null sink's monitor gives exact zeros; espeak-ng's speech peaks near 10 000.
    assert _loudest_rms(raw) > 1000, f"loudest RMS {_loudest_rms(raw):.0f}: silence"


def test_speech_played_by_qt_reaches_the_speakers(pulse_audio: PulseAudio, tmp_path: Path):
    speech = _espeak(tmp_path, "es", "Hola, ¿cómo estás?")
    heard = tmp_path / "speakers.wav"
    recorder = pulse_audio.record_speakers(heard)
    try:
        result = pulse_audio.run_python(_PLAY, str(speech))
    finally:
        recorder.terminate()
        recorder.wait(timeout=10)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"output {SPEAKERS_DESCRIPTION}" in result.stdout
    with wave.open(str(heard), "rb") as reader:
        assert (reader.getframerate(), reader.getnchannels()) == (16000, 1)
        raw = reader.readframes(reader.getnframes())
    assert _loudest_rms(raw) > 1000, f"loudest RMS {_loudest_rms(raw):.0f}: silence"


def test_without_a_sound_server_there_are_no_devices_and_audio_fails_to_open(tmp_path: Path):
    """No microphone, no audio output: the state the features must say (not crash on)."""
    result = subprocess.run(
        [sys.executable, "-c", _NO_SERVER],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PULSE_SERVER": f"unix:{tmp_path / 'no-server'}",
            "XDG_RUNTIME_DIR": str(tmp_path),
            "PIPEWIRE_RUNTIME_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "outputs": 0,
        "inputs": 0,
        "no_default_input": True,
        "no_default_output": True,
        "source": ["StoppedState", "OpenError", True],
        "sink": ["StoppedState", "OpenError", True],
    }


def test_the_microphone_is_silent_when_nothing_is_played(pulse_audio: PulseAudio, tmp_path: Path):
    """The check above measures what was played, not noise the virtual device makes."""
    recording = tmp_path / "recording.raw"
    result = pulse_audio.run_python(_RECORD, str(recording))
    assert result.returncode == 0, result.stderr
    assert _loudest_rms(recording.read_bytes()) < 10


def test_a_wav_file_reaches_the_microphone_as_16_khz_mono_at_its_volume(tmp_path: Path):
    """What play_into_microphone feeds: any WAV as the microphone's format, scaled."""
    stereo = tmp_path / "stereo.wav"
    with wave.open(str(stereo), "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(22050)
        tone = [round(8000 * math.sin(2 * math.pi * 440 * i / 22050)) for i in range(22050)]
        writer.writeframes(array.array("h", [v for value in tone for v in (value, value)]))
    pcm = pcm_of_wav(stereo)
    assert len(pcm) == 2 * MICROPHONE_RATE  # one second of 16-bit mono
    loud = _loudest_rms(pcm)
    assert 8000 / math.sqrt(2) * 0.95 < loud < 8000 / math.sqrt(2) * 1.05
    assert _loudest_rms(pcm_of_wav(stereo, volume=0.01)) == pytest.approx(loud * 0.01, rel=0.1)
    clipped = array.array("h")
    clipped.frombytes(pcm_of_wav(stereo, volume=8))
    assert max(clipped) == 32767 and min(clipped) == -32768
