"""A learner asks "how do I say…?" and for a hint, as a person does: typing "? …" and
Enter, clicking the buttons, Ctrl+H and Use. None of it reaches the partner or the coach,
and a malformed answer or a dead server is said in the panel, the conversation intact."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.gui_helpers import (
    close_app,
    conversation_text,
    open_practice,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    type_text,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply


def _options(qtbot, window) -> list[str]:
    panel = window.conversation.assist.panel
    qtbot.waitUntil(lambda: panel.isVisible() and bool(panel.use_buttons), timeout=5000)
    return [label.text().strip("\u200e\u200f\u2068\u2069") for label in panel.option_labels]


def test_a_question_mark_asks_how_to_say_and_never_sends_a_turn(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    partner_before = len(server.partner_requests())
    shown_before = conversation_text(window)

    type_and_send(qtbot, window, "? I would like the bill")

    options = _options(qtbot, window)
    assert options[0] == "Se dice: I would like the bill"
    assert len(options) == 3
    notes = [label.text() for label in window.conversation.assist.panel.findChildren(QLabel)]
    assert any("English note, A2: polite" in note for note in notes)
    assert len(server.partner_requests()) == partner_before
    assert server.coach_requests() == []
    assert conversation_text(window) == shown_before
    assert window.composer.toPlainText() == "? I would like the bill"  # not sent, not cleared

    qtbot.mouseClick(window.conversation.assist.panel.use_buttons[1], Qt.MouseButton.LeftButton)
    assert window.composer.toPlainText() == "También: I would like the bill"
    assert not window.conversation.assist.panel.isVisible()
    assert len(server.task_requests("say")) == 1
    close_app(qtbot, window, context)


def test_a_spanish_opening_question_mark_is_a_real_message(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    type_and_send(qtbot, window, "¿Dónde está el baño?")
    server.wait_for_partner_requests(2)
    wait_until_idle(qtbot, window)
    assert "¿Dónde está el baño?" in conversation_text(window)
    assert server.task_requests("say") == []
    close_app(qtbot, window, context)


def test_the_button_asks_about_what_is_written_and_esc_closes(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    assist = window.conversation.assist
    qtbot.mouseClick(assist.say_button, Qt.MouseButton.LeftButton)
    assert window.composer.toPlainText() == "? "  # an empty composer: the prefix, explained
    assert "after the “?”" in assist.panel.status.text()

    type_text(window.composer, "thank you very much")
    qtbot.mouseClick(assist.say_button, Qt.MouseButton.LeftButton)
    assert _options(qtbot, window)[0] == "Se dice: thank you very much"
    qtbot.keyClick(assist.panel.use_buttons[0], Qt.Key.Key_Escape)
    assert not assist.panel.isVisible()
    assert window.composer.toPlainText() == "? thank you very much"
    assert window.composer.hasFocus()

    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert _options(qtbot, window)[0] == "Se dice: thank you very much"  # kept: asked once
    window.composer.setFocus()
    qtbot.keyClick(window.composer, Qt.Key.Key_Escape)  # from the composer too
    assert not assist.panel.isVisible()
    assert len(server.task_requests("say")) == 1
    close_app(qtbot, window, context)


def test_a_hint_offers_three_replies_and_one_goes_into_the_composer(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    assist = window.conversation.assist
    assert assist.hint_button.isEnabled()

    qtbot.keyClick(window.composer, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)

    options = _options(qtbot, window)
    assert len(options) == 3 and options[0] == "Sí, claro."
    (asked,) = server.task_requests("hint")
    partner_said = window.practice.messages[-1].text
    assert json.loads(asked["messages"][-1]["content"])["partner_said"] == partner_said
    assert "next_goal" not in asked["messages"][-1]["content"]
    qtbot.mouseClick(assist.panel.use_buttons[2], Qt.MouseButton.LeftButton)
    assert window.composer.toPlainText() == "¿Y tú?"
    assert len(server.partner_requests()) == 1 and server.coach_requests() == []
    close_app(qtbot, window, context)


def test_hint_is_disabled_while_a_reply_streams(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    assist = window.conversation.assist
    server.enqueue(ScriptedReply(text="Uno dos tres cuatro cinco seis", token_delay=0.2))
    type_and_send(qtbot, window, "Hola")
    qtbot.waitUntil(lambda: window.practice.is_busy)
    assert not assist.hint_button.isEnabled()
    assert "reply has arrived" in assist.hint_button.toolTip()
    wait_until_idle(qtbot, window, timeout=10000)
    assert assist.hint_button.isEnabled()
    close_app(qtbot, window, context)


def test_a_hint_in_a_scenario_leans_toward_the_next_open_goal(
    qtbot, server, data_dir, keyring_backend
):
    argv = practice_argv(data_dir, server, "--scenario", "cafe-order")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    first_goal = session_of(window).goals[0]

    qtbot.mouseClick(window.conversation.assist.hint_button, Qt.MouseButton.LeftButton)

    assert _options(qtbot, window)[0] == f"Quiero {first_goal}"
    asked = server.task_requests("hint")[0]["messages"][-1]["content"]
    assert f'"next_goal": "{first_goal}"' in asked
    close_app(qtbot, window, context)


def test_a_malformed_answer_is_said_and_retry_asks_again(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    panel = window.conversation.assist.panel
    server.enqueue_task("hint", *[ScriptedReply(text="Maybe say hello?")] * 3)
    window.conversation.assist.ask_hint()
    qtbot.waitUntil(lambda: panel.problem.isVisible(), timeout=5000)
    assert panel.problem.text() == ("Tutor could not find a hint: The answer holds no JSON object.")
    assert panel.retry.isVisible()

    qtbot.mouseClick(panel.retry, Qt.MouseButton.LeftButton)
    assert len(_options(qtbot, window)) == 3
    assert not panel.problem.isVisible()
    close_app(qtbot, window, context)


def test_a_dead_server_is_said_and_the_conversation_is_intact(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    panel = window.conversation.assist.panel
    shown = conversation_text(window)
    messages = window.practice.messages
    server.stop()

    type_and_send(qtbot, window, "? Where is the station")

    qtbot.waitUntil(lambda: panel.problem.isVisible(), timeout=10000)
    assert panel.problem.text().startswith("Tutor cannot reach") or "127.0.0.1" in (
        panel.problem.text()
    )
    assert conversation_text(window) == shown
    assert window.practice.messages == messages
    assert not window.notice.isVisible()
    close_app(qtbot, window, context)
