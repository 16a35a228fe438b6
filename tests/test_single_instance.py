"""One Tutor per data folder: a second start shows the first window and exits 0."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest

from tests.openai_server import ScriptedReply
from tests.tutor_process import TutorProcess
from tutor.ui.shell.single_instance import LOCK_NAME, Claim, SingleInstance, server_name


@pytest.fixture
def instances():
    made: list[SingleInstance] = []

    def make(data_dir) -> SingleInstance:
        instance = SingleInstance(data_dir)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.close()


def test_the_second_claim_asks_the_first_to_show_its_window(qtbot, tmp_path, instances):
    first = instances(tmp_path)
    assert first.claim() is Claim.FIRST
    assert (tmp_path / LOCK_NAME).exists()
    second = instances(tmp_path)
    with qtbot.waitSignal(first.show_requested, timeout=5000):
        assert second.claim(wait_s=2) is Claim.SHOWN

    first.close()  # the first Tutor quit: the next one starts normally
    assert not (tmp_path / LOCK_NAME).exists()
    assert instances(tmp_path).claim() is Claim.FIRST


def test_other_folders_do_not_interfere(tmp_path, instances):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert instances(tmp_path / "a").claim() is Claim.FIRST
    assert instances(tmp_path / "b").claim() is Claim.FIRST
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "b" / ".." / "a")
    assert len(server_name(tmp_path / ("x" * 200))) < 40  # Unix socket paths are short


def test_show_request_raises_the_window(qtbot, tmp_path, instances):
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    first = instances(tmp_path)
    first.claim()
    first.show_on_request(window)
    with qtbot.waitSignal(first.show_requested, timeout=5000):
        instances(tmp_path).claim(wait_s=2)
    assert window.isVisible() and not window.isMinimized()


_HOLD = r"""
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QLockFile
app = QCoreApplication([])
if sys.argv[1] == "claim":
    from tutor.ui.shell.single_instance import SingleInstance
    instance = SingleInstance(Path(sys.argv[2]))
    print("CLAIM", instance.claim().name, flush=True)
else:  # hold the lock and never answer, as a Tutor hung at start would
    lock = QLockFile(str(Path(sys.argv[2]) / "tutor.lock"))
    print("LOCKED", lock.tryLock(0), flush=True)
time.sleep(60)
"""


def _holder(tmp_path, mode: str) -> TutorProcess:
    script = f"import sys; sys.argv = ['hold', {mode!r}, {str(tmp_path)!r}]\n" + _HOLD
    return TutorProcess(script, tmp_path / "home")


def test_a_killed_tutor_leaves_no_lock_that_counts(tmp_path, instances):
    holder = _holder(tmp_path, "claim")
    try:
        assert holder.wait_for_line("CLAIM") == "CLAIM FIRST"
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
    finally:
        holder.stop()
    assert (tmp_path / LOCK_NAME).exists()  # left behind, with a dead process's id
    assert instances(tmp_path).claim(wait_s=1) is Claim.FIRST


def test_a_holder_that_does_not_answer_is_left_alone(tmp_path, instances):
    holder = _holder(tmp_path, "lock")
    try:
        assert holder.wait_for_line("LOCKED") == "LOCKED True"
        started = time.monotonic()
        assert instances(tmp_path).claim(wait_s=0.5) is Claim.SILENT
        assert time.monotonic() - started < 3
    finally:
        holder.stop()


_PRIMARY = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import tutor.ui.shell.single_instance as single_instance

app = QApplication([])
shown = single_instance.bring_to_front

def bring_to_front(window):
    shown(window)
    print("SHOWN", window.practice.session.id, flush=True)
    QTimer.singleShot(300, window.close)

single_instance.bring_to_front = bring_to_front
ready = []

def poll():
    from tutor.ui.shell.main_window import MainWindow
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow) and window.is_attached and not ready:
            if window.practice.session is not None and not window.practice.is_busy:
                ready.append(True)
                print("READY", flush=True)

timer = QTimer()
timer.timeout.connect(poll)
timer.start(50)
QTimer.singleShot(30000, app.quit)  # never left running by a failed test
from tutor.app import main
code = main(ARGV)
print("EXIT", code, flush=True)
sys.exit(code)
"""


def test_a_second_tutor_process_shows_the_first_and_exits_0(tmp_path, server):
    data = tmp_path / "data"
    server.enqueue(ScriptedReply(text="¡Hola! ¿Qué tal?"))
    argv = ["--data-dir", str(data), "--language", "es", "--base-url", server.base_url]
    argv += ["--model", "tutor-test-small"]
    primary = TutorProcess(_PRIMARY.replace("ARGV", repr(argv)), tmp_path / "home")
    try:
        primary.wait_for_line("READY")
        # The second asks for another language: had it opened the database, a Japanese
        # session would exist afterwards.
        second_argv = ["--data-dir", str(data), "--language", "ja"]
        script = f"import sys\nfrom tutor.app import main\nsys.exit(main({second_argv!r}))\n"
        second = TutorProcess(script, tmp_path / "home")
        try:
            assert second.wait(30) == 0, second.stderr()
        finally:
            second.stop()
        assert any("already running" in line for line in second.lines)
        primary.wait_for_line("SHOWN")
        assert primary.wait(30) == 0, primary.stderr()
        assert "EXIT 0" in primary.lines
    finally:
        primary.stop()

    with sqlite3.connect(data / "tutor.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        languages = connection.execute("SELECT target_language FROM sessions").fetchall()
    connection.close()
    assert languages == [("es",)]
    assert len(server.partner_requests()) == 1
