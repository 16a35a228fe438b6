"""Tutor killed (SIGKILL) while a reply streams: nothing the learner wrote is lost, the
reply is kept up to about the last second, and the next start says what happened."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

from tests.openai_server import ScriptedReply
from tests.tutor_process import TutorProcess
from tutor.domain.conversation import MessageState, Role
from tutor.domain.corrections import CorrectionState
from tutor.store.corrections import INTERRUPTED, CorrectionStore
from tutor.store.database import open_database
from tutor.store.sessions import SessionStore

LEARNER_TEXT = "Ayer fui al mercado y compré muchas frutas."
WORDS = [f" palabra{i}" for i in range(400)]
TOKEN_DELAY = 0.05  # 20 pieces a second: the reply would take 20 s
SAVE_SLACK_S = 1.5  # saved about once a second, plus room for a busy machine

_SEND_AFTER_OPENING = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
sent = []

def poll():
    from tutor.ui.shell.main_window import MainWindow
    for window in QApplication.topLevelWidgets():
        if not isinstance(window, MainWindow) or not window.is_attached or sent:
            continue
        practice = window.practice
        if practice.session is None or practice.is_busy or not practice.messages:
            return  # the partner's opening is still arriving
        window.composer.setFocus()
        window.composer.setPlainText(TEXT)
        window._submit(window.composer.toPlainText())
        sent.append(True)
        print("SENT", practice.session.id, flush=True)

timer = QTimer()
timer.timeout.connect(poll)
timer.start(50)
from tutor.app import main
sys.exit(main(ARGV))
"""

_START_AND_QUIT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
QTimer.singleShot(1500, app.quit)
from tutor.app import main
code = main(ARGV)
print("EXIT", code, flush=True)
sys.exit(code)
"""


def _script(template: str, argv: list[str]) -> str:
    return template.replace("TEXT", repr(LEARNER_TEXT)).replace("ARGV", repr(argv))


def _rows(path: Path) -> list[tuple[str, str, str]]:
    """(role, state, text) of every message, read beside the (dead) app."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT role, state, text FROM messages ORDER BY id").fetchall()
    connection.close()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def test_sigkill_while_a_reply_streams_loses_at_most_a_second(tmp_path, server):
    data = tmp_path / "data"
    database = data / "tutor.sqlite3"
    server.enqueue(
        ScriptedReply(text="¡Hola! ¿Qué hiciste ayer?"),
        ScriptedReply(tokens=WORDS, token_delay=TOKEN_DELAY),
    )
    server.enqueue_coach(ScriptedReply(hang=True))  # the check is still running at the kill
    argv = ["--data-dir", str(data), "--language", "es", "--base-url", server.base_url]
    argv += ["--model", "tutor-test-small"]
    tutor = TutorProcess(_script(_SEND_AFTER_OPENING, argv), tmp_path / "home")
    try:
        tutor.wait_for_line("SENT")
        server.wait_for_partner_requests(2, timeout=10)
        streaming_since = time.monotonic()

        # Until the app has saved part of the reply, and 2.5 s of it have streamed.
        deadline = streaming_since + 15
        while time.monotonic() < deadline:
            rows = _rows(database)
            if (
                rows[-1][1] == "streaming"
                and rows[-1][2]
                and (time.monotonic() - streaming_since >= 2.5)
            ):
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"the reply was never saved while streaming: {rows}")
        killed_at = time.monotonic()
        os.kill(tutor.pid, signal.SIGKILL)
        assert tutor.wait(10) == -signal.SIGKILL
    finally:
        tutor.stop()

    # Right after the kill, before anything repairs it: the file is whole.
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    rows = _rows(database)
    assert rows[-2] == ("user", "complete", LEARNER_TEXT)
    role, state, saved = rows[-1]
    assert (role, state) == ("assistant", "streaming")
    full = "".join(WORDS).strip()
    assert full.startswith(saved) and saved
    # Every piece the server had sent up to SAVE_SLACK_S before the kill was saved.
    sent_by_then = int((killed_at - streaming_since - SAVE_SLACK_S) / TOKEN_DELAY)
    assert len(saved.split()) >= sent_by_then >= 15

    # Start Tutor again (the lock and socket the killed one left must not stop it).
    partner_requests = len(server.partner_requests())
    again = TutorProcess(_script(_START_AND_QUIT, ["--data-dir", str(data)]), tmp_path / "home")
    try:
        assert again.wait(60) == 0, again.stderr()
    finally:
        again.stop()
    assert "EXIT 0" in again.lines
    assert len(server.partner_requests()) == partner_requests  # reopened, not re-asked

    connection = open_database(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sessions = SessionStore(connection)
        (session,) = sessions.sessions()
        messages = CorrectionStore(connection).attach(sessions.messages(session.id))
        learner, reply = messages[-2], messages[-1]
        assert (learner.role, learner.text) == (Role.USER, LEARNER_TEXT)
        assert learner.correction is not None
        assert learner.correction.state is CorrectionState.FAILED
        assert learner.correction.error == INTERRUPTED
        assert reply.role is Role.ASSISTANT
        assert reply.state is MessageState.CUT_OFF
        assert reply.text == saved
        assert reply.error == "Tutor closed before this reply was complete."
    finally:
        connection.close()
