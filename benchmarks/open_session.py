"""Opening a long session: from the click to the painted conversation.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.open_session [--messages N]
Half the messages are the learner's, each with a stored correction and a mark, so the
marks are drawn too. The issue's target for 2,000 messages is under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from tests.memory_keyring import MemoryKeyring
from tutor.app import build_context, parse_arguments
from tutor.domain.conversation import Role
from tutor.domain.corrections import CoachPath, CoachVerdict, build_marks
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.ui.chat_view import OPENING_WINDOW
from tutor.ui.context import AppContext
from tutor.ui.main_window import MainWindow

LEARNER = "Ayer yo fue al parque con mi hermana y comimos un helado."
CORRECTED = "Ayer yo fui al parque con mi hermana y comimos un helado."
PARTNER = "¡Qué bien! ¿Y qué sabor de helado elegisteis? A mí me encanta el de chocolate."


def fill(context: AppContext, count: int) -> int:
    session = context.sessions.create_session(
        LearnerProfile("es", Level.B1, "en"),
        FREE_CONVERSATION,
        base_url="http://127.0.0.1:9/v1",
        model="m",
        system_message="s",
    )
    verdict = CoachVerdict(CORRECTED, ())
    marks = build_marks(LEARNER, verdict)
    for index in range(count):
        learner = index % 2 == 1
        message = context.sessions.add_message(
            session.id, Role.USER if learner else Role.ASSISTANT, LEARNER if learner else PARTNER
        )
        if learner:
            context.corrections.save(
                message.id, verdict, marks, model="m", path=CoachPath.JSON_SCHEMA, usage=None
            )
    return session.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        options = parse_arguments(["--data-dir", folder])
        context, _ = build_context(options, {}, key_backend=MemoryKeyring())
        other = fill(context, 10)
        long = fill(context, args.messages)
        window = MainWindow(context)
        window.resize(1000, 720)
        window.show()
        app.processEvents()
        times = []
        for _ in range(7):
            window.open_session(other)
            app.processEvents()
            started = time.perf_counter()
            window.open_session(long)
            window.chat.viewport().repaint()
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"open a {args.messages:,}-message session "
            f"(newest {OPENING_WINDOW} drawn, with marks): "
            f"median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms"
        )
        started = time.perf_counter()
        window.chat.show_all(window.practice.messages_to_show())
        window.chat.viewport().repaint()
        print(f"then show all {args.messages:,}: {(time.perf_counter() - started) * 1000:.0f} ms")
        window.close()
        context.sessions.close()


if __name__ == "__main__":
    main()
