"""Streaming: what one streamed piece costs the GUI thread, at 10 and at 5,000 messages,
and how late the event loop runs while a reply streams at 200 pieces a second.

Run: .venv/bin/python -m benchmarks.run --only streaming

1. Per piece: a reply is started against the local test server (which holds it, so
   the reply stays open, the view following its end), then each piece goes through the
   real path on the GUI thread, `PracticeController._on_delta` → `_paint` →
   `ChatView.append_text`, and the event loop runs until idle: layout, the scroll that
   follows the reply, the paint of what changed and the flush. The time of all that is
   one sample. This is the worst case: the app coalesces pieces into one paint a frame,
   here every piece is painted alone.
2. Live: the test server streams a reply at 200 pieces a second through the real client
   (HTTP, SSE, the worker thread, queued signals). The GUI thread's CPU time from the
   first paint to the end of the reply (the coach's verdict, the sidebar refresh and
   the final save included), divided by the pieces, is a second per-piece figure; in a
   separate stream a 1 ms precise QTimer records how late each tick comes (the event
   loop's latency).

Both run in a copy of the large data dir (1,000 sessions), so the sidebar the app
refreshes when a reply or a coach verdict arrives is as long as a heavy user's.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.common import Config, Figure, ms, spin, summary, wait_until
from benchmarks.data import MODEL, add_sessions
from benchmarks.gui import Running, copy_data, open_window
from tests.openai_server import OpenAITestServer, ScriptedReply, split_tokens

PIECES_PER_SECOND = 200
REPLY = (
    "¡Qué buena pregunta! Cuando era pequeña pasaba los veranos en el pueblo de mis "
    "abuelos, cerca de Granada. Por las mañanas íbamos al mercado a comprar fruta y pan, "
    "y por la tarde, cuando hacía menos calor, jugábamos en la plaza hasta la hora de cenar. "
)


def pieces(count: int) -> list[str]:
    """`count` stream pieces of ordinary Spanish, about a word each, as models send."""
    words = split_tokens(REPLY)
    return [words[i % len(words)] for i in range(count)]


def open_streaming_reply(running: Running, server: OpenAITestServer, session_id: int) -> int:
    """Open the session and start a reply the server holds: returns its request id."""
    window = running.window
    window.open_session(session_id)
    spin(0.2)
    server.enqueue(ScriptedReply(hang=True))
    window.practice.retry()
    reply = window.practice._reply
    assert reply is not None
    wait_until(lambda: len(server.partner_requests()) > 0 and _streaming_shown(running))
    return reply.request_id


def _streaming_shown(running: Running) -> bool:
    return running.window.chat._stream_cursor is not None


def per_piece_ms(running: Running, request_id: int, count: int) -> list[float]:
    """GUI-thread milliseconds per piece, each painted alone as the app paints it: the
    piece through the controller and the view, then the event loop until idle (layout,
    scrolling to follow the reply, painting what changed, flushing the window)."""
    from PySide6.QtCore import QCoreApplication

    practice, chat = running.window.practice, running.window.chat
    chat.scroll_to_end()
    spin(0.05)
    times = []
    for piece in pieces(count):
        started = time.perf_counter()
        practice._on_delta(request_id, piece)
        practice._paint()
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        times.append(ms(time.perf_counter() - started))
    bar = chat.verticalScrollBar()
    if bar.value() < bar.maximum() - 4:
        raise RuntimeError("the view stopped following the reply: the figure would be wrong")
    return times


def stop_reply(running: Running, server: OpenAITestServer) -> None:
    running.window.practice.stop()
    server.release_hanging()
    spin(0.1)


def live_stream(
    running: Running,
    server: OpenAITestServer,
    session_id: int,
    count: int,
    probe: bool,
    delay: float,
) -> dict[str, float | list[float]]:
    """Stream `count` pieces at 200 a second into the open session; GUI-thread CPU per
    piece, and with `probe` the lateness of a 1 ms timer while the reply streams."""
    from PySide6.QtCore import Qt, QTimer

    window = running.window
    if window.practice.session is None or window.practice.session.id != session_id:
        window.open_session(session_id)
        spin(0.2)
    server.enqueue(ScriptedReply(tokens=pieces(count), token_delay=delay))
    got: list[float] = []
    cpu_at_first = [0.0]

    def painted(_message_id: int, _text: str) -> None:
        if not got:
            # From the first paint on: the request itself (building the history on the
            # GUI thread) is the request benchmark's business, not a piece's.
            cpu_at_first[0] = time.thread_time()
        got.append(time.perf_counter())

    window.practice.reply_text.connect(painted)
    late: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        if got and window.practice.is_busy:
            late.append(max(0.0, ms(now - last[0]) - 1.0))
        last[0] = now

    timer.timeout.connect(tick)
    if probe:
        timer.start()
    window.practice.send("Cuéntame algo de tu infancia, por favor.")
    wait_until(lambda: not window.practice.is_busy, timeout=60)
    cpu = time.thread_time() - cpu_at_first[0]
    wall = time.perf_counter() - got[0]
    timer.stop()
    window.practice.reply_text.disconnect(painted)
    spin(0.3)  # the coach's verdict and the sidebar refresh land before the next stream
    return {
        "cpu_ms_per_piece": ms(cpu) / count,
        "pieces_per_second": count / wall,
        "late_ms": late,
    }


def calibrate(running: Running, server: OpenAITestServer, session_id: int) -> float:
    """The server's delay per piece that makes 200 pieces a second through the whole
    path: each piece also costs the server, the client and the worker some time."""
    trial = 0.005
    rate = live_stream(running, server, session_id, 100, False, trial)["pieces_per_second"]
    assert isinstance(rate, float)
    overhead = max(0.0, 1 / rate - trial)
    return max(0.0, 1 / PIECES_PER_SECOND - overhead)


def run(config: Config) -> list[Figure]:
    short_count, long_count = 10, (1000 if config.quick else 5000)
    count = 100 if config.quick else 400
    folder = copy_data(config.data, config.work / "streaming")
    short_id, long_id = add_sessions(folder, short_count, long_count)
    with OpenAITestServer() as server:
        running = open_window(folder, server.base_url, MODEL)
        context = running.context
        config_now = context.server_config()
        assert config_now is not None
        context.clients.client(config_now)  # warm: built at start-up in the app
        samples: dict[str, list[float]] = {}
        for name, session_id in (("short", short_id), ("long", long_id)):
            request_id = open_streaming_reply(running, server, session_id)
            per_piece_ms(running, request_id, 20)  # untimed: caches and first layout
            samples[name] = per_piece_ms(running, request_id, count)
            stop_reply(running, server)
        # The long session with every message drawn ("Show earlier messages").
        request_id = open_streaming_reply(running, server, long_id)
        running.window.chat.show_all(running.window.practice.messages_to_show())
        spin(0.2)
        per_piece_ms(running, request_id, 20)
        samples["long_all_drawn"] = per_piece_ms(running, request_id, count)
        stop_reply(running, server)

        delay = calibrate(running, server, short_id)
        live_short = live_stream(running, server, short_id, count, False, delay)
        live_long = live_stream(running, server, long_id, count, False, delay)
        latency = live_stream(running, server, long_id, count, True, delay)
        running.close()

    short = statistics.median(samples["short"])
    long = statistics.median(samples["long"])
    long_all = statistics.median(samples["long_all_drawn"])
    late = latency["late_ms"]
    assert isinstance(late, list)
    p99 = summary(late)["p99"] if late else float("nan")
    cpu_short, cpu_long = live_short["cpu_ms_per_piece"], live_long["cpu_ms_per_piece"]
    assert isinstance(cpu_short, float) and isinstance(cpu_long, float)
    worst_ratio = max(long, long_all) / short
    return [
        Figure(
            "streaming.piece_ratio",
            f"Per-piece GUI time, {long_count:,} vs {short_count} messages (median)",
            worst_ratio,
            "×",
            1.2,
            measured=f"{worst_ratio:.2f}× ({max(long, long_all):.2f} ms vs {short:.2f} ms; "
            f"newest 150 drawn {long / short:.2f}×, all drawn {long_all / short:.2f}×)",
            details={name: summary(values) for name, values in samples.items()},
        ),
        Figure(
            "streaming.piece_ms",
            f"Per-piece GUI time at {long_count:,} messages, all drawn (median)",
            max(long, long_all),
            "ms",
            2.0,
            measured=f"{max(long, long_all):.2f} ms (piece, layout, scroll and paint)",
        ),
        Figure(
            "streaming.live_cpu_ratio",
            "GUI-thread CPU per piece while streaming live, long vs short session",
            cpu_long / cpu_short,
            "×",
            None,
            measured=f"{cpu_long / cpu_short:.2f}× ({cpu_long:.3f} vs {cpu_short:.3f} ms a "
            f"piece at {live_long['pieces_per_second']:.0f} pieces/s)",
            details={
                "short": {k: v for k, v in live_short.items() if k != "late_ms"},
                "long": {k: v for k, v in live_long.items() if k != "late_ms"},
            },
        ),
        Figure(
            "streaming.latency_p99",
            "Event-loop lateness while streaming 200 pieces/s (p99)",
            p99,
            "ms",
            16.0,
            measured=f"{p99:.1f} ms (1 ms timer; median {summary(late).get('median', 0):.2f}, "
            f"worst {summary(late).get('max', 0):.1f} ms, "
            f"{latency['pieces_per_second']:.0f} pieces/s)",
            details={"late_ms": summary(late)},
        ),
    ]
