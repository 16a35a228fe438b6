"""Server speech through a real sound device: the test server's speech streamed into
Tutor's QAudioSink player (tutor/ui/voice/audio_out.py) on a private PulseAudio server
(tests/pulse_audio.py), recorded from its speakers. In a child process: QtMultimedia
connects to a sound server once a process (the test process has none)."""

from __future__ import annotations

import array
import json
import math
import wave
from pathlib import Path

from tests.pulse_audio import PulseAudio

_SAY = """
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QTimer
from tests.openai_server import OpenAITestServer
from tutor.llm.connection import ServerConfig
from tutor.services.voice import SpeechServerChoice
from tutor.store.audio_cache import AudioCache
from tutor.ui.voice.server_voice import ServerUtterance, ServerVoice

app = QCoreApplication([])
server = OpenAITestServer().start()
server.speech.audio_seconds = 1.0
server.speech.chunk_delay = 0.02  # streamed faster than it plays, in 0.1 s pieces
config = ServerConfig(server.base_url, "kokoro")
voice = ServerVoice(lambda: SpeechServerChoice(config, True), AudioCache(Path(sys.argv[1])))
events = []
started = time.perf_counter()
def note(name, quit=False):
    events.append([name, round(time.perf_counter() - started, 3)])
    if quit:
        app.quit()
voice.started.connect(lambda: note("started"))
voice.finished.connect(lambda: note("finished", True))
voice.failed.connect(lambda words: note("failed: " + words, True))
voice.say(ServerUtterance(1, 2, "Hola, ¿qué tal?", "ef_dora", 1.0))
QTimer.singleShot(15000, app.quit)
app.exec()
arrived = [round(r.arrived_at - started, 3) for r in server.speech.requests]
print(json.dumps({"events": events, "arrived": arrived}))
server.stop()
"""


def _loudest_rms(raw: bytes, window: int = 1600) -> float:
    samples = array.array("h")
    samples.frombytes(raw[: len(raw) - len(raw) % 2])
    return max(
        (
            math.sqrt(sum(s * s for s in samples[start : start + window]) / window)
            for start in range(0, len(samples) - window + 1, window)
        ),
        default=0.0,
    )


def test_server_speech_is_played_as_it_streams_and_heard(
    pulse_audio: PulseAudio, tmp_path: Path
) -> None:
    heard = tmp_path / "speakers.wav"
    recorder = pulse_audio.record_speakers(heard)
    try:
        result = pulse_audio.run_python(_SAY, str(tmp_path / "cache"))
    finally:
        recorder.terminate()
        recorder.wait(timeout=10)
    assert result.returncode == 0, result.stdout + result.stderr
    said = json.loads(result.stdout.strip().splitlines()[-1])
    names = [name for name, _at in said["events"]]
    assert names == ["started", "finished"], said
    (_, began), (_, ended) = said["events"]
    [arrived] = said["arrived"]  # (the first request also imports openai, in the child)
    assert began - arrived < 0.3, f"the first piece plays as soon as it comes: {said}"
    assert ended - began >= 0.7, f"a second of speech lasts about a second: {said}"
    assert list((tmp_path / "cache" / "1").glob("2-*.wav")), "kept for a replay"
    with wave.open(str(heard), "rb") as reader:
        raw = reader.readframes(reader.getnframes())
    assert _loudest_rms(raw) > 1000, f"loudest RMS {_loudest_rms(raw):.0f}: silence"
