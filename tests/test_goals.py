"""Scenario goals: asked about in the coach call, stored with the message that met them,
ticked beside the conversation, and the offer to end the session when all are met."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from tests.gui_helpers import (
    close_app,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply
from tutor.domain.coach_prompt import coach_messages
from tutor.domain.coach_reply import parse_coach_reply
from tutor.domain.corrections import CoachPath, CorrectionStyle
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.prompts import build_system_message
from tutor.paths import bundled_resources
from tutor.store.scenario_library import read_scenario_file

CAFE = read_scenario_file(bundled_resources() / "scenarios" / "cafe-order.toml", built_in=True)
PROFILE = LearnerProfile("es", Level.A2, "en")


def verdict(text: str, goals_met: list[object]) -> str:
    return json.dumps({"corrected": text, "items": [], "natural": "", "goals_met": goals_met})


def start_scenario(qtbot, server, data_dir, keyring_backend, scenario_id):
    window, context = start_app(
        qtbot,
        practice_argv(data_dir, server, "--scenario", scenario_id),
        key_backend=keyring_backend,
    )
    wait_until_idle(qtbot, window)
    return window, context


def test_the_system_message_puts_the_partner_in_role_and_steers_to_the_goals():
    system = build_system_message(PROFILE, CAFE)
    assert CAFE.partner_role in system
    assert CAFE.learner_role in system
    assert CAFE.opening in system
    for goal in CAFE.goals:
        assert goal in system
    assert "Spanish" in system and "A2" in system
    assert "never do it for them" in system


def test_only_open_goals_are_asked_about_numbered_from_one():
    messages = coach_messages(
        PROFILE,
        CorrectionStyle(),
        "Un café, por favor.",
        "¿Qué desea?",
        CoachPath.JSON_SCHEMA,
        {0: "Order a drink", 2: "Ask for the bill and pay"},
    )
    request = json.loads(messages[1]["content"])
    assert request["open_goals"] == {"1": "Order a drink", "3": "Ask for the bill and pay"}
    assert '"goals_met"' in messages[0]["content"]


def test_goals_met_are_kept_only_when_they_were_asked_about():
    text = "Un café, por favor."
    assert parse_coach_reply(verdict(text, [1, 2, "3", 9, True]), text, {0, 2}).goals_met == (
        0,
        2,
    )
    assert parse_coach_reply(verdict(text, []), text, {0}).goals_met == ()
    no_key = json.dumps({"corrected": text, "items": []})
    assert parse_coach_reply(no_key, text, {0}).goals_met == ()


def test_a_met_goal_is_ticked_linked_to_its_message_and_all_met_offers_to_end(
    qtbot, server, data_dir, keyring_backend
):
    server.enqueue(ScriptedReply(text="¡Buenos días! ¿Qué le pongo de beber?"))
    window, context = start_app(
        qtbot,
        practice_argv(data_dir, server, "--scenario", "cafe-order"),
        key_backend=keyring_backend,
    )
    wait_until_idle(qtbot, window)
    assert session_of(window).scenario_id == "cafe-order"
    assert window.goals_panel.isVisible()
    labels = window.goals_panel.goal_labels
    assert len(labels) == 3
    assert all("☐" in label.text() for label in labels)

    server.enqueue_coach(ScriptedReply(text=verdict("Un café con leche, por favor.", [1])))
    type_and_send(qtbot, window, "Un café con leche, por favor.")
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: "☑" in window.goals_panel.goal_labels[0].text())
    labels = window.goals_panel.goal_labels
    assert "☑" in labels[0].text() and "☐" in labels[1].text()
    first_message = next(m for m in window.practice.messages if m.role.value == "user")
    assert context.sessions.goals_met(session_of(window).id) == {0: first_message.id}
    assert f"message:{first_message.id}" in labels[0].text()
    # The coach was told which goals are still open.
    asked = json.loads(server.coach_requests()[-1]["messages"][1]["content"])
    assert set(asked["open_goals"]) == {"1", "2", "3"}

    server.enqueue_coach(ScriptedReply(text=verdict("¿Qué tiene para comer? Y la cuenta.", [2, 3])))
    type_and_send(qtbot, window, "¿Qué tiene para comer? Y la cuenta.")
    wait_until_idle(qtbot, window)
    asked = json.loads(server.coach_requests()[-1]["messages"][1]["content"])
    assert set(asked["open_goals"]) == {"2", "3"}
    qtbot.waitUntil(lambda: window.goals_panel.end_button.isVisible())
    assert all("☑" in label.text() for label in window.goals_panel.goal_labels)

    qtbot.mouseClick(window.goals_panel.end_button, Qt.MouseButton.LeftButton)
    assert not window.composer.isEnabled()
    assert "ended" in window.composer.placeholderText()
    assert session_of(window).has_ended
    close_app(qtbot, window, context)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    assert session_of(window).has_ended
    assert not window.composer.isEnabled()
    assert all("☑" in label.text() for label in window.goals_panel.goal_labels)
    qtbot.mouseClick(window.goals_panel.continue_button, Qt.MouseButton.LeftButton)
    assert window.composer.isEnabled()
    assert not session_of(window).has_ended
    close_app(qtbot, window, context)


def test_keep_talking_hides_the_offer_and_the_talk_goes_on(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = start_scenario(qtbot, server, data_dir, keyring_backend, "cafe-order")
    server.enqueue_coach(ScriptedReply(text=verdict("Todo.", [1, 2, 3])))
    type_and_send(qtbot, window, "Todo.")
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.goals_panel.keep_button.isVisible())
    qtbot.mouseClick(window.goals_panel.keep_button, Qt.MouseButton.LeftButton)
    assert not window.goals_panel.end_button.isVisible()
    assert window.composer.isEnabled()


def test_free_conversation_has_no_goals_panel_and_an_unknown_scenario_says_so(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = start_scenario(qtbot, server, data_dir, keyring_backend, "no-such-thing")
    assert not window.goals_panel.isVisible()
    assert "no-such-thing" in window.notice.label.text()
    assert session_of(window).scenario_id == "free-conversation"
