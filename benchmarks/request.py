"""Overhead per request: from the Enter key to the request's first byte on the wire.

Run: .venv/bin/python -m benchmarks.run --only request

The learner's text is in the composer; the clock starts just before Enter is pressed
(QTest.keyClick: the press goes through the composer, the window and the controller,
which commits the message, starts the coach's check and the reply's worker) and stops
when the local test server has read the request line of the partner's request
(RecordedRequest.arrived_at, the same perf_counter clock: the server runs in this
process). Meanwhile the GUI thread runs its event loop, as it does in the app. The
client is built and its connection open before the first timed send ("once warm"), as
the start-up warm-up leaves it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from benchmarks.common import Config, Figure, ms, spin, summary, wait_until
from benchmarks.data import MODEL, add_sessions
from benchmarks.gui import Running, copy_data, open_window
from tests.gui_helpers import is_checking
from tests.openai_server import OpenAITestServer, ScriptedReply, no_mistakes_reply

# A coach verdict takes a real model half a second or more; the test server answers at
# once, which puts the window's work on the verdict right where the partner's request
# is being built. Both are measured; the target is judged on the realistic one.
COACH_SECONDS = 0.5


def send_and_time(running: Running, server: OpenAITestServer, text: str) -> tuple[float, int]:
    """Milliseconds from Enter to the partner request's first byte, and the number of
    messages the request carried; waits for the reply and the check."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = running.window
    before = len(server.partner_requests())
    window.composer.setFocus()
    window.composer.setPlainText(text)
    spin(0.05)
    started = time.perf_counter()
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    wait_until(lambda: len(server.partner_requests()) > before)
    request = server.partner_records()[-1]
    assert isinstance(request.body, dict)
    wait_until(lambda: not window.practice.is_busy and not is_checking(window), timeout=20)
    return ms(request.arrived_at - started), len(request.body.get("messages", []))


def slow_coach(seconds: float) -> Callable[[dict[str, Any]], ScriptedReply]:
    """The default "no mistakes" verdict, sent after `seconds`, as a real model takes."""

    def reply(body: dict[str, Any]) -> ScriptedReply:
        verdict = no_mistakes_reply(body)
        return replace(verdict, token_delay=seconds / max(1, len(verdict.chunks())))

    return reply


def run(config: Config) -> list[Figure]:
    sends = 5 if config.quick else 15
    folder = copy_data(config.data, config.work / "request")
    short_id, long_id = add_sessions(folder, 10, 1000 if config.quick else 5000)
    found: dict[str, list[float]] = {}
    carried: dict[str, int] = {}
    with OpenAITestServer() as server:
        running = open_window(folder, server.base_url, MODEL)
        context = running.context
        server_config = context.server_config()
        assert server_config is not None
        context.clients.client(server_config)  # the start-up warm-up does this
        for coach, delay in (("coach after 0.5 s", COACH_SECONDS), ("coach at once", 0.0)):
            server.default_coach_reply = slow_coach(delay)
            for name, session_id in (("10 messages", short_id), ("long session", long_id)):
                running.window.open_session(session_id)
                spin(0.3)
                send_and_time(running, server, "Hola, ¿qué tal?")  # warm: connection open
                timed = [
                    send_and_time(running, server, f"Ayer fui al mercado con mi madre ({n}).")
                    for n in range(sends)
                ]
                found[f"{name}, {coach}"] = [overhead for overhead, _ in timed]
                carried[name] = max(count for _, count in timed)
        running.close()
    medians = {name: statistics.median(values) for name, values in found.items()}
    headline = {name: value for name, value in medians.items() if "0.5 s" in name}
    worst = max(headline.values())
    return [
        Figure(
            "request.overhead_ms",
            "Enter to the request's first byte on the wire, warm (median)",
            worst,
            "ms",
            15.0,
            measured=f"{worst:.1f} ms (worse of: "
            + "; ".join(f"{name} {value:.1f} ms" for name, value in medians.items())
            + ")",
            details={
                **{name: summary(values) for name, values in found.items()},
                "messages_in_request": carried,
            },
        )
    ]
