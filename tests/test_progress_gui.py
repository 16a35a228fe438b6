"""The Progress view as a learner uses it: opened from the menu, a language chosen, the
figures read, the weeks and days exported as CSV, the empty state of a language not yet
practised, and a refresh when a new message is written; mirrored in Arabic."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence

from tests.gui_helpers import practice_argv, start_app, type_and_send, wait_until_idle
from tests.progress_data import fill_known
from tests.test_accessibility import unnamed_controls
from tutor.domain.progress import DayFigures
from tutor.domain.time_words import long_date
from tutor.store.database import open_database
from tutor.ui.progress.practice_calendar import PracticeCalendar
from tutor.ui.progress.progress_window import ProgressWindow
from tutor.ui.progress.week_bars import WeekBar, WeekBars
from tutor.ui.shell.progress_parts import SHORTCUT
from tutor.ui.widgets.trend_chart import TrendChart

THIS_MONDAY = date.today() - timedelta(days=date.today().weekday())
START = datetime.combine(THIS_MONDAY - timedelta(weeks=3), datetime.min.time(), UTC).replace(hour=9)
WEEK1 = START.date()
WEEK2, WEEK3 = WEEK1 + timedelta(weeks=1), WEEK1 + timedelta(weeks=2)


@pytest.fixture
def known_history(data_dir):
    """The data dir holds tests/progress_data.py's sessions, three weeks back."""
    connection = open_database(data_dir / "tutor.sqlite3")
    fill_known(connection, START)
    connection.close()
    return data_dir


def open_practice(qtbot, server, data_dir, keyring_backend, language="es"):
    """Tutor on a free conversation, its opening reply done and measured (the word lists
    load first: on a busy machine that takes longer than gui_helpers waits)."""
    argv = practice_argv(data_dir, server, language=language)
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window, timeout=30000)
    return window, context


def open_progress(qtbot, window) -> ProgressWindow:
    """Corrections → Progress…, as a learner picks it, and wait for the figures."""
    action = window.progress.action
    assert action.shortcut() == QKeySequence(SHORTCUT)
    assert action in window.corrections_menu.actions()
    action.trigger()
    progress = window.progress.progress_window
    assert progress is not None
    qtbot.waitExposed(progress)
    qtbot.waitUntil(
        lambda: progress.progress is not None and not progress.status.text(), timeout=30000
    )
    return progress


def choose_language(qtbot, progress: ProgressWindow, code: str) -> None:
    with qtbot.waitSignal(progress.shown, timeout=30000):
        progress.language_box.setCurrentIndex(progress.language_box.findData(code))


def test_the_figures_of_a_known_history_from_the_menu(
    qtbot, server, known_history, keyring_backend
):
    window, _context = open_practice(qtbot, server, known_history, keyring_backend)
    progress = open_progress(qtbot, window)

    assert progress.current_language() == "es"  # the language practised now
    languages = [progress.language_box.itemData(i) for i in range(progress.language_box.count())]
    assert sorted(languages) == ["es", "ja"]
    assert progress.totals.texts() == {
        "days": "3",
        "minutes": "14",  # 9.5 + 1 + 3 (a 16-minute pause counts 5)
        "messages": "4",
        "words": "16",
        "correct_words": "4",
        "cards": "1 of 3",
    }
    assert progress.empty_label.isHidden() and progress.figures_area.isVisible()
    assert unnamed_controls(progress) == []
    assert progress.table.row_texts() == [
        [long_date(WEEK3), "1", "3", "1", "5", "20.0", "96%", "0"],
        [long_date(WEEK2), "0", "0", "0", "0", "–", "–", "–"],
        [long_date(WEEK1), "2", "11", "3", "11", "11.1", "90%", "1"],
    ]
    # The calendar shades the three days; each says its figures in a tooltip.
    days = progress.calendar.shown_days()
    assert [d.day for d in days] == [WEEK1, WEEK1 + timedelta(days=2), WEEK3]
    assert progress.calendar.day_text(WEEK1) == (
        f"{long_date(WEEK1)}: 10 minutes, 2 messages, 9 words"
    )
    assert "3 days practised" in progress.calendar.accessibleDescription()
    # The notebook's chart draws the two weeks with checked writing.
    assert [(p.week_start, p.mistakes, p.words) for p in progress.mistakes_chart.points] == [
        (WEEK1, 1, 9),
        (WEEK3, 1, 5),
    ]
    assert [bar.value for bar in progress.minutes_chart.bars] == [10.5, 0.0, 3.0]
    assert [bar.value for bar in progress.fit_chart.bars] == [90.0, None, 96.0]

    choose_language(qtbot, progress, "ja")
    assert progress.totals.texts()["words"] == "3"  # 私は学生です: 6 characters
    assert progress.totals.texts()["cards"] == "1 of 1"
    assert progress.totals.texts()["minutes"] == "0"  # one message: no gap to count


