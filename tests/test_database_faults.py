"""The conversation file under faults: damaged, read-only, full, locked, from a newer Tutor.

And the other things that can be wrong at start: a locked keyring is tested in
test_store.py; a bad settings file here, through a real start.

Nothing is lost and nothing crashes: a damaged file is kept aside, never overwritten; a
message that cannot be saved stays in the composer; the learner is told in words.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

import tutor.store.database as database_module
from tests.gui_helpers import close_app, practice_argv, start_app, wait_until_idle
from tests.openai_server import ScriptedReply
from tests.tutor_process import environment
from tutor.app import build_context
from tutor.cli.arguments import parse_arguments
from tutor.domain.conversation import Role
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.providers import ProviderKind
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.settings import ProviderSettings, Settings
from tutor.store.database import (
    BUSY_TIMEOUT_MS,
    DatabaseCorruptError,
    DatabaseError,
    DatabaseTooNewError,
    is_read_only,
    open_database,
    set_aside_corrupt,
    storage_problem,
    transaction,
)
from tutor.store.migrations import MIGRATIONS
from tutor.store.sessions import SessionStore
from tutor.store.settings_file import SettingsFile
from tutor.ui.shell.database_problem import (
    Choice,
    DatabaseProblemDialog,
    Problem,
    describe,
    open_or_ask,
)

PAGE = 4096


def _profile() -> LearnerProfile:
    return LearnerProfile("es", Level.A2, "en")


def _filled(path: Path, sessions: int = 3, messages: int = 100) -> None:
    """A database with a few sessions of messages, closed (checkpointed into the file)."""
    connection = open_database(path)
    store = SessionStore(connection)
    for _ in range(sessions):
        session = store.create_session(
            _profile(), FREE_CONVERSATION, base_url="http://x/v1", model="m", system_message="s"
        )
        for i in range(messages):
            role = Role.USER if i % 2 else Role.ASSISTANT
            store.add_message(session.id, role, f"Mensaje número {i}. " * 6)
    connection.close()


def _table_pages(path: Path, table: str) -> list[int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))
        pages = sorted(int(row[0]) for row in rows)
    connection.close()
    return pages


def _smash(path: Path, pages: list[int], seed: int = 7) -> bytes:
    """Write random bytes over whole pages (numbered from 1), as a failing disk would."""
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for page in pages:
        data[(page - 1) * PAGE : page * PAGE] = rng.randbytes(PAGE)
    path.write_bytes(bytes(data))
    return bytes(data)


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        verdict = str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    connection.close()
    return verdict


# ----------------------------------------------------------------- damaged file


def test_damaged_pages_are_found_at_open_and_the_file_is_left_as_it_is(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    _filled(path)
    damaged = _smash(path, _table_pages(path, "messages")[1:4])
    with pytest.raises(DatabaseCorruptError) as caught:
        open_database(path)
    assert caught.value.path == path
    assert "damaged" in str(caught.value)
    assert path.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tutor.sqlite3"]


def test_a_smashed_header_is_a_damaged_file_too(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    _filled(path, sessions=1, messages=4)
    damaged = _smash(path, [1])
    with pytest.raises(DatabaseCorruptError):
        open_database(path)
    assert path.read_bytes() == damaged


def test_a_large_file_is_checked_on_first_use_at_start(tmp_path, monkeypatch):
    """Above QUICK_CHECK_MAX_BYTES only the header and schema are read at open; the
    start-up scan of the messages then finds the damage, reported the same way."""
    data = tmp_path / "data"
    data.mkdir()
    path = data / "tutor.sqlite3"
    _filled(path)
    damaged = _smash(path, _table_pages(path, "messages")[1:])  # every leaf, not the root
    monkeypatch.setattr(database_module, "QUICK_CHECK_MAX_BYTES", 0)
    open_database(path).close()  # the cheap check passes: the schema is intact
    with pytest.raises(DatabaseCorruptError) as caught:
        build_context(parse_arguments(["--data-dir", str(data)]), {})
    assert caught.value.path == path
    assert path.read_bytes() == damaged


def test_setting_aside_keeps_the_file_and_its_wal_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.setattr(time, "strftime", lambda *_args: "20260501-120000")
    path = tmp_path / "tutor.sqlite3"
    kept = []
    for content in (b"first damaged file", b"second, same second"):
        path.write_bytes(content)
        Path(f"{path}-wal").write_bytes(content + b" wal")
        kept.append(set_aside_corrupt(path))
    assert [k.name for k in kept] == [
        "tutor.sqlite3.corrupt-20260501-120000",
        "tutor.sqlite3.corrupt-20260501-120000-2",
    ]
    assert kept[0].read_bytes() == b"first damaged file"
    assert kept[1].read_bytes() == b"second, same second"
    assert Path(f"{kept[0]}-wal").read_bytes() == b"first damaged file wal"
    assert not path.exists() and not Path(f"{path}-wal").exists()


def _answer(choice: Choice, asked: list[Problem]) -> Any:
    def ask(problem: Problem) -> Choice:
        asked.append(problem)
        return choice

    return ask


def test_start_new_keeps_the_damaged_file_aside_and_opens_an_empty_one(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    _filled(path)
    damaged = _smash(path, _table_pages(path, "messages")[1:4])
    asked: list[Problem] = []

    started = open_or_ask(lambda: open_database(path), _answer(Choice.START_NEW, asked))

    assert started is not None
    connection, note = started
    assert [p.title for p in asked] == ["Your conversation file is damaged"]
    assert asked[0].can_start_new
    (kept,) = tmp_path.glob("tutor.sqlite3.corrupt-*")
    assert kept.read_bytes() == damaged
    assert note is not None and kept.name in note
    assert SessionStore(connection).sessions() == []
    connection.close()
    assert _integrity(path) == "ok"


def test_quit_on_a_damaged_file_changes_nothing(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    _filled(path)
    damaged = _smash(path, _table_pages(path, "messages")[1:4])
    asked: list[Problem] = []
    assert open_or_ask(lambda: open_database(path), _answer(Choice.QUIT, asked)) is None
    assert len(asked) == 1
    assert path.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tutor.sqlite3"]


def test_a_newer_file_offers_only_quit(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    asked: list[Problem] = []
    # Even a learner who would take a new file is not offered one: the file is fine.
    assert open_or_ask(lambda: open_database(path), _answer(Choice.START_NEW, asked)) is None
    (problem,) = asked
    assert not problem.can_start_new
    assert "newer" in problem.title and "Update Tutor" in problem.text
    assert list(tmp_path.glob("*.corrupt-*")) == []


def test_the_dialog_defaults_to_quit_and_renders(qtbot, tmp_path):
    error = DatabaseCorruptError(
        "The conversation file /home/ana/.local/share/Tutor/tutor.sqlite3 is damaged and "
        "cannot be read (database disk image is malformed).",
        Path("/home/ana/.local/share/Tutor/tutor.sqlite3"),
    )
    dialog = DatabaseProblemDialog(describe(error))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.start_new_button is not None
    assert dialog.quit_button.isDefault()
    assert "tutor.sqlite3.corrupt-" in dialog.text.text()
    assert "malformed" in dialog.detail.text()
    dialog.grab().save(str(tmp_path / "database-problem.png"))
    if os.environ.get("TUTOR_SHOTS"):  # to look at it: TUTOR_SHOTS=/some/folder
        dialog.grab().save(str(Path(os.environ["TUTOR_SHOTS"]) / "database-problem.png"))

    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter takes the default: Quit
    assert dialog.choice is Choice.QUIT and not dialog.isVisible()

    again = DatabaseProblemDialog(describe(error))
    qtbot.addWidget(again)
    again.show()
    assert again.start_new_button is not None
    qtbot.mouseClick(again.start_new_button, Qt.MouseButton.LeftButton)
    assert again.choice is Choice.START_NEW


def test_too_new_and_unopenable_files_are_described_without_a_new_file(tmp_path):
    too_new = describe(DatabaseTooNewError("schema 9, this one knows 4"))
    assert not too_new.can_start_new and "schema 9" in too_new.detail
    folder = describe(PermissionError(13, "Permission denied", str(tmp_path)))
    assert not folder.can_start_new and "folder" in folder.text


# ----------------------------------------------------------------- read-only file


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root here, where chmod 0400 does not stop a write: Tutor's own check
    # (os.access on the file and its folder) is made to answer as for another user.
    monkeypatch.setattr(database_module, "_writable", lambda _path: False)


def test_a_read_only_file_opens_for_reading_and_refuses_writes_in_words(tmp_path, monkeypatch):
    path = tmp_path / "tutor.sqlite3"
    _filled(path, sessions=2, messages=10)
    before = path.read_bytes()
    _read_only(monkeypatch)
    connection = open_database(path)
    try:
        assert is_read_only(connection)
        store = SessionStore(connection)
        assert len(store.sessions()) == 2
        assert len(store.messages(store.sessions()[0].id)) == 10
        with pytest.raises(sqlite3.OperationalError) as caught:
            store.add_message(store.sessions()[0].id, Role.USER, "Hola")
        assert "read-only" in storage_problem(caught.value)
    finally:
        connection.close()
    assert path.read_bytes() == before


def test_a_read_only_file_that_needs_an_upgrade_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "tutor.sqlite3"
    _filled(path, sessions=1, messages=2)
    monkeypatch.setattr(database_module, "MIGRATIONS", (*MIGRATIONS, ("SELECT 1",)))
    _read_only(monkeypatch)
    with pytest.raises(DatabaseError) as caught:
        open_database(path)
    assert "read-only" in str(caught.value)
    assert list(tmp_path.glob("*.before-v*")) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a 0400 file regardless")
def test_a_file_of_mode_0400_opens_read_only(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    _filled(path, sessions=1, messages=2)
    path.chmod(0o400)
    connection = open_database(path)
    try:
        assert is_read_only(connection)
        assert len(SessionStore(connection).sessions()) == 1
    finally:
        connection.close()


# ----------------------------------------------------------------- full disk, locks


def test_full_disk_keeps_the_text_in_the_composer_and_says_so(
    qtbot, server, data_dir, keyring_backend
):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    connection = context.sessions._db  # the app's own connection; the cap is per connection
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    # A real SQLITE_FULL: the file may not grow by a single page.
    connection.execute(f"PRAGMA max_page_count = {pages}")
    requests = len(server.partner_requests())
    # Longer than a page: it cannot fit in the free room of pages the file already has.
    text = "Hoy quiero contarte una historia muy larga. " * 160

    window.composer.setFocus()
    window.composer.setPlainText(text)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)

    assert window.notice.isVisible()
    assert window.notice.label.text().startswith(
        "Your disk is full: this message could not be saved."
    )
    assert window.composer.toPlainText() == text
    assert not window.practice.is_busy
    assert len(server.partner_requests()) == requests  # nothing left unsaved
    assert all(m.text != text.strip() for m in window.practice.messages)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    connection.execute("PRAGMA max_page_count = 1073741823")  # space again: send it
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_until_idle(qtbot, window)
    assert window.composer.toPlainText() == ""
    stored = context.sessions.messages(window.practice.messages[-1].session_id)
    assert [m.text for m in stored if m.role is Role.USER] == [text.strip()]
    close_app(qtbot, window, context)


def test_a_reply_that_fills_the_disk_is_shown_and_said(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    long_words = [f" palabra{i}" for i in range(900)]  # some 9 KB: new pages to store
    # Six words a piece: within the partner's cap (the test server counts a piece a token).
    pieces = ["".join(long_words[i : i + 6]) for i in range(0, len(long_words), 6)]
    server.enqueue(ScriptedReply(tokens=pieces, token_delay=0.012))
    server.enqueue_coach(ScriptedReply(hang=True))  # its result would need room too
    window.composer.setFocus()
    window.composer.setPlainText("Cuéntame algo largo")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    connection = context.sessions._db
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")  # full from now on

    qtbot.waitUntil(lambda: not window.practice.is_busy, timeout=10000)

    assert window.notice.label.text().startswith("Your disk is full: the reply could not be")
    reply = window.practice.messages[-1]
    assert reply.text == "".join(long_words).strip()  # shown whole, though not stored
    assert "palabra899" in window.chat.toPlainText()
    connection.execute("PRAGMA max_page_count = 1073741823")
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    window.practice.stop()
    server.release_hanging()
    close_app(qtbot, window, context)


def test_room_for_the_message_but_not_the_reply_keeps_the_message_and_offers_retry(
    qtbot, server, data_dir, keyring_backend, monkeypatch
):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    add_message = context.sessions.add_message

    def full_after_the_learner(session_id: int, role: Role, text: str, **kwargs: Any) -> Any:
        if role is Role.ASSISTANT:
            full = sqlite3.OperationalError("database or disk is full")
            full.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise full
        return add_message(session_id, role, text, **kwargs)

    monkeypatch.setattr(context.sessions, "add_message", full_after_the_learner)
    requests = len(server.partner_requests())
    window.composer.setFocus()
    window.composer.setPlainText("¿Tienes tiempo mañana?")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)

    assert window.notice.label.text().startswith("Your disk is full: the reply could not be")
    assert window.notice.retry.isVisible()
    assert not window.practice.is_busy
    assert window.practice.messages[-1].text == "¿Tienes tiempo mañana?"  # kept and shown
    assert len(server.partner_requests()) == requests  # nothing asked that cannot be kept

    monkeypatch.setattr(context.sessions, "add_message", add_message)  # room again
    server.enqueue(ScriptedReply(text="Sí, por la tarde."))
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].text == "Sí, por la tarde."
    close_app(qtbot, window, context)


def test_a_read_only_file_cannot_start_a_session_and_says_so(
    qtbot, server, data_dir, keyring_backend, monkeypatch
):
    path = data_dir / "tutor.sqlite3"
    _filled(path, sessions=1, messages=2)
    before = path.read_bytes()
    _read_only(monkeypatch)
    # --language asks for a new session, which cannot be saved: no crash, no request.
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    assert window.notice.isVisible()
    assert "so a new session cannot be saved" in window.notice.label.text()
    assert window.practice.session is None
    assert server.partner_requests() == []
    close_app(qtbot, window, context)
    assert path.read_bytes() == before


def test_a_short_lock_is_waited_for_not_failed(tmp_path):
    path = tmp_path / "tutor.sqlite3"
    _filled(path, sessions=1, messages=1)
    connection = open_database(path)
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    holding = threading.Event()

    def hold_the_write_lock() -> None:
        other = open_database(path)  # a second writer: another Tutor, or `tutor export`
        with transaction(other):
            other.execute("UPDATE sessions SET custom_title = 'other'")
            holding.set()
            time.sleep(0.6)
        other.close()

    thread = threading.Thread(target=hold_the_write_lock)
    thread.start()
    assert holding.wait(5)
    store = SessionStore(connection)
    started = time.monotonic()
    store.add_message(store.sessions()[0].id, Role.USER, "Espero mi turno")
    waited = time.monotonic() - started
    thread.join()
    assert waited >= 0.3  # it waited for the other writer instead of failing
    assert [m.text for m in store.messages(store.sessions()[0].id)][-1] == "Espero mi turno"
    connection.close()


# ----------------------------------------------------- through main(), a real process

_MAIN_SCRIPT = r"""
import json, os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

