"""A reasoning model as the partner, as a learner meets it: "thinking…" while it thinks,
then only its words, shown, stored, sent back and given to the coach; its thinking never."""

from __future__ import annotations

import json

from tests.gui_helpers import (
    conversation_text,
    open_practice,
    session_of,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply, split_tokens, with_thinking
from tutor.domain.conversation import MessageState, Role
from tutor.domain.reasoning import no_words_reply

THOUGHT = (
    "Okay, the learner says her name is Ana. I should greet her warmly and ask where she "
    "is from, in simple Spanish for level A2."
)
WORDS = "¡Encantada, Ana! ¿De dónde eres?"


def shows_thought(window) -> bool:
    shown = conversation_text(window)
    return "learner says" in shown or "think>" in shown or "Okay, the" in shown


def partner_said(request: dict) -> str:
    return json.loads(request["messages"][-1]["content"])["partner_said"]


def test_a_think_block_shows_thinking_then_only_the_words(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    reply = with_thinking(ScriptedReply(text=WORDS, token_delay=0.05), THOUGHT)
    server.enqueue(reply)
    type_and_send(qtbot, window, "Me llamo Ana")

    qtbot.waitUntil(lambda: "thinking…" in conversation_text(window), timeout=5000)
    assert not shows_thought(window)
    assert window.send_button.text() == "Stop"  # a reply is under way, not stuck
    qtbot.waitUntil(lambda: "¡Encantada" in conversation_text(window), timeout=5000)
    assert "thinking…" not in conversation_text(window)
    wait_until_idle(qtbot, window)

    shown = conversation_text(window)
    assert WORDS in shown and not shows_thought(window)
    stored = context.sessions.messages(session_of(window).id)[-1]
    assert stored.role is Role.ASSISTANT
    assert (stored.state, stored.text) == (MessageState.COMPLETE, WORDS)
    # The usage is the server's whole count: the thinking was paid for.
    assert stored.usage is not None
    assert stored.usage.completion_tokens == len(split_tokens(reply.text))

    type_and_send(qtbot, window, "Soy de Madrid")
    wait_until_idle(qtbot, window)
    history = server.partner_requests()[-1]["messages"]
    assert {"role": "assistant", "content": WORDS} in history
    assert not any("learner says" in m["content"] for m in history)
    assert partner_said(server.coach_requests()[-1]) == WORDS


def test_reasoning_deltas_show_thinking_then_the_words(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue(
        ScriptedReply(text=WORDS, reasoning=THOUGHT, reasoning_field="reasoning", token_delay=0.05)
    )
    type_and_send(qtbot, window, "Me llamo Ana")

    qtbot.waitUntil(lambda: "thinking…" in conversation_text(window), timeout=5000)
    assert not shows_thought(window)
    wait_until_idle(qtbot, window)
    assert WORDS in conversation_text(window)
    assert "thinking…" not in conversation_text(window)
    stored = context.sessions.messages(session_of(window).id)[-1]
    assert (stored.state, stored.text) == (MessageState.COMPLETE, WORDS)


def test_a_reply_cut_off_while_thinking_says_so_and_offers_retry(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue(ScriptedReply(text=f"<think>\n{THOUGHT}", finish_reason="length"))
    type_and_send(qtbot, window, "Me llamo Ana")
    wait_until_idle(qtbot, window)

    words = no_words_reply("length")
    assert words.startswith("No words came: the model was still thinking")
    shown = conversation_text(window)
    assert words in shown and "Retry" in shown
    assert not shows_thought(window)
    stored = context.sessions.messages(session_of(window).id)[-1]
    assert (stored.state, stored.text, stored.error) == (MessageState.FAILED, "", words)

    server.enqueue(with_thinking(ScriptedReply(text=WORDS), "Short thought."))
    window.practice.retry()
    wait_until_idle(qtbot, window)
    assert WORDS in conversation_text(window) and words not in conversation_text(window)


def test_thinking_whose_opening_tag_was_in_the_prompt_is_taken_back(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    more = " Yo soy de Sevilla, y me gusta mucho pasear por el centro los domingos."
    server.enqueue(ScriptedReply(text=f"{THOUGHT}\n</think>\n\n{WORDS}{more}", token_delay=0.05))
    type_and_send(qtbot, window, "Me llamo Ana")
    qtbot.waitUntil(lambda: "Okay, the learner" in conversation_text(window), timeout=5000)
    qtbot.waitUntil(lambda: "¡Encantada" in conversation_text(window), timeout=5000)
    assert window.practice.is_busy  # still streaming: the thinking went when the tag came
    assert not shows_thought(window)
    wait_until_idle(qtbot, window)
    assert WORDS + more in conversation_text(window) and not shows_thought(window)
    stored = context.sessions.messages(session_of(window).id)[-1]
    assert (stored.state, stored.text) == (MessageState.COMPLETE, WORDS + more)
