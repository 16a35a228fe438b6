"""Speaking through a real audio device, end to end: Tutor's window in a child process
records from a PulseAudio microphone (tests/pulse_audio.py: a private server whose
microphone is fed espeak-ng's speech in real time) while F4 is held, the transcription
request reaches the test server with that speech as a 16 kHz mono WAV and the language
hint, the transcript lands in the composer, and sent, it is a spoken message with its
recording kept. Slow (a few seconds of real-time audio); skipped where PulseAudio
cannot run."""

from __future__ import annotations

import array
import json
import math
import shutil
import subprocess
from pathlib import Path

from tests.openai_server import OpenAITestServer
from tests.pulse_audio import PulseAudio
from tests.system_packages import skip_unless_installed
from tutor.domain.wav import wav_pcm

HOLD_SECONDS = 4.0

_WINDOW = """
import json, sys, time
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from tests.gui_helpers import practice_argv
from tests.memory_keyring import MemoryKeyring
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.store.recordings import RecordingStore

class Server:
    base_url = sys.argv[1]

data, hold = sys.argv[2], float(sys.argv[3])
options = parse_arguments(practice_argv(data, Server()))
context, _ = build_context(options, {}, key_backend=MemoryKeyring())
window = launch(context, options)
practice, composer = window.practice, window.composer
speaking = window.conversation.speaking.controller
wait_for(lambda: not practice.is_busy and bool(practice.messages), timeout=20)
composer.setFocus()
QTest.keyPress(composer, Qt.Key.Key_F4)
status = speaking.strip.status.text()
print("recording" if speaking.is_recording else "not recording: " + status, flush=True)
end = time.monotonic() + hold
while time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
QTest.keyRelease(composer, Qt.Key.Key_F4)
wait_for(lambda: bool(composer.toPlainText()) or speaking.strip.retry.isVisible(), timeout=20)
heard = composer.toPlainText()
problem = speaking.strip.status.text() if speaking.strip.retry.isVisible() else ""
QTest.keyClick(composer, Qt.Key.Key_Return)
wait_for(lambda: not practice.is_busy, timeout=20)
spoken = [m for m in practice.messages if m.text == heard]
store = RecordingStore.in_data_folder(context.paths.data_dir)
if spoken:
    wait_for(lambda: store.has(spoken[0].session_id, spoken[0].id), timeout=10)
print(json.dumps({
    "heard": heard,
    "problem": problem,
    "spoken": bool(spoken) and spoken[0].spoken,
    "kept": bool(spoken) and store.has(spoken[0].session_id, spoken[0].id),
}), flush=True)
window.close()
context.tasks.wait_for_done(5000)
"""


def _loudest_rms(pcm: bytes, window: int = 1600) -> float:
    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    return max(
        (
            math.sqrt(sum(s * s for s in samples[i : i + window]) / window)
            for i in range(0, len(samples) - window + 1, window)
        ),
        default=0.0,
    )


def test_hold_f4_say_a_sentence_into_a_real_microphone_and_send_it(
    pulse_audio: PulseAudio, tmp_path: Path
):
    skip_unless_installed(None if shutil.which("espeak-ng") else "espeak-ng is not installed")
    speech = tmp_path / "speech.wav"
    said = "Hola, me llamo Ana y vivo en Madrid."
    subprocess.run(["espeak-ng", "-v", "es", "-w", str(speech), said], check=True, timeout=30)
    data = tmp_path / "data"
    data.mkdir()
    with OpenAITestServer() as server:
        server.transcriptions.enqueue("hola me llamo ana y vivo en madrid")
        child = pulse_audio.start_python(_WINDOW, server.base_url, str(data), str(HOLD_SECONDS))
        try:
            assert child.stdout is not None
            first = child.stdout.readline()
            assert first.startswith("recording"), first + child.communicate(timeout=30)[1]
            pulse_audio.play_into_microphone(speech)
            stdout, stderr = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
        assert child.returncode == 0, stderr[-3000:]
        outcome = json.loads(stdout.strip().splitlines()[-1])
        (request,) = server.transcriptions.requests
    assert outcome == {
        "heard": "hola me llamo ana y vivo en madrid",
        "problem": "",
        "spoken": True,
        "kept": True,
    }, stderr[-3000:]
    info, pcm = wav_pcm(request.audio)
    assert info.is_speech_format and request.language == "es"
    assert abs(info.duration - HOLD_SECONDS) < 0.5, info.duration
    assert _loudest_rms(pcm) > 1000, "the recording is silence: the speech did not reach it"
