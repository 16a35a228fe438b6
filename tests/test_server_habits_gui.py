"""Real servers as they are, met by a learner in the real window: every request capped; a
model that refuses max_tokens or a temperature, a chat template without a system role, a
small context window, a model that thinks first. The reply arrives, the coach and the
summary work, nothing is lost, and the next request is shaped right from the start."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from tests.gui_helpers import (
    conversation_text,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply, coach_reply
from tutor.domain.conversation import LENGTH_LIMIT, MessageState, Role
from tutor.domain.corrections import CorrectionState
from tutor.domain.output_caps import REASONING_ROOM, coach_cap, partner_cap, summary_cap

MODEL = "tutor-test-small"
CAP_NAMES = ("max_tokens", "max_completion_tokens")


def caps(body):
    return {name: body[name] for name in CAP_NAMES if name in body}


def open_practice(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    return window, context


def end_and_read_report(qtbot, window) -> str:
    window.end_action.trigger()
    dialog = window.report_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.summary_pending)
    return dialog.view.toPlainText()


def last_check(window):
    learner = [m for m in window.practice.messages if m.role is Role.USER]
    return learner[-1].correction


# ------------------------------------------------------------------------ caps


def test_each_request_carries_a_cap_for_its_job_and_a_long_reply_is_kept_cut_off(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    profile = session_of(window).profile
    endless = " ".join(f"palabra{i}" for i in range(2000))  # never the same twice
    server.enqueue(ScriptedReply(text=endless))
    type_and_send(qtbot, window, "Cuéntame una historia muy larga.")
    wait_until_idle(qtbot, window)

    # The reply stopped at the partner's cap: kept, marked cut off, said so.
    reply = context.sessions.messages(session_of(window).id)[-1]
    assert reply.state is MessageState.CUT_OFF and reply.error == LENGTH_LIMIT
    assert len(reply.text.split()) == partner_cap(profile)
    assert reply.text.startswith("palabra0 palabra1") and "palabra199" in conversation_text(window)
    assert LENGTH_LIMIT in window.notice.label.text()

    # The learner goes on at once.
    type_and_send(qtbot, window, "Gracias.")
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].state is MessageState.COMPLETE

    report = end_and_read_report(qtbot, window)
    assert "could not be written" not in report
    partner = [caps(body) for body in server.partner_requests()]
    assert partner == [{"max_tokens": partner_cap(profile)}] * 3
    coach = [caps(body) for body in server.coach_requests()]
    assert coach == [
        {"max_tokens": coach_cap("Cuéntame una historia muy larga.", profile)},
        {"max_tokens": coach_cap("Gracias.", profile)},
    ]
    assert [caps(body) for body in server.summary_requests()] == [
        {"max_tokens": summary_cap(profile)}
    ]


# ---------------------------------------------------------- refused parameters


def test_a_model_refusing_max_tokens_and_temperature_talks_checks_and_summarises(
    qtbot, server, data_dir, keyring_backend
):
    server.refused_parameters[MODEL] = {"max_tokens", "temperature"}
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    cap = partner_cap(session_of(window).profile)
    assert window.practice.messages[-1].state is MessageState.COMPLETE  # the opening
    assert not window.notice.isVisible()

    server.enqueue_coach(
        coach_reply("Ayer fui al parque.", [("fue", "fui", "Yo: fui.", "grammar")])
    )
    type_and_send(qtbot, window, "Ayer fue al parque.")
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].text.startswith("Respuesta")
    check = last_check(window)
    assert check is not None and check.state is CorrectionState.CHECKED
    assert len(check.marks) == 1
    assert not window.notice.isVisible()

    # The opening learned the form; every later request starts with it.
    partner = [caps(body) for body in server.partner_requests()]
    assert partner == [
        {"max_tokens": cap},
        {"max_completion_tokens": cap},
        {"max_completion_tokens": cap},
    ]
    coach = server.coach_requests()
    assert [("max_completion_tokens" in b, b.get("temperature")) for b in coach] == [
        (True, 0),
        (True, None),
    ]

    report = end_and_read_report(qtbot, window)
    assert "could not be written" not in report
    (summary,) = server.summary_requests()  # right the first time
    assert "temperature" not in summary and "max_completion_tokens" in summary
    stored = context.reports.report(session_of(window).id)
    assert stored is not None and stored.summary is not None

    # A new start on the same data folder remembers it all.
    window.close()
    context.tasks.wait_for_done(5000)
    context.sessions.close()
    before = len(server.chat_requests())
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    assert [caps(b) for b in server.chat_requests()[before:]] == [{"max_completion_tokens": cap}]


# ----------------------------------------------------------------- system role


def test_a_chat_template_without_a_system_role_still_gets_its_instructions(
    qtbot, server, data_dir, keyring_backend
):
    server.no_system_role.add(MODEL)
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    session = session_of(window)
    assert window.practice.messages[-1].state is MessageState.COMPLETE
    assert not window.notice.isVisible()
    type_and_send(qtbot, window, "Me gusta mucho el cine.")
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].text.startswith("Respuesta")
    check = last_check(window)
    assert check is not None and check.state is CorrectionState.CHECKED
    report = end_and_read_report(qtbot, window)
    assert "could not be written" not in report

    partner = server.partner_requests()
    assert len(partner) == 3  # the opening asked twice; the next turn once
    assert partner[0]["messages"][0] == {"role": "system", "content": session.system_message}
    for body in partner[1:]:
        assert all(m["role"] != "system" for m in body["messages"])
        assert body["messages"][0]["content"].startswith(session.system_message + "\n\n")
    last = partner[-1]["messages"]
    assert last[-1] == {"role": "user", "content": "Me gusta mucho el cine."}
    for body in [*server.coach_requests(), *server.summary_requests()]:
        assert all(m["role"] != "system" for m in body["messages"])
    assert len(server.coach_requests()) == 1 and len(server.summary_requests()) == 1
    stored = context.sessions.messages(session.id)
    assert [m.text for m in stored if m.role is Role.USER] == ["Me gusta mucho el cine."]


# -------------------------------------------------------------- context window


def earlier_turns(context, session_id: int, count: int) -> None:
    """A long conversation had earlier (with a model that had room for it)."""
    for turn in range(count):
        context.sessions.add_message(
            session_id, Role.USER, f"Mensaje {turn}: " + "Me gusta hablar de mi ciudad. " * 10
        )
        context.sessions.add_message(
            session_id, Role.ASSISTANT, f"Respuesta {turn}: " + "¡Qué bonito es eso! " * 12
        )


def test_a_long_conversation_on_a_small_context_window_goes_on_with_fewer_turns(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    session_id = session_of(window).id
    earlier_turns(context, session_id, 12)
    window.open_session(session_id)  # as the learner picks it in the sidebar
    qtbot.waitUntil(lambda: len(window.practice.messages) == 25)
    server.context_windows[MODEL] = 1500

    type_and_send(qtbot, window, "¿Y tú de dónde eres?")
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].state is MessageState.COMPLETE
    assert window.practice.messages[-1].text.startswith("Respuesta")
    assert not window.notice.isVisible()
    # Nothing is lost: every earlier turn is still there, on screen and on disk.
    stored = context.sessions.messages(session_id)
    assert len(stored) == 27
    assert "Mensaje 0:" in conversation_text(window)

    first, second = server.partner_requests()[-2:]
    assert len(second["messages"]) < len(first["messages"])
    assert second["messages"][0] == first["messages"][0]  # the system message, always
    assert second["messages"][-1] == {"role": "user", "content": "¿Y tú de dónde eres?"}

    # The next turn starts with the smaller history: one request.
    count = len(server.partner_requests())
    type_and_send(qtbot, window, "Yo soy de Sevilla.")
    wait_until_idle(qtbot, window)
    assert len(server.partner_requests()) == count + 1
    assert len(server.partner_requests()[-1]["messages"]) <= len(second["messages"]) + 2

    # The summary fits the window at once: the newest of the learner's 14 messages.
    report = end_and_read_report(qtbot, window)
    assert "could not be written" not in report
    (summary,) = server.summary_requests()
    asked = json.loads(summary["messages"][-1]["content"])["messages"]
    assert 1 < len(asked) < 14
    assert asked[-1]["text"] == "Yo soy de Sevilla."


def test_a_window_too_small_for_the_instructions_is_said_and_the_text_kept(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.context_windows[MODEL] = 300  # less than the system message alone
    type_and_send(qtbot, window, "Hola, ¿qué tal?")
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=5000)
    wait_until_idle(qtbot, window)
    said = window.notice.label.text()
    assert "too long for the model 'tutor-test-small'" in said
    assert "larger context window" in said
    assert window.notice.retry.isVisible()
    assert "Hola, ¿qué tal?" in conversation_text(window)
    stored = context.sessions.messages(session_of(window).id)
    assert [m.text for m in stored if m.role is Role.USER] == ["Hola, ¿qué tal?"]
    assert stored[-1].state is MessageState.FAILED and "too long" in (stored[-1].error or "")

    # With a larger window (the server restarted with more context), Retry answers.
    server.context_windows[MODEL] = 100_000
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].state is MessageState.COMPLETE


# ------------------------------------------------------------------- reasoning


def test_a_model_cut_while_thinking_gets_room_from_the_retry_on(
    qtbot, server, data_dir, keyring_backend
):
    thinking = "Pienso en cómo abrir la conversación con calma. " * 40
    server.enqueue(ScriptedReply(text="¡Hola! ¿Qué tal?", reasoning=thinking))
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    profile = session_of(window).profile
    cap = partner_cap(profile)
    # Cut by the cap while thinking: said, with Retry (domain/reasoning.py's words).
    opening = window.practice.messages[-1]
    assert opening.state is MessageState.FAILED
    assert "still thinking when it reached the length limit" in (opening.error or "")
    server.enqueue(ScriptedReply(text="¡Hola! ¿Qué tal?", reasoning=thinking))
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].text == "¡Hola! ¿Qué tal?"
    assert window.practice.messages[-1].state is MessageState.COMPLETE
    type_and_send(qtbot, window, "Bien, ¿y tú?")
    wait_until_idle(qtbot, window)
    assert [caps(b) for b in server.partner_requests()] == [
        {"max_tokens": cap},
        {"max_tokens": cap + REASONING_ROOM},
        {"max_tokens": cap + REASONING_ROOM},
    ]
    assert caps(server.coach_requests()[-1]) == {
        "max_tokens": coach_cap("Bien, ¿y tú?", profile) + REASONING_ROOM
    }
    stored = context.sessions.messages(session_of(window).id)
    assert next(m.text for m in stored if m.role is Role.ASSISTANT) == "¡Hola! ¿Qué tal?"
