""" "Practise my mistakes": what it costs the window's thread.

Run: .venv/bin/python -m benchmarks.run --only practice

- button: whether the notebook holds enough mistakes to practise, asked when the picker
  or the notebook opens and when the notebook's language changes (services/practice.py:
  cannot_practise, which counts up to 3 entries);
- choose: the kinds chosen when the learner clicks (mistake_kinds: the language's notebook
  entries read and grouped), before the request leaves on a pool thread.

On the large data dir (100,000 messages, every fourth session corrected), for Spanish,
the language with the most mistakes; each call timed once after one untimed call.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from benchmarks.common import Config, Figure, ms, summary
from tutor.services.practice import cannot_practise, mistake_kinds
from tutor.store.database import open_database
from tutor.store.notebook import NotebookStore

BUTTON_TARGET_MS = 16.0
"""One frame at 60 Hz: the picker opens without a stall."""
CHOOSE_TARGET_MS = 100.0
"""A click answered within a tenth of a second (the busy bar shows after it)."""


def run(config: Config) -> list[Figure]:
    connection = open_database(config.data / "tutor.sqlite3")
    try:
        notebook = NotebookStore(connection)
        entries = len(notebook.entries("es"))
        rounds = 5 if config.quick else 30
        button = _times(lambda: cannot_practise(notebook, "es"), rounds)
        choose = _times(lambda: mistake_kinds(notebook, "es"), rounds)
    finally:
        connection.close()
    return [
        _figure(
            "practice.button_ms",
            "Practise my mistakes: can it help? (median)",
            button,
            BUTTON_TARGET_MS,
            entries,
        ),
        _figure(
            "practice.choose_ms",
            "Practise my mistakes: the kinds chosen (median)",
            choose,
            CHOOSE_TARGET_MS,
            entries,
        ),
    ]


def _times(call: Callable[[], object], rounds: int) -> list[float]:
    call()  # untimed: SQLite's pages warm
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(ms(time.perf_counter() - started))
    return times


def _figure(key: str, title: str, times: list[float], target: float, entries: int) -> Figure:
    median = statistics.median(times)
    return Figure(
        key,
        title,
        median,
        "ms",
        target,
        measured=f"{median:.2f} ms over {entries:,} Spanish mistakes "
        f"(p95 {summary(times)['p95']:.2f} ms)",
        details=summary(times),
    )
