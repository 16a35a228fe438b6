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
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.shell.main_window import MainWindow

PIECES_PER_SECOND = 200
REPLY = (
    "¡Qué buena pregunta! Cuando era pequeña pasaba los veranos en el pueblo de mis "
    "abuelos, cerca de Granada. Por las mañanas íbamos al mercado a comprar fruta y pan, "
    "y por la tarde, cuando hacía menos calor, jugábamos en la plaza hasta la hora de cenar. "
)


def pieces(count: int) -> list[str]:
    """`count` stream pieces of ordinary Spanish, about a word each, as models send.

    Each pass over the text opens with its number, so the reply never repeats itself
    exactly: four identical passes would be a loop, which Tutor stops.
    """
    words = split_tokens(REPLY)
    return [
        f" {i // len(words)}." if i % len(words) == 0 and i else words[i % len(words)]
        for i in range(count)
    ]


def open_streaming_reply(window: MainWindow, server: OpenAITestServer, session_id: int) -> int:
    """Open the session and start a reply the server holds: returns its request id."""
    window.open_session(session_id)
    spin(0.2)
    before = len(server.partner_requests())
    server.enqueue(ScriptedReply(hang=True))
    window.practice.retry()
    reply = window.practice._reply
    assert reply is not None
    wait_until(
        lambda: len(server.partner_requests()) > before and window.chat._stream_cursor is not None
    )
    settle_at_end(window.chat)
    return reply.request_id


def one_piece(window: MainWindow, request_id: int, piece: str) -> float:
    """GUI-thread milliseconds of one piece painted alone, as the app paints it: the
    piece through the controller and the view, then the event loop until idle (layout,
    scrolling to follow the reply, painting what changed, flushing the window)."""
    from PySide6.QtCore import QCoreApplication

    practice = window.practice
    started = time.perf_counter()
    practice._stream.on_delta(request_id, piece)
    practice._stream.paint()
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    return ms(time.perf_counter() - started)


def per_piece_ms(
    windows: dict[str, MainWindow], request_ids: dict[str, int], count: int
) -> dict[str, list[float]]:
    """Per-piece samples for each window, the windows taking turns piece by piece, so
    that a busy moment on the machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in windows}
    for piece in pieces(count):
        for name, window in windows.items():
            times[name].append(one_piece(window, request_ids[name], piece))
    for name, window in windows.items():
        bar = window.chat.verticalScrollBar()
        if bar.value() < bar.maximum() - 4:
            raise RuntimeError(
                f"{name}: the view stopped following the reply ({bar.value()} of "
                f"{bar.maximum()}): the figure would be wrong"
            )
    return times


def settle_at_end(chat: ChatView) -> None:
    """Scroll to the end once the document's layout is done: Qt lays a long document
    out in steps between events, and until then its end keeps moving."""
    bar = chat.verticalScrollBar()
    last, stable = -1, 0
    while stable < 20:
        spin(0.01)
        stable = stable + 1 if bar.maximum() == last else 0
        last = bar.maximum()
    chat.scroll_to_end()
    spin(0.05)


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


def _median_stream(streams: list[dict[str, float | list[float]]]) -> dict[str, float]:
    found: dict[str, float] = {}
    for key in ("cpu_ms_per_piece", "pieces_per_second"):
        values = [stream[key] for stream in streams]
        found[key] = statistics.median(v for v in values if isinstance(v, float))
    return found


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
        # Three windows over one context, each streaming into its own view: the short
        # session, the long one (newest 150 drawn), the long one with all drawn.
        windows = {"short": running.window, "long": MainWindow(context)}
        windows["long_all_drawn"] = MainWindow(context)
        request_ids: dict[str, int] = {}
        for name, window in windows.items():
            window.resize(1000, 720)
            window.show()
            spin(0.1)
            request_ids[name] = open_streaming_reply(
                window, server, short_id if name == "short" else long_id
            )
        chat = windows["long_all_drawn"].chat
        chat.show_all(windows["long_all_drawn"].practice.messages_to_show())
        settle_at_end(chat)
        per_piece_ms(windows, request_ids, 20)  # untimed: caches and first layouts
        samples = per_piece_ms(windows, request_ids, count)
        for name, window in windows.items():
            window.practice.stop()
            if name != "short":
                window.close()
        server.release_hanging()
        spin(0.2)

        delay = calibrate(running, server, short_id)
        # Alternating streams, the median of each: one stream is at the mercy of the
        # machine's other work for its 2 seconds.
        live: dict[str, list[dict[str, float | list[float]]]] = {"short": [], "long": []}
        for _ in range(1 if config.quick else 3):
            live["short"].append(live_stream(running, server, short_id, count, False, delay))
            live["long"].append(live_stream(running, server, long_id, count, False, delay))
        live_short, live_long = _median_stream(live["short"]), _median_stream(live["long"])
        latency = live_stream(running, server, long_id, count, True, delay)
        running.close()

    short = statistics.median(samples["short"])
    long = statistics.median(samples["long"])
    long_all = statistics.median(samples["long_all_drawn"])
    late = latency["late_ms"]
    assert isinstance(late, list)
    p99 = summary(late)["p99"] if late else float("nan")
    cpu_short, cpu_long = live_short["cpu_ms_per_piece"], live_long["cpu_ms_per_piece"]
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
                "short": live_short,
                "long": live_long,
                "streams": len(live["short"]),
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
