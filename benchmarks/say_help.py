"""What help with what to say costs the window's thread.

Run: .venv/bin/python -m benchmarks.run --only say_help

- ask: Enter on "? I'd like the bill …" until the key is handled: the question read, the
  kept answers looked up in SQLite, the request handed to a pool thread and the panel
  drawn with "Asking…" (the model's answer arrives later, off this thread);
- draw: what the "Say it more simply" link adds to drawing 150 messages at once (a
  session opened), the same ChatView with and without the decorator.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

from benchmarks.common import Config, Figure, ms, spin, summary, wait_until
from benchmarks.gui import application
from tests.gui_helpers import practice_argv
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer

ASK_TARGET_MS = 16.0
"""One frame at 60 Hz: the panel opens with the key press, not after it."""
DRAW_TARGET_MS = 10.0


def run(config: Config) -> list[Figure]:
    application()
    return [_ask(config), _draw(config)]


def _ask(config: Config) -> Figure:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from tutor.app import build_context, launch
    from tutor.cli.arguments import parse_arguments

    rounds = 5 if config.quick else 30
    with OpenAITestServer() as server:
        data = config.work / "ask"
        data.mkdir(parents=True)
        options = parse_arguments(practice_argv(data, server))
        context, _problem = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        practice, panel = window.practice, window.conversation.assist.panel
        wait_until(lambda: not practice.is_busy and bool(practice.messages))
        times = []
        for number in range(rounds):
            window.composer.setPlainText(f"? I'd like the bill, number {number}")
            spin(0.02)
            started = time.perf_counter()
            QTest.keyClick(window.composer, Qt.Key.Key_Return)
            times.append(ms(time.perf_counter() - started))
            wait_until(lambda: bool(panel.use_buttons))
        window.close()
        context.tasks.wait_for_done(5000)
        context.sessions.close()
    median = statistics.median(times)
    return Figure(
        "say_help.ask_ms",
        '"? …" + Enter to the panel asking (GUI thread, median)',
        median,
        "ms",
        ASK_TARGET_MS,
        measured=f"{median:.2f} ms (p95 {summary(times)['p95']:.2f} ms, {rounds} asks)",
        details=summary(times),
    )


def _draw(config: Config) -> Figure:
    from PySide6.QtCore import QObject, Signal

    from tutor.domain.conversation import ChatMessage, Role
    from tutor.ui.chat.chat_view import ChatView
    from tutor.ui.chat.simpler import SimplerWording

    class Practice(QObject):  # what the decorator reads of the practice controller
        session_opened = Signal(object, list)
        messages: tuple[ChatMessage, ...] = ()
        session = None

    start = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    messages = [
        ChatMessage(
            i,
            1,
            Role.ASSISTANT if i % 2 else Role.USER,
            f"Mensaje número {i}: ¿qué tal el fin de semana en la playa?",
            start + timedelta(minutes=i),
        )
        for i in range(1, 151)
    ]
    rounds = 3 if config.quick else 15

    def draw_ms(decorated: bool) -> float:
        view = ChatView()
        view.resize(700, 500)
        if decorated:
            SimplerWording(None, Practice(), view)  # type: ignore[arg-type]
        times = []
        for _round in range(rounds):
            started = time.perf_counter()
            view.show_messages(messages, limit=None)
            times.append(ms(time.perf_counter() - started))
        view.deleteLater()
        return statistics.median(times)

    plain, decorated = draw_ms(False), draw_ms(True)
    added = decorated - plain
    return Figure(
        "say_help.draw_added_ms",
        '"Say it more simply" links added to drawing 150 messages',
        added,
        "ms",
        DRAW_TARGET_MS,
        measured=f"{added:.1f} ms ({plain:.1f} → {decorated:.1f} ms)",
        details={"plain_ms": plain, "decorated_ms": decorated},
    )
