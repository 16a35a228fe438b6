"""A reply that will not end never holds the learner: one that repeats itself is stopped
by Tutor, and Enter with a message typed stops any reply and sends. Driven through the
real window against the local test server."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui_helpers import (
    conversation_text,
    open_practice,
    type_and_send,
    type_text,
    wait_until_idle,
)
from tests.openai_server import LOOP_CEILING, ScriptedReply, requested_cap
from tutor.domain.conversation import (
    INTERRUPTED_BY_LEARNER,
    REPEATED_ITSELF,
    MessageState,
    Role,
)
from tutor.domain.message_text import MAX_MESSAGE_CHARS

WELCOME = "¡De nada! Que tengas un buen día."


def test_a_reply_that_repeats_itself_is_stopped_early_kept_once_and_retry_offered(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    # A small model in a loop: "Gracias." then the same sentence until the cap (200
    # pieces at A2) or, with none, the ceiling (4,000 pieces: 20 s at this pace).
    server.enqueue(ScriptedReply(text="Gracias.", loop=" " + WELCOME, token_delay=0.005))
    type_and_send(qtbot, window, "Muchas gracias por tu ayuda")
    wait_until_idle(qtbot, window)

    # Stopped by Tutor within a few repeats: the server was cut off after a few pieces,
    # far fewer than the request's cap (or, with none, the server's ceiling) allowed.
    qtbot.waitUntil(lambda: len(server.stream_events_sent) == 2)
    cap = requested_cap(server.partner_requests()[-1]) or LOOP_CEILING
    assert server.stream_events_sent[-1] < 60 < cap
    reply = window.practice.messages[-1]
    assert reply.text == "Gracias. " + WELCOME
    assert reply.state is MessageState.CUT_OFF and reply.error == REPEATED_ITSELF
    shown = conversation_text(window)
    assert shown.count("Que tengas un buen día") == 1  # the repeats are gone from the view
    assert REPEATED_ITSELF in shown
    assert window.notice.isVisible() and REPEATED_ITSELF in window.notice.label.text()
    assert window.notice.retry.isVisible()
    stored = context.sessions.message(reply.id)
    assert (stored.state, stored.text, stored.error) == (
        MessageState.CUT_OFF,
        "Gracias. " + WELCOME,
        REPEATED_ITSELF,
    )

    # The loop is not sent back: the next request carries the reply as kept.
    server.enqueue(ScriptedReply(text="¿Y qué vas a hacer hoy?"))
    type_and_send(qtbot, window, "Igualmente")
    wait_until_idle(qtbot, window)
    sent = server.partner_requests()[-1]["messages"]
    assert sent[-2:] == [
        {"role": "assistant", "content": "Gracias. " + WELCOME},
        {"role": "user", "content": "Igualmente"},
    ]
    assert window.practice.messages[-1].text == "¿Y qué vas a hacer hoy?"


def test_retry_after_a_loop_asks_again(qtbot, server, data_dir, keyring_backend):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    loop = " Vale, vale, hasta mañana."
    server.enqueue(ScriptedReply(text="Vale.", loop=loop, token_delay=0.005))
    type_and_send(qtbot, window, "Hasta mañana")
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].error == REPEATED_ITSELF
    requests = len(server.partner_requests())

    server.enqueue(ScriptedReply(text="¡Hasta mañana, Ana!"))
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)

    assert len(server.partner_requests()) == requests + 1
    assert "¡Hasta mañana, Ana!" in conversation_text(window)
    assert not window.notice.isVisible()


def test_enter_while_a_reply_streams_stops_it_and_sends_the_new_message(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    words = [f" palabra{i}" for i in range(60)]
    server.enqueue(ScriptedReply(tokens=words, token_delay=0.1))
    type_and_send(qtbot, window, "Cuéntame una historia larga")
    qtbot.waitUntil(lambda: "palabra2" in conversation_text(window), timeout=5000)

    # Nothing typed: Enter does nothing (Esc or Stop stops), and the button says Stop.
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.practice.is_busy
    assert window.send_button.text() == "Stop"

    # The composer takes text while the reply streams; the button now says what Enter does.
    assert window.composer.isEnabled() and not window.composer.isReadOnly()
    type_text(window.composer, "Espera, tengo una pregunta")
    assert window.composer.toPlainText() == "Espera, tengo una pregunta"
    assert window.send_button.text() == "Send"
    assert window.send_button.accessibleName() == "Stop the reply and send"
    assert window.practice.is_busy

    server.enqueue(ScriptedReply(text="Claro, dime."))
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)

    assert window.composer.toPlainText() == ""
    wait_until_idle(qtbot, window)
    *_, story, cut, question, answer = window.practice.messages
    assert (story.role, story.text) == (Role.USER, "Cuéntame una historia larga")
    assert cut.role is Role.ASSISTANT and cut.state is MessageState.CUT_OFF
    assert cut.error == INTERRUPTED_BY_LEARNER
    assert cut.text.startswith("palabra0 palabra1 palabra2") and "palabra59" not in cut.text
    assert (question.role, question.text) == (Role.USER, "Espera, tengo una pregunta")
    assert (answer.text, answer.state) == ("Claro, dime.", MessageState.COMPLETE)
    shown = conversation_text(window)
    assert INTERRUPTED_BY_LEARNER in shown and f"⚠ {INTERRUPTED_BY_LEARNER}" not in shown
    assert not window.notice.isVisible()

    # Stored as shown; the partner got the new message after the cut reply.
    for message in (cut, question, answer):
        stored = context.sessions.message(message.id)
        assert (stored.text, stored.state, stored.error) == (
            message.text,
            message.state,
            message.error,
        )
    sent = server.partner_requests()[-1]["messages"]
    assert sent[-3:] == [
        {"role": "user", "content": "Cuéntame una historia larga"},
        {"role": "assistant", "content": cut.text},
        {"role": "user", "content": "Espera, tengo una pregunta"},
    ]
    qtbot.wait(300)  # late pieces of the stopped reply reach neither the view nor the file
    assert "palabra59" not in conversation_text(window)
    assert context.sessions.message(cut.id).text == cut.text


def test_enter_before_the_reply_begins_drops_the_empty_reply_and_sends(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue(ScriptedReply(hang=True))
    type_and_send(qtbot, window, "Hola")
    server.wait_for_partner_requests(2)
    assert window.practice.is_busy
    session = window.practice.session
    assert session is not None
    assert window.practice.messages[-1].text == ""  # the reply, waiting for its first piece

    server.enqueue(ScriptedReply(text="¡Hola! ¿Qué tal?"))
    type_and_send(qtbot, window, "¿Estás ahí?")
    wait_until_idle(qtbot, window)

    texts = [(m.role, m.text) for m in window.practice.messages[-3:]]
    assert texts == [
        (Role.USER, "Hola"),
        (Role.USER, "¿Estás ahí?"),
        (Role.ASSISTANT, "¡Hola! ¿Qué tal?"),
    ]
    stored = context.sessions.messages(session.id)  # the empty reply is not kept
    assert [(m.role, m.text) for m in stored[-3:]] == texts
    assert all(m.text for m in stored)
    server.release_hanging()


def test_a_message_refused_while_a_reply_streams_leaves_both_alone(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue(ScriptedReply(tokens=[f" trozo{i}" for i in range(40)], token_delay=0.1))
    type_and_send(qtbot, window, "Habla")
    qtbot.waitUntil(lambda: "trozo1" in conversation_text(window), timeout=5000)
    too_long = "a" * (MAX_MESSAGE_CHARS + 1)
    window.composer.setPlainText(too_long)

    qtbot.keyClick(window.composer, Qt.Key.Key_Return)

    assert window.practice.is_busy  # the reply goes on
    assert window.composer.toPlainText() == too_long  # and the text waits to be shortened
    assert "limit" in window.notice.label.text()
    window.practice.stop()


def test_the_button_does_what_enter_does_while_a_reply_streams(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue(ScriptedReply(tokens=[f" trozo{i}" for i in range(40)], token_delay=0.1))
    type_and_send(qtbot, window, "Habla")
    qtbot.waitUntil(lambda: "trozo1" in conversation_text(window), timeout=5000)
    assert window.send_button.text() == "Stop"
    type_text(window.composer, "Otra cosa")
    assert window.send_button.toolTip() == "Stop the reply and send your message (Enter)"
    window.composer.clear()  # nothing typed again: the button stops
    assert window.send_button.text() == "Stop"
    type_text(window.composer, "Otra cosa")

    server.enqueue(ScriptedReply(text="¿Qué cosa?"))
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)

    *_, cut, sent, answer = window.practice.messages
    assert cut.error == INTERRUPTED_BY_LEARNER and cut.text.startswith("trozo0 trozo1")
    assert (sent.text, answer.text) == ("Otra cosa", "¿Qué cosa?")
    assert window.send_button.text() == "Send" and window.composer.toPlainText() == ""
