"""Reasoning models through the client, against the local server: the thinking (a <think>
block in the content, or deltas in a reasoning field) is never the answer's words, while
the usage is counted whole. The partner's stream, whole answers, the coach's and the
summary's JSON, and the connection check."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.openai_server import ScriptedReply, coach_json, split_tokens, with_thinking
from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import CoachPath, CorrectionStyle
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.llm.client import ChatClient, ServerConfig
from tutor.llm.coach import CoachRequest, check_message
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.summary import summarize

MODEL = "tutor-test-small"
MESSAGES = [{"role": "user", "content": "Me llamo Ana."}]
# A thought with JSON-looking text in it, as a model thinking about its JSON answer writes.
THOUGHT = 'The learner wrote "goed". I answer {"corrected": "wrong"} ... no: went.'
WORDS = "¡Encantada, Ana! ¿De dónde eres?"
GOED = "Yesterday I goed to the park"
WENT = "Yesterday I went to the park"


@pytest.fixture
def client(server):
    return ChatClient(ServerConfig(server.base_url, MODEL))


def test_a_think_block_in_the_stream_is_not_yielded(server, client):
    reply = with_thinking(ScriptedReply(text=WORDS), THOUGHT)
    server.enqueue(reply)
    stream = client.stream_reply(MESSAGES)
    pieces = list(stream)
    assert "".join(pieces) == WORDS
    assert stream.text == WORDS
    assert stream.reasoned and not stream.thinking
    assert stream.finish_reason == "stop"
    # The usage is the server's: the thinking's tokens are paid for and counted.
    assert stream.usage is not None
    assert stream.usage.completion_tokens == len(split_tokens(reply.text))


def test_the_stream_says_the_model_is_thinking_while_it_thinks(server, client):
    server.enqueue(with_thinking(ScriptedReply(text=WORDS), THOUGHT))
    stream = client.stream_reply(MESSAGES)
    seen = [(piece, stream.thinking) for piece in stream]
    assert seen[0] == ("", True)  # pieces come while it thinks: it is alive
    first_words = next(i for i, (piece, _) in enumerate(seen) if piece)
    assert all(thinking for _, thinking in seen[:first_words])
    assert not any(thinking for _, thinking in seen[first_words:])


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_reasoning_deltas_before_the_content_are_thinking_not_words(server, client, field):
    server.enqueue(ScriptedReply(text=WORDS, reasoning=THOUGHT, reasoning_field=field))
    stream = client.stream_reply(MESSAGES)
    seen = [(piece, stream.thinking) for piece in stream]
    assert "".join(piece for piece, _ in seen) == WORDS
    assert seen[0] == ("", True)
    assert stream.reasoned and not stream.thinking
    assert stream.usage is not None
    assert stream.usage.completion_tokens == len(split_tokens(THOUGHT)) + len(split_tokens(WORDS))


def test_reasoning_deltas_alone_are_no_words_and_say_the_model_still_thinks(server, client):
    server.enqueue(ScriptedReply(text="", reasoning=THOUGHT, finish_reason="length"))
    stream = client.stream_reply(MESSAGES)
    assert "".join(stream) == ""
    assert stream.reasoned and stream.thinking and stream.finish_reason == "length"


def test_thinking_cut_by_the_cap_leaves_no_words(server, client):
    server.enqueue(ScriptedReply(tokens=["<think>", "\nHmm,", " she", " said", " her name"]))
    stream = client.stream_reply(MESSAGES)
    assert "".join(stream) == ""
    assert stream.reasoned and stream.thinking


def test_a_closing_tag_alone_shows_the_words_so_far_were_thinking(server, client):
    server.enqueue(ScriptedReply(text=f"{THOUGHT}\n</think>\n\n{WORDS}"))
    stream = client.stream_reply(MESSAGES)
    before: list[str] = []
    after: list[str] = []
    for piece in stream:
        (after if stream.restarts else before).append(piece)
    assert "".join(before).strip() == THOUGHT  # given as words until the tag came
    assert "".join(after) == WORDS  # then withdrawn: the caller drops them
    assert stream.text == WORDS and stream.restarts == 1 and stream.reasoned


def test_an_ordinary_reply_streams_piece_for_piece(server, client):
    tokens = ["<b>", "¡Hola", ", Ana", "!", " 3 < 4"]
    server.enqueue(ScriptedReply(tokens=tokens))
    stream = client.stream_reply(MESSAGES)
    assert list(stream) == ["<b>", "¡Hola", ", Ana", "!", " 3 < 4"]
    assert not stream.reasoned


def test_a_whole_answer_is_given_without_its_thinking(server, client):
    server.enqueue_coach(with_thinking(ScriptedReply(text=WORDS), THOUGHT))
    completion = client.complete(MESSAGES)
    assert completion.text == WORDS and completion.reasoned
    assert completion.usage is not None and completion.usage.completion_tokens > len(
        split_tokens(WORDS)
    )


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_a_whole_answer_with_a_reasoning_field_is_known_to_have_reasoned(server, client, field):
    server.enqueue_coach(ScriptedReply(text=WORDS, reasoning=THOUGHT, reasoning_field=field))
    completion = client.complete(MESSAGES)
    assert completion.text == WORDS and completion.reasoned


def test_an_answer_without_thinking_is_untouched(server, client):
    server.enqueue_coach(ScriptedReply(text="  Vale, <b>bien</b>.  "))
    completion = client.complete(MESSAGES)
    assert completion.text == "  Vale, <b>bien</b>.  " and not completion.reasoned


# ------------------------------------------------------------------------------ the coach


def _coach_request() -> CoachRequest:
    return CoachRequest(
        profile=LearnerProfile("en", Level.A2, "es"),
        style=CorrectionStyle(),
        learner_text=GOED,
        partner_line="What did you do yesterday?",
        model=MODEL,
        first_path=CoachPath.JSON_OBJECT,
    )


def test_the_coach_s_json_after_a_think_block_is_read(server, client):
    verdict = coach_json(WENT, [("goed", "went", "Go is irregular.", "grammar")])
    server.enqueue_coach(with_thinking(ScriptedReply(text=verdict), THOUGHT))
    result = check_message(client, _coach_request())
    assert result.verdict.corrected == WENT
    assert [item.original for item in result.verdict.items] == ["goed"]
    assert result.path is CoachPath.JSON_OBJECT  # read at once: no fallback was needed
    assert len(server.coach_requests()) == 1


def test_a_coach_that_only_thinks_fails_at_once_and_says_why(server, client):
    server.enqueue_coach(ScriptedReply(text="", reasoning=THOUGHT, finish_reason="length"))
    with pytest.raises(LlmError) as caught:
        check_message(client, _coach_request())
    assert caught.value.kind is ErrorKind.UNUSABLE_ANSWER
    assert caught.value.message == (
        "The coach could not check this message: the model was still thinking when it "
        "reached the length limit."
    )
    assert len(server.coach_requests()) == 1  # another path would think the same way


# ---------------------------------------------------------------------------- the summary


def _conversation() -> list[ChatMessage]:
    when = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    return [
        ChatMessage(1, 1, Role.ASSISTANT, "¿Qué hiciste ayer?", when),
        ChatMessage(2, 1, Role.USER, "Ayer fue al parque.", when),
    ]


def test_the_summary_s_json_after_a_think_block_is_read(server, client):
    summary = {"went_well": "Frases claras.", "patterns": [{"text": "Fui.", "message_ids": [2]}]}
    server.enqueue_summary(
        with_thinking(ScriptedReply(text=json.dumps(summary, ensure_ascii=False)), THOUGHT)
    )
    written = summarize(client, MODEL, LearnerProfile("en", Level.A2, "es"), _conversation())
    assert written.went_well == "Frases claras."
    assert [(p.text, p.message_ids) for p in written.patterns] == [("Fui.", (2,))]


def test_a_summary_that_only_thinks_says_why(server, client):
    server.enqueue_summary(ScriptedReply(text=f"<think>{THOUGHT}", finish_reason="length"))
    with pytest.raises(LlmError) as caught:
        summarize(client, MODEL, LearnerProfile("en", Level.A2, "es"), _conversation())
    assert caught.value.message == (
        "The summary could not be written: the model was still thinking when it reached "
        "the length limit."
    )


# ----------------------------------------------------------------------- the connection


def test_a_connection_check_answered_after_thinking_succeeds(server, client):
    server.enqueue(with_thinking(ScriptedReply(text="OK"), "The user wants OK."))
    assert client.check_connection().startswith("Connected")


def test_a_connection_check_answered_with_thinking_and_no_words_fails(server, client):
    server.enqueue(ScriptedReply(text="", reasoning="The user wants OK."))
    with pytest.raises(LlmError) as caught:
        client.check_connection()
    assert caught.value.kind is ErrorKind.EMPTY_REPLY
    assert "thought but wrote no answer" in caught.value.message


def test_a_connection_check_cut_by_its_tiny_cap_while_thinking_connects(server, client):
    # The check's cap is a few tokens: a model that thinks first is cut while thinking,
    # which proves the server, the key and the model (tests/test_server_habits.py).
    server.enqueue(ScriptedReply(text="", reasoning="The user wants OK.", finish_reason="length"))
    assert "thinks before it answers" in client.check_connection()
