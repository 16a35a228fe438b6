"""The test server's real-model behaviours, driven with the real ``openai`` client: output
caps, looping replies, reasoning in its own field, refused parameters, a chat template
without a system role, a context window, and summary requests told from coach ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from openai import OpenAI
from openai.types.chat import ChatCompletionMessageParam

from tests.openai_server import (
    LOOP_CEILING,
    MIXED_MODELS,
    OpenAITestServer,
    ScriptedReply,
    _manual_server,
    _parse_args,
    coach_reply,
    split_tokens,
    with_thinking,
)

MODEL = "tutor-test-small"
HELLO: list[ChatCompletionMessageParam] = [
    {"role": "system", "content": "Eres un compañero de conversación."},
    {"role": "user", "content": "Hola."},
]


@pytest.fixture
def server() -> Iterator[OpenAITestServer]:
    with OpenAITestServer() as srv:
        yield srv


@pytest.fixture
def client(server: OpenAITestServer) -> Iterator[OpenAI]:
    with OpenAI(api_key="k", base_url=server.base_url, max_retries=0, timeout=5) as cli:
        yield cli


def stream(client: OpenAI, model: str = MODEL, **extra: Any) -> tuple[list[str], list[Any]]:
    """The content pieces of one streamed reply, and every choice delta."""
    pieces, deltas = [], []
    finish = None
    for chunk in client.chat.completions.create(model=model, messages=HELLO, stream=True, **extra):
        for choice in chunk.choices:
            deltas.append(choice.delta)
            if choice.delta.content:
                pieces.append(choice.delta.content)
            finish = choice.finish_reason or finish
    deltas.append(finish)
    return pieces, deltas


# ------------------------------------------------------------------------ caps


@pytest.mark.parametrize("cap", ["max_tokens", "max_completion_tokens"])
def test_a_reply_stops_at_the_requested_cap(
    server: OpenAITestServer, client: OpenAI, cap: str
) -> None:
    server.enqueue(ScriptedReply(text="uno dos tres cuatro cinco"))
    pieces, deltas = stream(client, MODEL, **{cap: 3})
    assert "".join(pieces) == "uno dos tres"
    assert deltas[-1] == "length"
    server.enqueue_coach(ScriptedReply(text="uno dos tres cuatro cinco"))
    caps: dict[str, Any] = {cap: 2}
    whole = client.chat.completions.create(model=MODEL, messages=HELLO, **caps)
    assert whole.choices[0].message.content == "uno dos"
    assert whole.choices[0].finish_reason == "length"
    assert whole.usage is not None and whole.usage.completion_tokens == 2


def test_a_reply_under_the_cap_ends_as_scripted(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(text="Hola, ¿qué tal?"))
    pieces, deltas = stream(client, max_tokens=300)
    assert "".join(pieces) == "Hola, ¿qué tal?" and deltas[-1] == "stop"


def test_a_looping_reply_runs_to_the_cap_or_the_ceiling(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.enqueue(ScriptedReply(text="De nada.", loop=" You're welcome."))
    pieces, deltas = stream(client, max_tokens=50, stop=["\n\n"])
    text = "".join(pieces)
    assert text.startswith("De nada. You're welcome. You're welcome.")
    assert len(pieces) == 50 and deltas[-1] == "length"
    server.enqueue(ScriptedReply(text="", loop="ha "))
    pieces, _ = stream(client)
    assert len(pieces) == LOOP_CEILING


# -------------------------------------------------------------------- reasoning


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_reasoning_arrives_in_its_field_before_the_content(
    server: OpenAITestServer, client: OpenAI, field: str
) -> None:
    server.enqueue(ScriptedReply(text="Hola.", reasoning="Pienso un poco.", reasoning_field=field))
    pieces, deltas = stream(client)
    reasoning = [getattr(d, field, None) for d in deltas[:-1]]
    assert "".join(r for r in reasoning if r) == "Pienso un poco."
    first_content = next(i for i, d in enumerate(deltas[:-1]) if d.content)
    assert all(not r for r in reasoning[first_content:])
    assert "".join(pieces) == "Hola."

    server.enqueue_coach(ScriptedReply(text="{}", reasoning="Pienso.", reasoning_field=field))
    whole = client.chat.completions.create(model=MODEL, messages=HELLO)
    message = whole.choices[0].message
    assert message.content == "{}" and getattr(message, field) == "Pienso."


def test_reasoning_counts_against_the_cap(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(text="Hola amigo.", reasoning="uno dos tres cuatro"))
    pieces, deltas = stream(client, max_tokens=3)
    assert pieces == [] and deltas[-1] == "length"


def test_with_thinking_opens_the_content_with_a_think_block() -> None:
    thought = with_thinking(ScriptedReply(text="Hola."), "hmm")
    assert thought.content() == "<think>\nhmm\n</think>\n\nHola."
    pieces = with_thinking(ScriptedReply(tokens=["Ho", "la"]), "hmm")
    assert pieces.tokens is not None and pieces.tokens[-2:] == ["Ho", "la"]
    assert pieces.content() == "<think>\nhmm\n</think>\n\nHola"


# --------------------------------------------------------------- refusals


def test_refused_parameters_are_worded_as_openai_does(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.refused_parameters["o-mini"] = {"max_tokens", "temperature"}
    with pytest.raises(openai.BadRequestError) as caught:
        stream(client, "o-mini", max_tokens=10)
    assert "Use 'max_completion_tokens' instead" in caught.value.message
    assert caught.value.body["param"] == "max_tokens"  # type: ignore[index]
    with pytest.raises(openai.BadRequestError, match="'temperature' does not support 0"):
        client.chat.completions.create(model="o-mini", messages=HELLO, temperature=0)
    pieces, _ = stream(client, "o-mini", max_completion_tokens=10)
    assert pieces  # the other form is taken
    assert "".join(stream(client, MODEL, max_tokens=10)[0])  # other models take both


def test_a_refused_unknown_parameter_can_be_a_422(server: OpenAITestServer, client: OpenAI) -> None:
    server.refused_parameters[MODEL] = {"max_completion_tokens"}
    server.refused_parameter_status = 422
    with pytest.raises(openai.UnprocessableEntityError, match="max_completion_tokens"):
        stream(client, max_completion_tokens=10)


def test_a_template_without_a_system_role_refuses_it(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.no_system_role.add("gemma")
    with pytest.raises(openai.BadRequestError, match="System role not supported"):
        stream(client, "gemma")
    folded: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Rules.\n\nHola."}]
    reply = client.chat.completions.create(model="gemma", messages=folded)
    assert reply.choices[0].message.content


def test_a_prompt_over_the_context_window_is_refused(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.context_windows[MODEL] = 100
    long: list[ChatCompletionMessageParam] = [{"role": "user", "content": "palabra " * 60}]
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=MODEL, messages=long, max_tokens=10)
    assert "maximum context length is 100 tokens" in caught.value.message
    assert caught.value.code == "context_length_exceeded"
    short: list[ChatCompletionMessageParam] = [{"role": "user", "content": "palabra " * 30}]
    assert client.chat.completions.create(model=MODEL, messages=short, max_tokens=10).choices


# ------------------------------------------------------------------ summaries


def summary_question(ids: list[int]) -> list[ChatCompletionMessageParam]:
    question = {
        "language": "Spanish",
        "level": "A2",
        "messages": [
            {"id": i, "text": "Ayer fue al parque.", "mistakes": [{"wrong": "fue", "right": "fui"}]}
            for i in ids
        ],
    }
    return [
        {"role": "system", "content": "Summarise."},
        {"role": "user", "content": json.dumps(question)},
    ]


def test_a_summary_request_gets_a_summary_not_a_coach_verdict(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.enqueue_coach(coach_reply("x"))  # waits for a coach call: the summary skips it
    answer = client.chat.completions.create(model=MODEL, messages=summary_question([3, 5]))
    content = answer.choices[0].message.content
    assert content is not None
    summary = json.loads(content)
    assert summary["went_well"]
    assert summary["patterns"][0]["message_ids"] == [3, 5]
    assert "fue" in summary["patterns"][0]["text"]
    assert len(server.summary_requests()) == 1 and server.coach_requests() == []

    server.enqueue_summary(ScriptedReply(text='{"went_well": "Bien.", "patterns": []}'))
    again = client.chat.completions.create(model=MODEL, messages=summary_question([1]))
    assert again.choices[0].message.content == '{"went_well": "Bien.", "patterns": []}'


# ---------------------------------------------------------------- model lists


def test_mixed_and_single_model_lists() -> None:
    assert {"whisper-1", "tts-1", "text-embedding-3-small", "gpt-4o-mini"} <= set(MIXED_MODELS)
    with (
        OpenAITestServer(models=("llama3.2:3b",)) as one,
        OpenAI(api_key="k", base_url=one.base_url, max_retries=0) as cli,
    ):
        assert [m.id for m in cli.models.list()] == ["llama3.2:3b"]


def test_the_manual_server_can_play_a_thinking_looping_model() -> None:
    args = _parse_args(["--port", "0", "--think", "--loop", "--models", "qwen3:8b"])
    with (
        _manual_server(args) as manual,
        OpenAI(api_key="k", base_url=manual.base_url, max_retries=0, timeout=5) as cli,
    ):
        assert [m.id for m in cli.models.list()] == ["qwen3:8b"]
        opening, _ = stream(cli, "qwen3:8b")
        assert "".join(opening).startswith("<think>")
        second: list[ChatCompletionMessageParam] = [
            {"role": "user", "content": "cue"},
            {"role": "assistant", "content": "¡Hola!"},
            {"role": "user", "content": "Gracias."},
        ]
        pieces: list[str] = []
        for chunk in cli.chat.completions.create(
            model="qwen3:8b", messages=second, stream=True, max_tokens=80
        ):
            pieces.extend(c.delta.content for c in chunk.choices if c.delta.content)
        assert len(pieces) == 80
        assert "".join(pieces).count("¡De nada!") > 3
    assert split_tokens("a b") == ["a", " b"]
