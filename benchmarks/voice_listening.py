"""Listening: how fast Tutor's own share of hearing a reply is, against the local test
server with known latencies.

Run: .venv/bin/python -m benchmarks.run --only voice

1. Server voices: a streamed reply's first sentence complete (the feed that completes
   it) → the speech request's first byte at the test server (the server stamps it when
   the request line is read; same process, same clock). Target ≤ 20 ms.
2. System voices (QtTextToSpeech's mock engine, on its own thread): the first sentence
   complete → the engine reports it speaks (`sentence_started` on the GUI thread).
   Target ≤ 100 ms.
3. In the real window, read aloud on, the test server streaming a five-sentence reply
   at 40 pieces a second (a local model's pace): how long before the reply has finished
   arriving its first sentence is heard, with system voices and with server voices (the
   speech server answering its first byte after SPEECH_FIRST_BYTE_S). One reply first,
   untimed: the fit meter loads Finnish's word lists then (its own benchmark's cost).
4. The event loop's lateness while speaking (a 1 ms precise timer, from the first
   sentence heard to the end of speech, in the runs of 3): p99 ≤ 16 ms.

This process has no sound server (the benchmark runs offscreen), so server speech is
played through the tests' ClockPlayer, which plays in real time by the clock; the
sound device's own buffer (tens of milliseconds) is not in these figures.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.common import Config, Figure, ms, offscreen, percentile, spin, summary, wait_until

offscreen()

from PySide6.QtCore import QObject, Qt, QTimer  # noqa: E402

from tests.fake_audio import ClockPlayer  # noqa: E402
from tests.gui_helpers import practice_argv  # noqa: E402
from tests.memory_keyring import MemoryKeyring  # noqa: E402
from tests.openai_server import OpenAITestServer, ScriptedReply  # noqa: E402
from tutor.domain.voice_settings import LanguageVoice, VoiceSettings  # noqa: E402
from tutor.llm.connection import ServerConfig  # noqa: E402
from tutor.services.voice import SpeechServerChoice, speech_server  # noqa: E402
from tutor.store.audio_cache import AudioCache  # noqa: E402
from tutor.ui.voice.server_voice import ServerVoice  # noqa: E402
from tutor.ui.voice.speaker import Speaker  # noqa: E402
from tutor.ui.voice.system_voice import SystemVoice  # noqa: E402

SPEECH_FIRST_BYTE_S = 0.15
"""The test speech server's time to its first byte (a fast local Kokoro-FastAPI)."""
PIECE_DELAY_S = 0.025  # 40 pieces a second
REPLY = (
    "Kiitos kysymyksestä. Asun pienessä kaupungissa järven rannalla. Kesällä uin joka "
    "aamu ja talvella hiihdän metsässä. Viikonloppuisin käyn usein torilla ostamassa "
    "marjoja. Entä sinä, mitä teet vapaa-aikanasi?"
)


def _bare_speaker(server: OpenAITestServer, folder: Path, engine: str) -> Speaker:
    config = ServerConfig(server.base_url, "kokoro")
    voice = ServerVoice(
        lambda: SpeechServerChoice(config, True),
        AudioCache(folder),
        player=ClockPlayer,
        output_check=lambda: True,
    )
    settings = VoiceSettings().with_voice("fi", LanguageVoice(engine, "", 1.0))  # type: ignore[arg-type]
    speaker = Speaker(lambda: settings, SystemVoice("mock"), voice)
    speaker.system.prepare()
    wait_until(lambda: speaker.system.is_ready, timeout=10)
    return speaker


def request_leaves(server: OpenAITestServer, folder: Path, rounds: int) -> list[float]:
    """ms from the feed that completes a first sentence to the speech request's arrival."""
    speaker = _bare_speaker(server, folder, "server")
    samples: list[float] = []
    for round_ in range(rounds + 1):  # the first warms the client (openai's import)
        message_id = 100 + round_
        before = len(server.speech.requests)
        speaker.start_stream(message_id, "fi", session_id=1)
        speaker.feed_stream(message_id, "Hyvää päivää")
        started = time.perf_counter()
        speaker.feed_stream(message_id, "Hyvää päivää. Mi")
        arrived = server.speech.wait_for_requests(before + 1, timeout=10)[-1].arrived_at
        if round_:
            samples.append(ms(arrived - started))
        speaker.stop()
        spin(0.05)
    speaker.system.shutdown()
    return samples


def system_starts(folder: Path, server: OpenAITestServer, rounds: int) -> list[float]:
    """ms from the feed that completes a first sentence to the mock engine speaking."""
    speaker = _bare_speaker(server, folder, "system")
    heard: list[float] = []
    speaker.sentence_started.connect(lambda *_args: heard.append(time.perf_counter()))
    samples: list[float] = []
    for round_ in range(rounds):
        message_id = 200 + round_
        heard.clear()
        speaker.start_stream(message_id, "fi", session_id=1)
        speaker.feed_stream(message_id, "Hyvää päivää")
        started = time.perf_counter()
        speaker.feed_stream(message_id, "Hyvää päivää. Mi")
        wait_until(lambda: bool(heard), timeout=10)
        samples.append(ms(heard[0] - started))
        speaker.stop()
        spin(0.05)
    speaker.system.shutdown()
    return samples


