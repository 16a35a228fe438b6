"""A long history: opening a 2,000-message session, scrolling through it, and memory.

Run: .venv/bin/python -m benchmarks.run --only history

Half the messages are the learner's, each with a stored correction (and a mark where the
line has a mistake), so marks are drawn too; the data dir also holds the run's 1,000
other sessions, so the sidebar the window refreshes on opening is full.

- Open: from the click (MainWindow.open_session) to the conversation painted (a
  synchronous repaint of the chat), alternating with a 10-message session; median of 7,
  and the worst (the first, cold). Reported beside it: one click on "Show earlier
  messages" (a page of EARLIER_PAGE drawn above) and drawing all of them at once.
- Sidebar: the sessions shown again after a reply, one moved to the top, and painted
  (reported).
- Scroll: with every message drawn ("Show earlier messages"), the chat is scrolled from
  top to bottom by one mouse-wheel step (3 lines) at a time and repainted; each step is
  a sample.
- Memory: VmRSS of this process with the window shown and no session open, then with
  the long session open (newest 150 drawn) and with all 2,000 drawn.
"""

from __future__ import annotations

import gc
import statistics
import time

from benchmarks.common import Config, Figure, ms, rss_mb, spin, summary
from benchmarks.data import add_sessions
from benchmarks.gui import Running, copy_data, open_window
from tutor.ui.chat.chat_view import EARLIER_PAGE, OPENING_WINDOW


def open_times(running: Running, short_id: int, long_id: int, repeats: int) -> list[float]:
    window = running.window
    times = []
    for _ in range(repeats):
        window.open_session(short_id)
        spin(0.05)
        started = time.perf_counter()
        window.open_session(long_id)
        window.chat.viewport().repaint()
        times.append(ms(time.perf_counter() - started))
    return times


def sidebar_refreshes(running: Running, repeats: int) -> list[float]:
    """Milliseconds to show the sidebar's sessions again after a reply (the session
    written in moves to the top) and paint it, as the window does after every reply."""
    window = running.window
    sessions = window.context.sessions.sessions()
    times = []
    for number in range(repeats):
        moved = sessions[1 + number % (len(sessions) - 1)]
        order = [moved, *(s for s in sessions if s.id != moved.id)]
        started = time.perf_counter()
        window.history.show_sessions(order, moved.id)
        window.session_list.viewport().repaint()
        times.append(ms(time.perf_counter() - started))
        sessions = order
    return times


def scroll_steps(running: Running, stride: int) -> list[float]:
    """Milliseconds per wheel step from top to bottom (every `stride`-th step)."""
    from PySide6.QtWidgets import QApplication

    chat = running.window.chat
    bar = chat.verticalScrollBar()
    step = bar.singleStep() * QApplication.wheelScrollLines()
    bar.setValue(0)
    chat.viewport().repaint()
    times = []
    for value in range(0, bar.maximum() + step, step * stride):
        started = time.perf_counter()
        bar.setValue(value)
        chat.viewport().repaint()
        times.append(ms(time.perf_counter() - started))
    return times


def settled_rss() -> float:
    spin(0.3)
    gc.collect()
    return rss_mb()


def run(config: Config) -> list[Figure]:
    long_count = 500 if config.quick else 2000
    folder = copy_data(config.data, config.work / "history")
    short_id, long_id = add_sessions(folder, 10, long_count, seed=11)
    running = open_window(folder)
    window = running.window
    empty = settled_rss()
    times = open_times(running, short_id, long_id, 3 if config.quick else 7)
    refreshes = sidebar_refreshes(running, 5 if config.quick else 40)
    listed = window.session_list.count()
    opened = settled_rss()
    messages = window.practice.messages_to_show()
    window.chat.verticalScrollBar().setValue(0)  # where the link is clicked
    started = time.perf_counter()
    window.chat.show_earlier(messages)
    window.chat.viewport().repaint()
    page = ms(time.perf_counter() - started)
    window.open_session(long_id)  # the newest 150 again
    started = time.perf_counter()
    window.chat.show_all(messages)
    window.chat.viewport().repaint()
    show_all = ms(time.perf_counter() - started)
    all_drawn = settled_rss()
    steps = scroll_steps(running, 4 if config.quick else 1)
    document_height = window.chat.document().size().height()
    running.close()

    median, worst = statistics.median(times), max(times)
    scroll = summary(steps)
    refresh = summary(refreshes)
    return [
        Figure(
            "history.open_ms",
            f"Open a {long_count:,}-message session and paint it (median)",
            median,
            "ms",
            200.0,
            measured=f"{median:.0f} ms (worst {worst:.0f} ms, newest {OPENING_WINDOW} drawn; "
            f"a page of {EARLIER_PAGE} earlier {page:.0f} ms, "
            f"all {long_count:,} {show_all:.0f} ms)",
            details={
                "open_ms": [round(t, 1) for t in times],
                "earlier_page_ms": round(page, 1),
                "show_all_ms": round(show_all),
            },
        ),
        Figure(
            "history.sidebar_refresh_ms",
            f"Sidebar after a reply, {listed} sessions (median)",
            refresh["median"],
            "ms",
            None,
            measured=f"{refresh['median']:.1f} ms (p95 {refresh['p95']:.1f}, worst "
            f"{refresh['max']:.1f} ms; shown again and painted, one session moved to the top)",
            details={"refresh": refresh},
        ),
        Figure(
            "history.scroll_step_p99",
            "Scroll the whole conversation, per wheel step (p99)",
            scroll["p99"],
            "ms",
            16.0,
            measured=f"{scroll['p99']:.1f} ms (median {scroll['median']:.1f}, worst "
            f"{scroll['max']:.1f} ms over {scroll['count']} steps, "
            f"{document_height / 1000:.0f}k px)",
            details={"steps": scroll},
        ),
        Figure(
            "history.memory_ratio",
            f"Memory with the {long_count:,}-message session open, vs an empty window",
            opened / empty,
            "×",
            1.5,
            measured=f"{opened / empty:.2f}× ({opened:.0f} MiB vs {empty:.0f} MiB)",
            details={"empty_mb": empty, "open_mb": opened},
        ),
        Figure(
            "history.memory_ratio_all_drawn",
            f"Memory with all {long_count:,} messages drawn, vs an empty window",
            all_drawn / empty,
            "×",
            1.5,
            measured=f"{all_drawn / empty:.2f}× ({all_drawn:.0f} MiB vs {empty:.0f} MiB)",
            details={"all_drawn_mb": all_drawn},
        ),
    ]
