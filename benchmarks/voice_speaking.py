"""What speaking costs Tutor itself, against the test server (real HTTP on 127.0.0.1):

Run: .venv/bin/python -m benchmarks.run --only voice_speaking

- release: F4 released → the transcription request's first byte at the server (the
  recording stopped and made a WAV, the request handed to a pool thread and sent);
- landing: the transcript's last byte written by the server → the text in the composer
  (the answer read and parsed, handed back to the GUI thread, put in the composer);
- recording: the event loop's lateness (a 1 ms timer) while 5 s of speech are recorded,
  metered and timed, p99.

Real speech made by espeak-ng is fed as a microphone would (20 ms chunks), so no audio
device is needed; the first round warms the transcription client and is not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from benchmarks.common import Config, Figure, ms, percentile, spin, summary, wait_until
from benchmarks.gui import application
from tests.gui_helpers import practice_argv
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer
from tests.spoken_audio import LiveFeed, espeak_pcm

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPlainTextEdit

RELEASE_TARGET_MS = 50.0
LANDING_TARGET_MS = 20.0
LATENESS_TARGET_MS = 16.0


def run(config: Config) -> list[Figure]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tutor.app import build_context, launch
    from tutor.cli.arguments import parse_arguments

    application()
    speech = espeak_pcm("Hola, me llamo Ana y vivo en Madrid.")
    rounds = 4 if config.quick else 20
    release: list[float] = []
    landing: list[float] = []
    late: list[float] = []
    with OpenAITestServer() as server:
        data = config.work / "speaking"
        data.mkdir(parents=True)
        options = parse_arguments(practice_argv(data, server))
        context, _problem = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        practice, composer = window.practice, window.composer
        controller = window.conversation.speaking.controller
        wait_until(lambda: not practice.is_busy and bool(practice.messages))
        landed: list[float] = []
        composer.textChanged.connect(
            lambda: landed.append(time.perf_counter()) if composer.toPlainText() else None
        )
        for number in range(rounds + 1):
            expected = f"frase número {number}"
            server.transcriptions.enqueue(expected)
            seconds = 5 if number == rounds else 1
            feed = LiveFeed((speech * 3)[: 32000 * seconds])
            controller.audio_source = _source(feed)
            ticks = _lateness_probe(late) if number == rounds else None
            QTest.keyPress(composer, Qt.Key.Key_F4)
            wait_until(_exhausted(feed))
            if ticks is not None:
                ticks.stop()
            count = len(server.transcriptions.requests)
            landed.clear()
            released = time.perf_counter()
            QTest.keyRelease(composer, Qt.Key.Key_F4)
            wait_until(_composer_says(composer, expected))
            if number and number < rounds:
                arrived = server.transcriptions.requests[count].arrived_at
                release.append(ms(arrived - released))
                landing.append(ms(landed[0] - server.transcriptions.answered_at[count]))
            composer.clear()
            spin(0.05)
        LiveFeed.stop_all()
        window.close()
        context.tasks.wait_for_done(5000)
        context.sessions.close()
    return [
        _figure(
            "voice_speaking.release_ms",
            "F4 released → transcription request's first byte (median)",
            release,
            RELEASE_TARGET_MS,
        ),
        _figure(
            "voice_speaking.landing_ms",
            "Transcript answered → text in the composer (median)",
            landing,
            LANDING_TARGET_MS,
        ),
        Figure(
            "voice_speaking.recording_lateness_p99",
            "Event-loop lateness while recording 5 s of speech (p99)",
            percentile(late, 0.99),
            "ms",
            LATENESS_TARGET_MS,
            measured=f"{percentile(late, 0.99):.1f} ms (1 ms timer; median "
            f"{summary(late).get('median', 0):.2f}, worst {summary(late).get('max', 0):.1f} ms)",
            details={"late_ms": summary(late)},
        ),
    ]


def _source(feed: LiveFeed) -> Callable[[], LiveFeed]:
    return lambda: feed


def _exhausted(feed: LiveFeed) -> Callable[[], bool]:
    return lambda: feed.exhausted


def _composer_says(composer: QPlainTextEdit, text: str) -> Callable[[], bool]:
    return lambda: composer.toPlainText() == text


def _figure(key: str, title: str, values: list[float], target: float) -> Figure:
    median = percentile(values, 0.5)
    return Figure(
        key,
        title,
        median,
        "ms",
        target,
        measured=f"{median:.1f} ms (p95 {percentile(values, 0.95):.1f} ms, {len(values)} rounds)",
        details=summary(values),
    )


def _lateness_probe(late: list[float]) -> QTimer:
    """A 1 ms timer that notes how late each tick is."""
    from PySide6.QtCore import Qt, QTimer

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        late.append(max(0.0, ms(now - last[0]) - 1.0))
        last[0] = now

    timer.timeout.connect(tick)
    timer.start()
    return timer