config = json.loads(os.environ["TUTOR_TEST_CONFIG"])
if config.get("read_only"):
    # As in the in-process tests: root would write a 0400 file anyway.
    import tutor.store.database as database
    database._writable = lambda path: False
if config.get("broken"):
    # A bug while loading, after the frame is painted: not a database problem.
    import tutor.app
    def build_context(*args, **kwargs):
        raise RuntimeError("the stores could not be built")
    tutor.app.build_context = build_context
app = QApplication([])
seen = set()

def emit(**event):
    print(json.dumps(event), flush=True)

def notice_of(window):
    return window.notice.label.text() if window.notice.isVisible() else None

def poll():
    from PySide6.QtWidgets import QMessageBox
    from tutor.ui.shell.database_problem import DatabaseProblemDialog
    from tutor.ui.setup.setup_dialogs import WelcomeWizard
    from tutor.ui.shell.main_window import MainWindow
    for widget in QApplication.topLevelWidgets():
        if not widget.isVisible() or id(widget) in seen:
            continue
        if isinstance(widget, QMessageBox):
            seen.add(id(widget))
            frames = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
            emit(box=widget.text(), frame_status=frames[0].statusBar().currentMessage())
            widget.accept()
        elif isinstance(widget, DatabaseProblemDialog):
            seen.add(id(widget))
            emit(dialog=widget.title.text(), text=widget.text.text(),
                 detail=widget.detail.text(), can_start_new=widget.start_new_button is not None)
            new = config.get("answer") == "start_new" and widget.start_new_button is not None
            (widget.start_new_button if new else widget.quit_button).click()
        elif isinstance(widget, WelcomeWizard):  # a first run: the window is built after it
            seen.add(id(widget))
            emit(welcome=True)
            widget.reject()
        elif isinstance(widget, MainWindow) and widget.is_attached:  # past the frame
            seen.add(id(widget))
            practice = widget.practice
            emit(notice=notice_of(widget), messages=len(practice.messages),
                 session=practice.session.id if practice.session else None)
            if config.get("send"):
                widget.composer.setPlainText(config["send"])
                widget._send_or_stop()
                emit(after_send=notice_of(widget), composer=widget.composer.toPlainText())
            widget.close()
            app.quit()

