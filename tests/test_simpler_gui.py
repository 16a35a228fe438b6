""" "Say it more simply" under a reply, clicked as a learner does: the simpler wording is
shown as the reply, the original one click away, the partner's history untouched; a
malformed answer or a dead server is said beneath the reply, with Retry."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from tests.gui_helpers import (
    close_app,
    conversation_text,
    open_practice,
    session_of,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.shell.main_window import MainWindow


def click_link(qtbot: QtBot, view: ChatView, words: str) -> None:
    """Click the link with these words, where it is drawn."""
    found = view.document().find(words)
    assert not found.isNull(), f"no link {words!r} in: {view.toPlainText()}"
    cursor = QTextCursor(view.document())
    cursor.setPosition(found.selectionStart() + 1)
    view.ensureCursorVisible()
    point = view.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def _reply_text(window: MainWindow) -> str:
    return window.practice.messages[-1].text


def test_a_reply_said_more_simply_is_shown_and_the_original_kept(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    original = _reply_text(window)
    simpler = f"Más fácil (A2): {' '.join(original.split())[:40]}"

    click_link(qtbot, window.chat, "Say it more simply")

    qtbot.waitUntil(lambda: simpler in conversation_text(window), timeout=5000)
    text = conversation_text(window)
    assert original not in text and "Show original" in text
    assert "Said more simply for your level." in text
    (asked,) = server.task_requests("simplify")
    assert json.loads(asked["messages"][-1]["content"])["reply"] == original
    assert _reply_text(window) == original  # the message keeps the partner's words

    click_link(qtbot, window.chat, "Show original")
    text = conversation_text(window)
    assert original in text and simpler not in text and "Show simpler" in text
    click_link(qtbot, window.chat, "Show simpler")
    assert simpler in conversation_text(window)

    # The partner remembers what it really said; the simpler wording was never a turn.
    type_and_send(qtbot, window, "Vale")
    server.wait_for_partner_requests(2)
    wait_until_idle(qtbot, window)
    history = [m["content"] for m in server.partner_requests()[-1]["messages"]]
    assert original in history and simpler not in " ".join(history)
    assert len(server.task_requests("simplify")) == 1
    close_app(qtbot, window, context)


def test_a_simpler_wording_is_kept_with_the_session(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_task("simplify", ScriptedReply(text='{"simpler": "¿Qué tal?"}'))
    click_link(qtbot, window.chat, "Say it more simply")
    qtbot.waitUntil(lambda: "¿Qué tal?" in conversation_text(window), timeout=5000)

    original = _reply_text(window)
    window.open_session(session_of(window).id)  # drawn afresh from the stored messages
    qtbot.waitUntil(lambda: "¿Qué tal?" in conversation_text(window), timeout=5000)
    assert "Show original" in conversation_text(window)
    assert original not in conversation_text(window)
    assert len(server.task_requests("simplify")) == 1
    close_app(qtbot, window, context)


def test_a_malformed_answer_is_said_beneath_the_reply_and_retry_works(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    original = _reply_text(window)
    server.enqueue_task("simplify", *[ScriptedReply(text="Easier: hola")] * 3)

    click_link(qtbot, window.chat, "Say it more simply")

    problem = "Tutor could not say this reply more simply: The answer holds no JSON object."
    qtbot.waitUntil(lambda: problem in conversation_text(window), timeout=5000)
    assert original in conversation_text(window)
    click_link(qtbot, window.chat, "Retry")
    qtbot.waitUntil(lambda: "Show original" in conversation_text(window), timeout=5000)
    assert problem not in conversation_text(window)
    close_app(qtbot, window, context)


def test_a_dead_server_is_said_and_the_conversation_is_intact(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    messages = window.practice.messages
    server.stop()

    click_link(qtbot, window.chat, "Say it more simply")
    assert "Rewording…" in conversation_text(window)

    qtbot.waitUntil(lambda: "Rewording…" not in conversation_text(window), timeout=10000)
    text = conversation_text(window)
    assert "Tutor cannot reach" in text or "127.0.0.1" in text
    assert "Retry" in text and messages[-1].text in text
    assert window.practice.messages == messages
    assert not window.notice.isVisible()
    close_app(qtbot, window, context)
