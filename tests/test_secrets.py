"""The API key never reaches a file, and the files are the learner's alone.

A whole session runs through the real window with a distinctive key, given once through
the keyring (typed into Settings) and once through OPENAI_API_KEY: the partner, a
correction, failures whose server text quotes the key, the report, every export and the
log. Then every file under the data folder, binary ones included, is searched for the key
and for pieces of it.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.gui_helpers import (
    close_app,
    conversation_text,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    type_text,
    wait_until_idle,
)
from tests.openai_server import OpenAITestServer, ScriptedReply, coach_reply
from tutor.domain.exports import ExportFormat
from tutor.llm.client import KEY_HIDDEN

KEY = "sk-test-SECRET-1234567890abcdef"
PIECES = {
    "the key": KEY,
    "the key without its prefix": KEY[3:],
    "its last 16 characters": KEY[-16:],
    "its last 8 characters": KEY[-8:],
}


@pytest.fixture
def keyed_server() -> Iterator[OpenAITestServer]:
    with OpenAITestServer(api_key=KEY) as running:
        yield running


def leaks(directory: Path) -> list[str]:
    """Every (file, piece) where a piece of the key is found, in UTF-8 or UTF-16."""
    found = []
    files = [path for path in directory.rglob("*") if path.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        for name, piece in PIECES.items():
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if piece.encode(encoding) in data:
                    found.append(f"{name} ({encoding}) in {path.relative_to(directory)}")
    return found


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("source", ["keyring", "environment"])
def test_a_whole_session_leaves_the_key_in_no_file(
    source, qtbot, keyed_server, tmp_path, keyring_backend, monkeypatch
):
    server = keyed_server
    data_dir = tmp_path / "new" / "tutor-data"  # made by Tutor, with Tutor's permissions
    environ = {"OPENAI_API_KEY": KEY} if source == "environment" else {}
    window, context = start_app(
        qtbot, practice_argv(data_dir, server), key_backend=keyring_backend, environ=environ
    )

    if source == "keyring":
        # No key yet: the partner's opening is refused (401), then the learner types the
        # key into Settings, which puts it in the keyring, and retries.
        qtbot.waitUntil(lambda: "refused the API key (401)" in window.notice.label.text())
        window.settings_action.trigger()
        dialog = window.settings_dialog
        assert dialog is not None
        dialog.show_tab(dialog.provider_form)
        dialog.provider_form.api_key.setFocus()
        type_text(dialog.provider_form.api_key, KEY)
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )
        assert keyring_backend.get_password("Tutor", server.base_url) == KEY
        qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].text  # the partner opened, with the key

    # A correction.
    server.enqueue_coach(
        coach_reply("Ayer fui al parque.", [("fue", "fui", "Yo: fui.", "grammar")])
    )
    type_and_send(qtbot, window, "Ayer fue al parque.")
    wait_until_idle(qtbot, window)
    assert "1 correction" in conversation_text(window)

    # Failures whose server text quotes the key, whole or masked the way OpenAI does.
    server.enqueue(ScriptedReply(status=403, error_message=f"Key {KEY} may not use this"))
    server.enqueue_coach(
        ScriptedReply(status=500, error_message=f"upstream refused sk-****{KEY[-8:]}")
    )
    type_and_send(qtbot, window, "¿Y tú?")
    wait_until_idle(qtbot, window)
    assert "no access to this (403)" in window.notice.label.text()
    assert KEY_HIDDEN in window.notice.label.text() and KEY not in conversation_text(window)
    assert KEY[-8:] not in conversation_text(window)
    server.enqueue(ScriptedReply(status=401))
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert "refused the API key (401)" in window.notice.label.text()
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)

    # Every export, written into the data folder so the search below covers them.
    exports = data_dir / "exports"
    exports.mkdir()
    for kind in ExportFormat:
        target = exports / f"session.{kind.value}"
        monkeypatch.setattr(
            "tutor.ui.history.export_actions.QFileDialog.getSaveFileName",
            lambda *_args, target=target: (str(target), ""),
        )
        window.export(kind)
        assert target.stat().st_size > 0, kind

    # The report, with the model's summary.
    first = next(m for m in window.practice.messages if m.text == "Ayer fue al parque.")
    summary = {"went_well": "Bien.", "patterns": [{"text": "Ir.", "message_ids": [first.id]}]}
    server.enqueue_summary(ScriptedReply(text=json.dumps(summary)))
    window.end_action.trigger()
    report = window.report_dialog
    assert report is not None
    qtbot.waitUntil(lambda: not report.summary_pending)
    assert "Bien." in report.view.toPlainText()
    report.accept()

    session_id = session_of(window).id
    assert all(r.headers.get("authorization") == f"Bearer {KEY}" for r in server.requests[-3:])
    close_app(qtbot, window, context)

    log = context.paths.log_file.read_text(encoding="utf-8")
    assert "failed" in log and "[key hidden]" in log  # the failures were logged, redacted
    assert context.sessions is not None and session_id
    assert leaks(data_dir) == []

    # The folders and files are the learner's alone.
    assert mode(data_dir) == 0o700
    assert mode(context.paths.log_dir) == 0o700
    for private in (context.paths.database, context.paths.log_file):
        assert mode(private) == 0o600, private
    # settings.json holds no secret (addresses, the profile) and is written 0644 today;
    # inside a 0700 folder nobody else can reach it.
    assert mode(context.paths.settings.parent) == 0o700
    for companion in data_dir.glob("tutor.sqlite3-*"):  # WAL and shared memory, if left
        assert mode(companion) & 0o077 == 0, companion


def test_the_key_is_taken_out_of_error_words_before_they_are_shown(keyed_server):
    from tutor.llm.client import ChatClient, ServerConfig
    from tutor.llm.errors import LlmError

    keyed_server.enqueue(ScriptedReply(status=500, error_message=f"bad key {KEY}, tail {KEY[-8:]}"))
    client = ChatClient(ServerConfig(keyed_server.base_url, "tutor-test-small", KEY))
    with pytest.raises(LlmError) as caught:
        client.stream_reply([{"role": "user", "content": "Hola"}])
    assert KEY not in caught.value.message and KEY[-8:] not in caught.value.message
    assert caught.value.message.count(KEY_HIDDEN) == 2