timer = QTimer()
timer.timeout.connect(poll)
timer.start(50)
from tutor.app import main
code = main(config["argv"])
emit(exit=code)
sys.exit(code)
"""


def run_main(
    tmp_path: Path, config: dict[str, Any], *, expect_traceback: bool = False
) -> tuple[int, list[dict[str, Any]]]:
    """Start Tutor's main() in a real process, offscreen; what it showed, as events."""
    result = subprocess.run(
        [sys.executable, "-c", _MAIN_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment(tmp_path / "home"), "TUTOR_TEST_CONFIG": json.dumps(config)},
    )
    assert ("Traceback" in result.stderr) is expect_traceback, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.returncode, events


def _event(events: list[dict[str, Any]], key: str) -> dict[str, Any]:
    found = [e for e in events if key in e]
    assert found, f"no {key!r} event in {events}"
    return found[0]


def test_main_offers_a_new_file_and_says_where_the_damaged_one_is(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "tutor.sqlite3"
    _filled(path)
    damaged = _smash(path, _table_pages(path, "messages")[1:4])

    code, events = run_main(tmp_path, {"argv": ["--data-dir", str(data)], "answer": "start_new"})

    assert code == 0
    dialog = _event(events, "dialog")
    assert dialog["dialog"] == "Your conversation file is damaged" and dialog["can_start_new"]
    (kept,) = data.glob("tutor.sqlite3.corrupt-*")
    assert kept.read_bytes() == damaged
    notice = _event(events, "notice")["notice"]
    assert notice and f"kept as {kept.name}" in notice
    assert _integrity(path) == "ok"
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    connection.close()


def test_main_quits_on_a_damaged_file_when_asked_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "tutor.sqlite3"
    _filled(path)
    damaged = _smash(path, _table_pages(path, "messages")[1:4])
    code, events = run_main(tmp_path, {"argv": ["--data-dir", str(data)], "answer": "quit"})
    assert code == 1
    assert _event(events, "dialog")["can_start_new"]
    assert not [e for e in events if "notice" in e]  # no window
    assert path.read_bytes() == damaged
    assert list(data.glob("*.corrupt-*")) == []


def test_main_refuses_a_database_from_a_newer_tutor_with_a_message(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "tutor.sqlite3"
    _filled(path, sessions=1, messages=2)
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 2}")
    connection.close()
    before = path.read_bytes()
    code, events = run_main(tmp_path, {"argv": ["--data-dir", str(data)], "answer": "start_new"})
    assert code == 1
    dialog = _event(events, "dialog")
    assert "newer" in dialog["dialog"] and not dialog["can_start_new"]
    assert f"schema {len(MIGRATIONS) + 2}" in dialog["detail"]
    assert path.read_bytes() == before


def test_main_opens_a_read_only_file_to_read_and_says_why_it_cannot_send(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "tutor.sqlite3"
    _filled(path, sessions=1, messages=6)
    SettingsFile(data / "settings.json").save(
        Settings(
            provider=ProviderSettings(ProviderKind.CUSTOM, "http://127.0.0.1:9/v1", "m"),
            learner=_profile(),
        )
    )
    before = path.read_bytes()

    code, events = run_main(
        tmp_path,
        {"argv": ["--data-dir", str(data)], "read_only": True, "send": "¿Me oyes?"},
    )

    assert code == 0
    shown = _event(events, "notice")
    assert shown["messages"] == 6  # the last session is open to read
    assert shown["notice"] and "read-only" in shown["notice"]
    sent = _event(events, "after_send")
    assert sent["after_send"].startswith("Your conversation file is read-only, so this message")
    assert sent["composer"] == "¿Me oyes?"
    assert path.read_bytes() == before


BAD_SETTINGS = {
    "random bytes": bytes(random.Random(5).randbytes(600)),
    "a provider of the wrong type": b'{"version": 1, "provider": 5}',
}


@pytest.mark.parametrize("content", BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys())
def test_main_starts_with_a_bad_settings_file_and_says_so(tmp_path, content):
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_bytes(content)
    code, events = run_main(tmp_path, {"argv": ["--data-dir", str(data)]})
    assert code == 0
    notice = _event(events, "notice")["notice"]
    assert notice and notice.startswith("Your settings could not be read")
    (kept,) = data.glob("settings.json.unreadable-*")
    assert kept.read_bytes() == content
    assert kept.name in notice


def test_main_shows_the_settings_problem_even_when_a_session_opens(tmp_path, server):
    """Opening the first session clears the notice bar; main() says the problem after."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_bytes(b'{"version": 1, "provider": 5}')
    argv = ["--data-dir", str(data), "--language", "es", "--base-url", server.base_url]
    code, events = run_main(tmp_path, {"argv": [*argv, "--model", "tutor-test-small"]})
    assert code == 0
    shown = _event(events, "notice")
    assert shown["session"] is not None
    assert shown["notice"] and shown["notice"].startswith("Your settings could not be read")


def test_a_bug_while_loading_is_said_and_tutor_quits_instead_of_hanging(tmp_path):
    """The frame is painted before the stores are built: a failure there must not leave
    it saying "Opening your conversations…" for good."""
    data = tmp_path / "data"
    code, events = run_main(
        tmp_path, {"argv": ["--data-dir", str(data)], "broken": True}, expect_traceback=True
    )
    said = _event(events, "box")
    assert "could not open your conversations" in said["box"]
    assert "RuntimeError: the stores could not be built" in said["box"]
    assert said["frame_status"] == "Opening your conversations…"  # the frame, behind it
    assert code == 1