def window_replies(
    server: OpenAITestServer, data: Path, engine: str, rounds: int
) -> tuple[list[float], list[float]]:
    """In the window, read aloud: ms between the first sentence heard and the reply's
    end (positive: heard before it ended), and the event loop's lateness in ms."""
    from tutor.app import build_context, launch
    from tutor.cli.arguments import parse_arguments
    from tutor.services.voice import audio_cache

    options = parse_arguments(practice_argv(data, server, language="fi"))
    context, problem = build_context(options, {}, key_backend=MemoryKeyring())
    context.speech_engine = "mock"
    voice = VoiceSettings().with_voice("fi", LanguageVoice(engine, "", 1.0))  # type: ignore[arg-type]
    context.settings = context.settings.with_changes(voice=voice)
    window = launch(context, options, problem)
    wait_until(lambda: not window.practice.is_busy, timeout=20)
    controller = window.conversation.voice

    def make(parent: QObject) -> Speaker:
        server_voice = ServerVoice(
            lambda: speech_server(context.overrides, context.settings, context.keys),
            audio_cache(context.paths.data_dir),
            player=ClockPlayer,
            output_check=lambda: True,
        )
        return Speaker(lambda: context.settings.voice, SystemVoice("mock"), server_voice, parent)

    controller._make_speaker = make  # sound through the clock: no sound server here
    speaker = controller.speaker
    context.settings = context.settings.with_changes(voice=replace(voice, read_aloud=True))
    heard: list[float] = []
    speaker.sentence_started.connect(lambda *_args: heard.append(time.perf_counter()))
    ended: list[float] = []
    window.practice.message_updated.connect(
        lambda message: ended.append(time.perf_counter()) if message.text == REPLY else None
    )
    late: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        if heard and controller.is_speaking:
            late.append(max(0.0, ms(now - last[0]) - 1.0))
        last[0] = now

    timer.timeout.connect(tick)
    ahead: list[float] = []
    fit = window.conversation.level_fit
    for round_ in range(rounds + 1):  # the first untimed: the fit meter loads its lists
        wait_until(lambda: not fit.pending and not window.practice.is_busy, timeout=60)
        spin(0.3)
        heard.clear()
        ended.clear()
        server.enqueue(ScriptedReply(REPLY, token_delay=PIECE_DELAY_S))
        if round_:
            timer.start()
        window.practice.send(f"Kerro itsestäsi, ole hyvä ({round_}).")
        wait_until(lambda: bool(ended) and not controller.is_speaking, timeout=60)
        timer.stop()
        if round_:
            ahead.append(ms(ended[0] - heard[0]))
    window.close()
    context.tasks.wait_for_done(5000)
    context.sessions.close()
    return ahead, late


def run(config: Config) -> list[Figure]:
    from benchmarks.gui import application

    application()
    rounds = 5 if config.quick else 20
    window_rounds = 2 if config.quick else 5
    with OpenAITestServer() as server:
        server.speech.first_byte_delay = SPEECH_FIRST_BYTE_S
        server.speech.audio_seconds = 0.8  # a short sentence's speech
        requests = request_leaves(server, config.work / "cache-request", rounds)
        starts = system_starts(config.work / "cache-system", server, rounds)
        ahead_system, late_system = window_replies(
            server, config.work / "data-system", "system", window_rounds
        )
        ahead_server, late_server = window_replies(
            server, config.work / "data-server", "server", window_rounds
        )
    late = late_system + late_server
    late_p99 = percentile(late, 0.99)
    return [
        Figure(
            "voice.speech_request_ms",
            "first sentence complete → speech request at the server (median)",
            statistics.median(requests),
            "ms",
            20.0,
            measured=f"{statistics.median(requests):.1f} ms (p95 {percentile(requests, 0.95):.1f})",
            details=summary(requests),
        ),
        Figure(
            "voice.system_start_ms",
            "first sentence complete → system voice speaks (mock engine, median)",
            statistics.median(starts),
            "ms",
            100.0,
            measured=f"{statistics.median(starts):.1f} ms (p95 {percentile(starts, 0.95):.1f})",
            details=summary(starts),
        ),
        Figure(
            "voice.heard_before_end_system_ms",
            "first sentence heard before the reply ended (system voices)",
            min(ahead_system),
            "ms",
            0.0,
            higher_is_worse=False,
            measured=_ahead_words(ahead_system),
            details=summary(ahead_system),
        ),
        Figure(
            "voice.heard_before_end_server_ms",
            f"first sentence heard before the reply ended (server voices, first byte "
            f"{SPEECH_FIRST_BYTE_S * 1000:.0f} ms)",
            min(ahead_server),
            "ms",
            0.0,
            higher_is_worse=False,
            measured=_ahead_words(ahead_server),
            details=summary(ahead_server),
        ),
        Figure(
            "voice.speaking_latency_p99",
            "event-loop lateness while speaking, p99",
            late_p99,
            "ms",
            16.0,
            measured=f"{late_p99:.1f} ms (max {max(late):.1f}, {len(late)} ticks)",
            details=summary(late),
        ),
    ]


def _ahead_words(ahead: list[float]) -> str:
    return f"{statistics.median(ahead):.0f} ms before (least {min(ahead):.0f})"
