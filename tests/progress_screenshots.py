"""Render the Progress view with months of realistic practice: sessions on most days,
more of them lately, the coach's marks getting rarer, replies fitting better, review
cards in every state. For looking at (python -m tests.progress_screenshots writes
docs/screenshots/progress-<interface>-<target>.png) and for tests/test_progress_gui.py.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from benchmarks.data import CORPORA, write_settings
from tests.memory_keyring import MemoryKeyring
from tests.progress_data import Filler
from tests.screenshots import wait_for
from tutor.app import build_context
from tutor.cli.arguments import parse_arguments
from tutor.domain.corrections import Category, CoachItem
from tutor.domain.review import Rating
from tutor.store.database import open_database
from tutor.ui.shell.interface_language import install_interface_language

WEEKS = 20


def fill_months(connection: sqlite3.Connection, language: str, today: date, seed: int = 11) -> None:
    """WEEKS weeks of practice in `language` up to `today`: a session on about half the
    days at first and most days lately, 4-12 turns each, a minute or two apart."""
    rng = random.Random(seed)
    corpus = CORPORA[language]
    fill = Filler(connection)
    first = today - timedelta(weeks=WEEKS)
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        progress = offset / ((today - first).days or 1)  # 0 → 1 over the months
        if rng.random() > 0.35 + 0.45 * progress:
            continue
        when = datetime.combine(day, time(rng.randint(7, 20), rng.randint(0, 59)), UTC)
        session = fill.session(language, when)
        fill.reply(session, rng.choice(corpus.partner), when)
        replies = 0
        for _turn in range(rng.randint(4, 12)):
            when += timedelta(seconds=rng.randint(40, 200))
            wrong, right = rng.choice(corpus.learner)
            mistaken = wrong != right and rng.random() > 0.3 + 0.5 * progress
            if mistaken:
                fill.say(session, wrong, when, corrected=right, items=_items(wrong, right))
            else:
                fill.say(session, right, when)
            when += timedelta(seconds=rng.randint(5, 20))
            fill.reply(session, rng.choice(corpus.partner), when)
            replies += 1
        share = min(0.99, 0.86 + 0.1 * progress + rng.uniform(-0.02, 0.02))
        too_hard = sum(rng.random() > 0.55 + 0.4 * progress for _ in range(replies))
        fill.report(session, judged=replies, share=share, too_hard=too_hard)
    for number in range(40):
        ratings = rng.choice([(), (Rating.GOOD,), (Rating.EASY,), (Rating.EASY, Rating.GOOD)])
        fill.card(language, f"card {number}", ratings)


def _items(wrong: str, right: str) -> tuple[CoachItem, ...]:
    """One item for the part that differs (the coach's explanation is not shown here)."""
    start = next((i for i, (a, b) in enumerate(zip(wrong, right, strict=False)) if a != b), 0)
    end_w, end_r = len(wrong), len(right)
    while end_w > start and end_r > start and wrong[end_w - 1] == right[end_r - 1]:
        end_w, end_r = end_w - 1, end_r - 1
    return (
        CoachItem(wrong[start:end_w] or wrong, right[start:end_r] or right, "", Category.GRAMMAR),
    )


def render_progress(interface: str, target: str, out: Path, data_dir: Path) -> Path:
    """The Progress view of `target` with WEEKS weeks of practice, in `interface`."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, interface)
    data_dir.mkdir(parents=True, exist_ok=True)
    connection = open_database(data_dir / "tutor.sqlite3")
    fill_months(connection, target, date.today())
    connection.close()
    write_settings(data_dir, language=target)
    options = parse_arguments(["--data-dir", str(data_dir)])
    context, _problem = build_context(options, {}, key_backend=MemoryKeyring())
    from tutor.ui.progress.progress_window import ProgressWindow

    window = ProgressWindow(context)
    window.resize(860, 1180)
    window.show()
    wait_for(lambda: window.progress is not None and not window.progress.is_empty, timeout=60)
    page = window.figures_area.widget()
    assert page is not None
    window.figures_area.setMinimumHeight(page.sizeHint().height() + 4)
    window.resize(900, window.sizeHint().height())
    QApplication.processEvents()
    window.grab().save(str(out))
    window.close()
    context.tasks.wait_for_done(3000)
    context.sessions.close()
    install_interface_language(app, "en")
    return out


if __name__ == "__main__":
    import sys
    import tempfile

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    for interface, target in (("en", "es"), ("ja", "en"), ("ar", "ja")):
        with tempfile.TemporaryDirectory() as data:
            name = folder / f"progress-{interface}-{target}.png"
            print("wrote", render_progress(interface, target, name, Path(data)))
