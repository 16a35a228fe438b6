"""The Progress view on a long history: 1,000 sessions and 100,000 messages in six
languages (--quick: 60 and 6,000), Spanish and Japanese counted.

Run: .venv/bin/python -m benchmarks.run --only progress

Where each cost runs:
- reading a language's rows from SQLite and making the figures from them
  (services/progress.py: count; words counted, minutes, weeks, distinct dictionary forms
  of correct words, jieba/MeCab/simplemma loaded on first use) runs on a pool thread, on
  a read-only connection of its own: reported, the first call in the process apart;
- meanwhile the GUI thread must keep answering (the count holds Python's lock in
  stretches): the longest gap between ticks of a 5 ms timer, a target;
- putting the figures on screen (the totals, calendar, charts and table) runs on the GUI
  thread: a target.
"""

from __future__ import annotations

import itertools
import statistics
import time
from typing import TYPE_CHECKING

from benchmarks.common import Config, Figure, ms, offscreen, wait_until

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    from tutor.domain.progress import Progress

LANGUAGES = ("es", "ja")
SHOW_TARGET_MS = 50.0
PAUSE_TARGET_MS = 100.0
"""As the reading aids' longest pause (docs/performance.md): a frame or two, once."""


def run(config: Config) -> list[Figure]:
    offscreen()
    from PySide6.QtWidgets import QApplication

    from tutor.services import progress as service
    from tutor.store.database import open_reader
    from tutor.store.progress import ProgressStore

    app = QApplication.instance() or QApplication([])
    database = config.data / "tutor.sqlite3"
    repeats = 2 if config.quick else 5
    read_ms: dict[str, list[float]] = {}
    first_s: dict[str, float] = {}
    again_s: dict[str, list[float]] = {}
    show_ms: dict[str, list[float]] = {}
    sizes: dict[str, dict[str, int]] = {}
    # First, while nothing is loaded: the first count loads the word lists too.
    pauses: dict[str, float] = {}
    for language in LANGUAGES:
        pauses[language], first_s[language] = _gui_pause(app, database, language)
    for language in LANGUAGES:
        read_ms[language], again_s[language] = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            connection = open_reader(database)
            rows = ProgressStore(connection).rows(language)
            connection.close()
            read_ms[language].append(ms(time.perf_counter() - started))
            started = time.perf_counter()
            shown = service.count(database, language).progress
            again_s[language].append(time.perf_counter() - started)
        sizes[language] = {
            "messages": len(rows.messages),
            "weeks": len(shown.weeks),
            "days": len(shown.days),
            "correct_words": shown.correct_words,
        }
        show_ms[language] = _show_times(app, config.data, shown, repeats)
    read = {lang: statistics.median(v) for lang, v in read_ms.items()}
    again = {lang: statistics.median(v) for lang, v in again_s.items()}
    show = {lang: statistics.median(v) for lang, v in show_ms.items()}
    worst_show = max(show.values())
    return [
        Figure(
            "progress.read_ms",
            "Progress: one language's rows read on a pool thread's own connection (median)",
            max(read.values()),
            "ms",
            None,
            measured="; ".join(
                f"{k} {v:.0f} ms, {sizes[k]['messages']:,} messages" for k, v in read.items()
            ),
            details={"read_ms": read_ms, "sizes": sizes},
        ),
        Figure(
            "progress.count_s",
            "Progress: read and counted on a pool thread (first in the process, then again)",
            max(first_s.values()),
            "s",
            None,
            measured="; ".join(
                f"{k} {first_s[k]:.2f} s first, {again[k]:.2f} s again" for k in LANGUAGES
            ),
            details={"first_s": first_s, "again_s": again_s},
        ),
        Figure(
            "progress.gui_pause_ms",
            "Progress: longest GUI-thread pause while a first count runs on a pool thread",
            max(pauses.values()),
            "ms",
            PAUSE_TARGET_MS,
            measured="; ".join(f"{k} {v:.0f} ms" for k, v in pauses.items()),
            details={"pauses_ms": pauses},
        ),
        Figure(
            "progress.show_ms",
            "Progress: the figures put on screen on the GUI thread (median, worst language)",
            worst_show,
            "ms",
            SHOW_TARGET_MS,
            measured=f"{worst_show:.1f} ms ("
            + "; ".join(f"{k} {v:.1f} ms, {sizes[k]['weeks']} weeks" for k, v in show.items())
            + ")",
            details={"show_ms": show_ms},
        ),
    ]


def _gui_pause(app: QCoreApplication, database: Path, language: str) -> tuple[float, float]:
    """The longest gap (ms) between ticks of a 5 ms timer on the GUI thread while the
    language is counted on a pool thread (the count holds Python's lock in stretches),
    and how long the count took (s)."""
    from PySide6.QtCore import QTimer

    from tutor.services import progress as service
    from tutor.ui.shell.tasks import TaskRunner

    done: list[object] = []
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    TaskRunner().run(lambda: service.count(database, language), done.append, done.append)
    wait_until(lambda: bool(done), timeout=120)
    elapsed = time.perf_counter() - started
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    return (ms(max(gaps)) if gaps else 0.0), elapsed


def _show_times(app: QCoreApplication, data: Path, shown: Progress, repeats: int) -> list[float]:
    """Time ProgressWindow._fill (what the window does with a result) and its paint."""
    from tutor.paths import AppPaths
    from tutor.services.level_fit import LevelFits
    from tutor.ui.progress.progress_window import ProgressWindow

    class _Quiet:
        """What the window needs of the AppContext: the fill alone is timed."""

        def __init__(self) -> None:
            from tutor.domain.settings import Settings
            from tutor.services.changes import ChangeHub
            from tutor.ui.shell.change_relay import ChangeRelay
            from tutor.ui.shell.tasks import TaskRunner

            self.settings = Settings()
            self.tasks = TaskRunner()
            self.relay = ChangeRelay(ChangeHub())
            self.paths = AppPaths.under(data)
            self.level_fits = LevelFits()

    window = ProgressWindow(_Quiet())
    window.resize(820, 760)
    window.show()
    wait_until(lambda: window.progress is not None, timeout=60)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        window._fill(shown)
        window.repaint()
        app.processEvents()
        times.append(ms(time.perf_counter() - started))
    window.close()
    return times


if __name__ == "__main__":
    import json
    import tempfile
    from pathlib import Path

    from benchmarks.data import build_data_dir

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        build_data_dir(data, sessions=1000, messages=100_000)
        figures = run(Config(quick=False, data=data, work=Path(folder)))
        print(json.dumps([f.to_json() for f in figures], indent=2, ensure_ascii=False))