def test_weeks_and_days_exported_as_csv_for_machines(
    qtbot, server, known_history, keyring_backend, tmp_path, monkeypatch
):
    window, _context = open_practice(qtbot, server, known_history, keyring_backend)
    progress = open_progress(qtbot, window)
    asked: list[str] = []

    def save_to(path):
        def choose(_parent, _title, start, file_filter):
            asked.append(start)
            assert "*.csv" in file_filter
            return str(path), file_filter

        monkeypatch.setattr("tutor.ui.progress.progress_window.QFileDialog.getSaveFileName", choose)

    weeks = tmp_path / "weeks.csv"
    save_to(weeks)
    progress.export_weeks.trigger()
    assert weeks.read_text("utf-8") == (
        "language,week_start,days_practised,minutes,messages,words,checked_words,mistakes,"
        "mistakes_per_100_words,replies_judged,replies_known_share,replies_too_hard\n"
        f"es,{WEEK1.isoformat()},2,10.5,3,11,9,1,11.11,2,0.900,1\n"
        f"es,{WEEK2.isoformat()},0,0.0,0,0,0,0,,0,,0\n"
        f"es,{WEEK3.isoformat()},1,3.0,1,5,5,1,20.00,1,0.960,0\n"
    )
    assert asked[-1].endswith("tutor-progress-es-weeks.csv")
    assert progress.status.text() == f"Saved 3 rows to {weeks}."

    days = tmp_path / "days.csv"
    save_to(days)
    progress.export_days.trigger()
    assert days.read_text("utf-8") == (
        "language,date,minutes,messages,words\n"
        f"es,{WEEK1.isoformat()},9.5,2,9\n"
        f"es,{(WEEK1 + timedelta(days=2)).isoformat()},1.0,1,2\n"
        f"es,{WEEK3.isoformat()},3.0,1,5\n"
    )

    # A folder that does not exist: said, and nothing written.
    save_to(tmp_path / "missing" / "days.csv")
    progress.export_days.trigger()
    assert progress.status.text().startswith("Nothing was exported: ")
    assert not (tmp_path / "missing").exists()


def test_a_language_not_yet_practised_says_how_to_begin_then_follows_the_session(
    qtbot, server, data_dir, keyring_backend
):
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, language="fr")
    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    progress = window.progress.progress_window
    assert progress is not None
    qtbot.waitUntil(lambda: progress.progress is not None, timeout=30000)
    assert progress.figures_area.isHidden() and not progress.export_button.isEnabled()
    assert progress.empty_label.text() == (
        "Practise a session in French and your progress will appear here."
    )

    with qtbot.waitSignal(progress.shown, timeout=30000):
        type_and_send(qtbot, window, "Bonjour, je m'appelle Ana.")
        wait_until_idle(qtbot, window, timeout=30000)
    qtbot.waitUntil(
        lambda: progress.progress is not None and not progress.progress.is_empty, timeout=30000
    )
    assert progress.totals.texts()["messages"] == "1"
    assert progress.totals.texts()["words"] == "4"
    assert progress.export_button.isEnabled()


def test_the_calendar_and_the_chart_are_mirrored_right_to_left(qtbot):
    today = date(2025, 3, 19)
    calendar = PracticeCalendar()
    qtbot.addWidget(calendar)
    calendar.set_days([DayFigures(today, 25.0, 3, 30)], today)
    calendar.resize(calendar.sizeHint())
    newest, oldest = calendar.day_rect(today), calendar.day_rect(calendar.first_day)
    assert newest is not None and oldest is not None
    assert newest.x() > oldest.x()
    assert calendar.day_at(newest.center()) == today
    calendar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    newest, oldest = calendar.day_rect(today), calendar.day_rect(calendar.first_day)
    assert newest is not None and oldest is not None
    assert newest.x() < oldest.x()  # time runs from right to left
    assert calendar.day_at(newest.center()) == today
    assert calendar.day_at(QPointF(-5, -5)) is None

    from tutor.domain.notebook import WeekPoint

    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(480, 170)
    monday = today - timedelta(days=today.weekday())
    chart.set_points([WeekPoint(monday - timedelta(weeks=1), 2, 50), WeekPoint(monday, 1, 50)])
    left_to_right = [p.x() for p in chart.point_positions()]
    chart.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    right_to_left = [p.x() for p in chart.point_positions()]
    assert left_to_right[0] < left_to_right[1] and right_to_left[0] > right_to_left[1]
    assert right_to_left == [chart.width() - x for x in left_to_right]

    bars = WeekBars("Minutes by week")
    qtbot.addWidget(bars)
    bars.resize(480, 160)
    bars.set_bars(
        [WeekBar(monday - timedelta(weeks=1), 10.0, "a"), WeekBar(monday, 30.0, "b")], "x"
    )
    first, newest = bars.bar_rects()
    assert first.x() < newest.x() and newest.height() > first.height()
    bars.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    first, newest = bars.bar_rects()
    assert first.x() > newest.x()


def test_a_history_that_cannot_be_read_is_said_and_the_figures_stay(
    qtbot, server, known_history, keyring_backend, monkeypatch
):
    window, _context = open_practice(qtbot, server, known_history, keyring_backend)
    progress = open_progress(qtbot, window)
    before = progress.totals.texts()

    def refuse(*_args, **_kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("tutor.services.progress.open_reader", refuse)
    progress.refresh()
    qtbot.waitUntil(lambda: "disk I/O error" in progress.status.text(), timeout=30000)
    assert progress.status.text() == "Your progress could not be counted: disk I/O error"
    assert progress.totals.texts() == before  # what was shown stays


def test_the_mistakes_notebook_opens_progress_by_key_and_by_button(
    qtbot, server, known_history, keyring_backend
):
    window, _context = open_practice(qtbot, server, known_history, keyring_backend)
    window.show_notebook()
    notebook = window.dialogs.notebook_window
    assert notebook is not None
    qtbot.waitExposed(notebook)
    notebook.activateWindow()
    qtbot.waitUntil(notebook.isActiveWindow)
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(notebook.tree, Qt.Key.Key_P, modifiers)
    progress = window.progress.progress_window
    assert progress is not None
    qtbot.waitUntil(lambda: progress.progress is not None, timeout=30000)
    assert progress.current_language() == "es"

    # The notebook's own button brings it back on the notebook's language.
    choose_language(qtbot, progress, "ja")
    button = next(b for b in notebook.buttons.buttons() if b.text() == "See progress")
    with qtbot.waitSignal(progress.shown, timeout=30000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert progress.current_language() == "es"
    assert progress.totals.texts()["days"] == "3"
