"""Background work comes back on the GUI thread, and never to a widget that is gone."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLabel

from tutor.ui.shell.tasks import TaskRunner


def test_result_arrives_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    seen: list[tuple[object, bool]] = []

    def on_gui(value: object) -> None:
        app = QApplication.instance()
        assert app is not None
        seen.append((value, QThread.currentThread() is app.thread()))

    runner.run(lambda: threading.current_thread().name, on_gui)
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    name, on_gui_thread = seen[0]
    assert name != threading.main_thread().name
    assert on_gui_thread


def test_failure_is_reported(qtbot):
    runner = TaskRunner()
    failures: list[Exception] = []

    def boom() -> None:
        raise ValueError("no server")

    runner.run(boom, lambda _value: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert str(failures[0]) == "no server"


def test_result_for_a_destroyed_owner_is_dropped(qtbot):
    runner = TaskRunner()
    release = threading.Event()
    label = QLabel("waiting")
    calls: list[object] = []

    def show(value: object) -> None:
        label.setText(str(value))
        calls.append(value)

    runner.run(lambda: release.wait(5) and "done", show, owner=label)
    label.deleteLater()
    qtbot.wait(50)  # the label is gone before the work finishes
    release.set()
    assert runner.wait_for_done(3000)
    qtbot.wait(100)  # a late callback would raise "Internal C++ object already deleted"
    assert calls == []
