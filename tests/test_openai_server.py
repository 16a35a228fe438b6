"""Drive tests/openai_server.py with the real ``openai`` client (and raw HTTP where needed)."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openai import OpenAI
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessageParam

from tests.openai_server import (
    OPENING_LINE,
    OpenAITestServer,
    ScriptedReply,
    _manual_server,
    _parse_args,
    coach_json,
    coach_reply,
    no_mistakes_reply,
    split_tokens,
)

API_KEY = "sk-tutor-test"
MODEL = "tutor-test-small"
HELLO: list[ChatCompletionMessageParam] = [
    {"role": "system", "content": "Eres un compañero de conversación."},
    {"role": "user", "content": "Hola, me llamo Ana."},
]
LEARNER_WROTE = "Yesterday I goed to the park"
VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "corrected": {"type": "string"},
        "items": {"type": "array", "items": {"type": "object"}},
        "natural": {"type": "string"},
    },
    "required": ["corrected", "items", "natural"],
    "additionalProperties": False,
}
JSON_SCHEMA_FORMAT: dict[str, Any] = {
    "type": "json_schema",
    "json_schema": {"name": "correction", "strict": True, "schema": VERDICT_SCHEMA},
}
JSON_OBJECT_FORMAT: dict[str, Any] = {"type": "json_object"}
GOED = ("goed", "went", "'Go' is irregular.", "grammar")


@pytest.fixture
def server() -> Iterator[OpenAITestServer]:
    with OpenAITestServer(api_key=API_KEY) as srv:
        yield srv


@pytest.fixture
def client(server: OpenAITestServer) -> Iterator[OpenAI]:
    with OpenAI(api_key=API_KEY, base_url=server.base_url, max_retries=0, timeout=5) as cli:
        yield cli


def collect(
    client: OpenAI,
    *,
    include_usage: bool = False,
    messages: list[ChatCompletionMessageParam] = HELLO,
) -> tuple[list[str], list[ChatCompletionChunk]]:
    """Stream one (partner) completion; return the non-empty content pieces and all chunks."""
    pieces: list[str] = []
    chunks: list[ChatCompletionChunk] = []
    stream = client.chat.completions.create(
        model=MODEL,
        messages=messages,
        stream=True,
        stream_options={"include_usage": True} if include_usage else openai.omit,
    )
    for chunk in stream:
        chunks.append(chunk)
        for choice in chunk.choices:
            if choice.delta.content:
                pieces.append(choice.delta.content)
    return pieces, chunks


def partner_text(client: OpenAI) -> str:
    return "".join(collect(client)[0])


def coach_messages(wrote: str = LEARNER_WROTE) -> list[ChatCompletionMessageParam]:
    turn = {
        "language": "Spanish",
        "level": "B1",
        "native_language": "English",
        "partner_said": "¿Qué hiciste ayer?",
        "learner_wrote": wrote,
    }
    return [
        {"role": "system", "content": "Correct the learner's message. Answer in JSON."},
        {"role": "user", "content": json.dumps(turn, ensure_ascii=False)},
    ]


def coach(
    client: OpenAI,
    response_format: dict[str, Any] | None = JSON_SCHEMA_FORMAT,
    *,
    wrote: str = LEARNER_WROTE,
    messages: list[ChatCompletionMessageParam] | None = None,
) -> ChatCompletion:
    """One non-streamed coach call, shaped like Tutor's (no response_format when None)."""
    fmt: Any = response_format if response_format is not None else openai.omit
    return client.chat.completions.create(
        model=MODEL,
        messages=messages if messages is not None else coach_messages(wrote),
        stream=False,
        temperature=0,
        response_format=fmt,
    )


def verdict(completion: ChatCompletion) -> Any:
    content = completion.choices[0].message.content
    assert content is not None
    return json.loads(content)


def collect_until_error(client: OpenAI) -> tuple[list[str], Exception | None]:
    pieces: list[str] = []
    try:
        for chunk in client.chat.completions.create(model=MODEL, messages=HELLO, stream=True):
            pieces.extend(c.delta.content for c in chunk.choices if c.delta.content)
    except Exception as exc:
        return pieces, exc
    return pieces, None


def raw_request(
    server: OpenAITestServer, method: str, path: str, body: bytes | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


# ------------------------------------------------------------------- models


def test_models_list(client: OpenAI) -> None:
    models = list(client.models.list())
    assert [m.id for m in models] == ["tutor-test-small", "tutor-test-large"]
    assert all(m.owned_by == "tutor-tests" and m.object == "model" for m in models)


def test_models_status_makes_listing_fail(server: OpenAITestServer, client: OpenAI) -> None:
    server.models_status = 503
    with pytest.raises(openai.InternalServerError) as info:
        client.models.list()
    assert info.value.status_code == 503


# ------------------------------------------------------------------ streaming


def test_streaming_reassembles_text_and_reports_usage(
    server: OpenAITestServer, client: OpenAI
) -> None:
    text = "Hola, ¿qué tal? Me alegro  de verte.\n¡Hasta luego!"
    server.enqueue(ScriptedReply(text=text, prompt_tokens=11))
    pieces, chunks = collect(client, include_usage=True)

    assert "".join(pieces) == text
    assert pieces == split_tokens(text)
    first, finish, usage_chunk = chunks[0], chunks[-2], chunks[-1]
    assert first.choices[0].delta.role == "assistant"
    assert first.choices[0].delta.content == ""
    assert first.id.startswith("chatcmpl-")
    assert all(c.object == "chat.completion.chunk" and c.model == MODEL for c in chunks)
    assert finish.choices[0].finish_reason == "stop"
    assert all(c.usage is None for c in chunks[:-1])
    assert usage_chunk.choices == []
    assert usage_chunk.usage is not None
    assert usage_chunk.usage.prompt_tokens == 11
    assert usage_chunk.usage.completion_tokens == len(pieces)
    assert usage_chunk.usage.total_tokens == 11 + len(pieces)


def test_streaming_without_include_usage_has_no_usage_chunk(client: OpenAI) -> None:
    _, chunks = collect(client)
    assert all(len(c.choices) == 1 for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_cjk_text_is_chunked_and_reassembled_exactly(
    server: OpenAITestServer, client: OpenAI
) -> None:
    text = "你好世界，我喜欢学习中文。😀"
    server.enqueue(ScriptedReply(text=text))
    pieces, _ = collect(client)
    assert "".join(pieces) == text
    assert len(pieces) == 7
    assert all(len(p) <= 2 for p in pieces)


def test_explicit_tokens_are_streamed_as_given(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(tokens=["¡Ho", "la", "!", " ", "¿Qué tal?"]))
    pieces, _ = collect(client)
    assert pieces == ["¡Ho", "la", "!", " ", "¿Qué tal?"]


def test_finish_reason_length_arrives(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(text="Una respuesta cortada", finish_reason="length"))
    _, chunks = collect(client)
    assert chunks[-1].choices[0].finish_reason == "length"

    # A truncated coach verdict: cut JSON text.
    cut = coach_json("Yesterday I went", [GOED])[:30]
    server.enqueue_coach(ScriptedReply(text=cut, finish_reason="length"))
    completion = coach(client)
    assert completion.choices[0].finish_reason == "length"
    assert completion.choices[0].message.content == cut


def test_token_delay_slows_the_stream(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(tokens=["a", "b", "c", "d", "e"], token_delay=0.1))
    started = time.monotonic()
    pieces, _ = collect(client)
    assert pieces == ["a", "b", "c", "d", "e"]
    assert time.monotonic() - started >= 0.5


def test_cut_stream_raises_after_first_pieces(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(tokens=["uno", " dos", " tres", " cuatro"], cut_after=2))
    pieces, error = collect_until_error(client)
    assert pieces == ["uno", " dos"]
    # openai wraps httpx2.RemoteProtocolError ("incomplete chunked read").
    assert isinstance(error, openai.APIConnectionError)
    assert "incomplete chunked read" in str(error.__cause__)


def test_cut_after_all_tokens_still_withholds_the_end(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.enqueue(ScriptedReply(tokens=["uno", " dos"], cut_after=2))
    pieces, error = collect_until_error(client)
    assert pieces == ["uno", " dos"]
    assert isinstance(error, openai.APIConnectionError)


def test_malformed_line_makes_the_openai_client_raise(
    server: OpenAITestServer, client: OpenAI
) -> None:
    # Pinned behaviour of openai 3.x: the bad `data:` line is passed to json.loads
    # and the raw json.JSONDecodeError escapes iteration (it is *not* an
    # openai.APIError), so the rest of the stream is never seen.
    server.enqueue(ScriptedReply(tokens=["uno", " dos", " tres"], malformed_after=1))
    pieces, error = collect_until_error(client)
    assert pieces == ["uno"]
    assert isinstance(error, json.JSONDecodeError)
    assert not isinstance(error, openai.APIError)


def test_malformed_stream_continues_normally_on_the_wire(server: OpenAITestServer) -> None:
    server.enqueue(ScriptedReply(tokens=["uno", " dos"], malformed_after=1))
    body = json.dumps({"model": MODEL, "messages": HELLO, "stream": True}).encode()
    response, data = raw_request(server, "POST", "/v1/chat/completions", body)
    events = [e for e in data.decode().split("\n\n") if e]
    assert response.getheader("Transfer-Encoding") == "chunked"
    assert response.getheader("Content-Type") == "text/event-stream"
    assert events[2] == "data: {not json"
    assert json.loads(events[3].removeprefix("data: "))["choices"][0]["delta"] == {
        "content": " dos"
    }
    assert events[-1] == "data: [DONE]"


# -------------------------------------------------------------- non-streaming


def test_non_streaming_completion(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue_coach(ScriptedReply(text="¡Encantada, Ana!", completion_tokens=7))
    completion = client.chat.completions.create(model="tutor-test-large", messages=HELLO)
    assert completion.object == "chat.completion"
    assert completion.model == "tutor-test-large"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content == "¡Encantada, Ana!"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.completion_tokens == 7
    expected_prompt = sum(len(str(m.get("content"))) for m in HELLO) // 4 + 1
    assert completion.usage.prompt_tokens == expected_prompt


def test_non_streaming_response_has_content_length_and_keeps_alive(
    server: OpenAITestServer,
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    body = json.dumps({"model": MODEL, "messages": HELLO}).encode()
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
    for _ in range(2):
        conn.request("POST", "/v1/chat/completions", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        assert response.version == 11
        assert response.getheader("Content-Length") == str(len(data))
        assert not response.will_close
    conn.close()


def test_default_reply_answers_the_last_user_message(client: OpenAI) -> None:
    messages: list[ChatCompletionMessageParam] = [
        *HELLO,
        {"role": "assistant", "content": "¡Hola, Ana!"},
        {"role": "user", "content": "Quiero practicar el pretérito indefinido hoy, por favor."},
    ]
    pieces, _ = collect(client, messages=messages)
    assert "".join(pieces) == "Respuesta 2: Quiero practicar el pretérito indefinido"

    opening, _ = collect(client, messages=[{"role": "system", "content": "Empieza tú."}])
    assert "".join(opening) == OPENING_LINE


def test_enqueued_replies_are_consumed_in_order(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(text="primera"), ScriptedReply(text="segunda"))
    texts = [partner_text(client) for _ in range(3)]
    assert texts == ["primera", "segunda", "Respuesta 1: Hola, me llamo Ana."]

    server.enqueue_coach(coach_reply("uno"), coach_reply("dos"))
    corrected = [verdict(coach(client))["corrected"] for _ in range(3)]
    assert corrected == ["uno", "dos", LEARNER_WROTE]


# ---------------------------------------------------------------------- coach


def test_partner_request_first_does_not_take_the_coach_reply(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.enqueue_coach(coach_reply("Yesterday I went to the park", [GOED]))
    assert partner_text(client) == "Respuesta 1: Hola, me llamo Ana."  # default, not the verdict
    assert verdict(coach(client))["items"][0]["correction"] == "went"

    server.enqueue(ScriptedReply(text="¿Y qué más hiciste?"))
    assert verdict(coach(client)) == {"corrected": LEARNER_WROTE, "items": [], "natural": ""}
    assert partner_text(client) == "¿Y qué más hiciste?"


def test_coach_call_during_a_partner_stream(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(tokens=["Uno", " dos", " tres"], token_delay=0.1))
    server.enqueue_coach(coach_reply("Yesterday I went", [GOED]), coach_reply("segundo"))
    stream = client.chat.completions.create(model=MODEL, messages=HELLO, stream=True)
    next(stream)  # the partner reply has started and is still streaming
    assert verdict(coach(client))["corrected"] == "Yesterday I went"
    pieces = [c.delta.content for chunk in stream for c in chunk.choices if c.delta.content]
    assert pieces == ["Uno", " dos", " tres"]
    assert verdict(coach(client))["corrected"] == "segundo"


def test_default_coach_reply_finds_no_mistakes(server: OpenAITestServer, client: OpenAI) -> None:
    assert verdict(coach(client, wrote="Ayer fui al parque")) == {
        "corrected": "Ayer fui al parque",
        "items": [],
        "natural": "",
    }
    assert verdict(coach(client, JSON_OBJECT_FORMAT, wrote="Vale"))["corrected"] == "Vale"
    assert verdict(coach(client, None, wrote="Sin formato"))["corrected"] == "Sin formato"
    # not the expected JSON in the user message: corrected is empty
    not_a_turn: list[list[ChatCompletionMessageParam]] = [
        HELLO,
        [{"role": "user", "content": '["no", "object"]'}],
        [{"role": "system", "content": "Sin usuario."}],
    ]
    for messages in not_a_turn:
        completion = coach(client, messages=messages)
        assert verdict(completion) == {"corrected": "", "items": [], "natural": ""}

    server.default_coach_reply = lambda body: coach_reply("replaced")
    assert verdict(coach(client))["corrected"] == "replaced"


def test_no_mistakes_reply_reads_the_last_user_message() -> None:
    body = {"messages": [*coach_messages("primero"), *coach_messages("último")]}
    assert json.loads(no_mistakes_reply(body).text)["corrected"] == "último"


def test_coach_json_round_trips_through_the_server(
    server: OpenAITestServer, client: OpenAI
) -> None:
    items = [GOED, ("parque", "el parque", "Necesita artículo: «el parque».", "article")]
    text = coach_json("Yesterday I went to the park", items, natural="I went to the park.")
    assert json.loads(text) == {
        "corrected": "Yesterday I went to the park",
        "items": [
            {
                "original": "goed",
                "correction": "went",
                "explanation": "'Go' is irregular.",
                "category": "grammar",
            },
            {
                "original": "parque",
                "correction": "el parque",
                "explanation": "Necesita artículo: «el parque».",
                "category": "article",
            },
        ],
        "natural": "I went to the park.",
    }
    assert json.loads(coach_json("Bien")) == {"corrected": "Bien", "items": [], "natural": ""}

    server.enqueue_coach(coach_reply("Yesterday I went to the park", items, "I went to the park."))
    completion = coach(client)
    assert completion.choices[0].message.content == text
    assert completion.choices[0].finish_reason == "stop"


@given(st.text(), st.lists(st.tuples(st.text(), st.text(), st.text(), st.text())), st.text())
def test_coach_json_always_parses_back(
    corrected: str, items: list[tuple[str, str, str, str]], natural: str
) -> None:
    parsed = json.loads(coach_json(corrected, items, natural))
    assert parsed["corrected"] == corrected
    assert [tuple(i.values()) for i in parsed["items"]] == items
    assert parsed["natural"] == natural


def test_refused_json_schema_keeps_the_coach_reply_for_the_fallback(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.refused_response_formats = {"json_schema"}
    server.enqueue_coach(coach_reply("Yesterday I went to the park", [GOED]))

    with pytest.raises(openai.BadRequestError) as info:
        coach(client, JSON_SCHEMA_FORMAT)
    assert info.value.status_code == 400
    assert info.value.param == "response_format"
    assert info.value.type == "invalid_request_error"
    assert "'json_schema' is not supported" in info.value.message

    fallback = coach(client, JSON_OBJECT_FORMAT)
    assert verdict(fallback)["corrected"] == "Yesterday I went to the park"
    formats = [body.get("response_format") for body in server.coach_requests()]
    assert formats == [JSON_SCHEMA_FORMAT, JSON_OBJECT_FORMAT]
    server.wait_for_coach_requests(2, timeout=0.1)


def test_refusing_every_structured_format_leaves_plain_text(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.refused_response_formats = {"json_schema", "json_object"}
    server.enqueue_coach(coach_reply("texto"))
    for fmt in (JSON_SCHEMA_FORMAT, JSON_OBJECT_FORMAT):
        with pytest.raises(openai.BadRequestError, match=f"'{fmt['type']}' is not supported"):
            coach(client, fmt)
    assert verdict(coach(client, None))["corrected"] == "texto"
    assert len(server.coach_requests()) == 3


MALFORMED_FORMATS: list[tuple[Any, str, str]] = [
    (
        {"type": "json_schema", "json_schema": {"schema": VERDICT_SCHEMA}},
        "response_format.json_schema.name",
        "Missing required parameter: 'response_format.json_schema.name'.",
    ),
    (
        {"type": "json_schema", "json_schema": {"name": "correction"}},
        "response_format.json_schema.schema",
        "Missing required parameter: 'response_format.json_schema.schema'.",
    ),
    (
        {"type": "json_schema"},
        "response_format.json_schema",
        "Missing required parameter: 'response_format.json_schema'.",
    ),
    ({"type": "yaml"}, "response_format.type", "Invalid value: 'yaml'."),
    ({}, "response_format.type", "Missing required parameter: 'response_format.type'."),
    ("json", "response_format", "Invalid type for 'response_format'"),
]


@pytest.mark.parametrize(("response_format", "param", "message"), MALFORMED_FORMATS)
def test_malformed_response_format_is_a_400(
    server: OpenAITestServer, client: OpenAI, response_format: Any, param: str, message: str
) -> None:
    server.enqueue_coach(coach_reply("guardado"))
    with pytest.raises(openai.BadRequestError) as info:
        coach(client, response_format)
    assert info.value.status_code == 400
    assert info.value.param == param
    assert message in info.value.message
    assert verdict(coach(client))["corrected"] == "guardado"  # nothing was consumed
    assert len(server.coach_requests()) == 2


def test_manual_server_coaches_goed(capsys: pytest.CaptureFixture[str]) -> None:
    with (
        _manual_server(_parse_args(["--port", "0", "--api-key", API_KEY])) as manual,
        OpenAI(api_key=API_KEY, base_url=manual.base_url, max_retries=0, timeout=5) as cli,
    ):
        mistaken = verdict(coach(cli, wrote=LEARNER_WROTE))
        assert mistaken["corrected"] == "Yesterday I went to the park"
        ((original, correction, explanation, category),) = (
            tuple(item.values()) for item in mistaken["items"]
        )
        assert (original, correction, category) == ("goed", "went", "grammar")
        assert "went" in explanation
        fine = verdict(coach(cli, wrote="Ayer fui al parque."))
        assert fine == {"corrected": "Ayer fui al parque.", "items": [], "natural": ""}
        assert partner_text(cli) == OPENING_LINE
    assert capsys.readouterr().out == ""


# --------------------------------------------------------------------- errors


def test_wrong_api_key_is_rejected(server: OpenAITestServer) -> None:
    bad = OpenAI(api_key="sk-wrong", base_url=server.base_url, max_retries=0, timeout=5)
    with bad, pytest.raises(openai.AuthenticationError) as info:
        bad.chat.completions.create(model=MODEL, messages=HELLO)
    assert info.value.status_code == 401
    assert info.value.code == "invalid_api_key"
    assert info.value.message.endswith("Incorrect API key provided.")


def test_rate_limit_carries_retry_after(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(status=429, headers={"Retry-After": "2"}))
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model=MODEL, messages=HELLO, stream=True)
    assert info.value.response.headers["retry-after"] == "2"
    assert info.value.code == "rate_limit_exceeded"


def test_server_error(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(status=500, error_message="El modelo se ha caído."))
    with pytest.raises(openai.InternalServerError) as info:
        client.chat.completions.create(model=MODEL, messages=HELLO, stream=True)
    assert info.value.status_code == 500
    assert "El modelo se ha caído." in info.value.message
    assert isinstance(info.value.body, dict)
    assert info.value.body["type"] == "server_error"


def test_coach_status_faults(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue_coach(
        ScriptedReply(status=503, error_message="Coach overloaded."),
        ScriptedReply(status=429, headers={"Retry-After": "3"}),
    )
    with pytest.raises(openai.InternalServerError) as overloaded:
        coach(client)
    assert overloaded.value.status_code == 503
    assert "Coach overloaded." in overloaded.value.message
    with pytest.raises(openai.RateLimitError) as limited:
        coach(client)
    assert limited.value.response.headers["retry-after"] == "3"
    # the faults were the coach's: the partner is untouched, the coach recovers
    assert partner_text(client) == "Respuesta 1: Hola, me llamo Ana."
    assert verdict(coach(client))["corrected"] == LEARNER_WROTE


def test_coach_token_delay_delays_the_whole_response(
    server: OpenAITestServer, client: OpenAI
) -> None:
    server.enqueue_coach(ScriptedReply(tokens=["{", '"corrected"', ": ", '""}'], token_delay=0.1))
    started = time.monotonic()
    completion = coach(client)
    assert time.monotonic() - started >= 0.4
    assert completion.choices[0].message.content == '{"corrected": ""}'


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"messages": []}', b'{"model": "tutor-test-small"}', b"[]"],
)
def test_bad_request_bodies_get_400(server: OpenAITestServer, body: bytes) -> None:
    response, data = raw_request(server, "POST", "/v1/chat/completions", body)
    assert response.status == 400
    assert json.loads(data)["error"]["type"] == "invalid_request_error"


def test_unknown_path_and_wrong_method(server: OpenAITestServer) -> None:
    response, data = raw_request(server, "GET", "/v1/embeddings")
    assert response.status == 404
    assert json.loads(data)["error"]["message"] == "Unknown path GET /v1/embeddings"

    response, data = raw_request(server, "GET", "/v1/chat/completions")
    assert response.status == 405
    assert response.getheader("Allow") == "POST"
    assert "error" in json.loads(data)


# ------------------------------------------------------------------ recording


def test_requests_are_recorded_with_their_messages(
    server: OpenAITestServer, client: OpenAI
) -> None:
    client.models.list()
    client.chat.completions.create(model=MODEL, messages=HELLO, temperature=0.5)
    collect(client)
    server.wait_for_requests(2)

    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
        ("POST", "/v1/chat/completions"),
    ]
    first, second = server.chat_requests()
    assert first["messages"] == HELLO
    assert first["temperature"] == 0.5
    assert second["stream"] is True
    assert server.coach_requests() == [first]
    recorded = server.requests[1]
    assert recorded.headers["Authorization"] == f"Bearer {API_KEY}"
    assert recorded.body == first


def test_wait_for_requests_times_out(server: OpenAITestServer) -> None:
    with pytest.raises(TimeoutError):
        server.wait_for_requests(1, timeout=0.1)


def test_wait_for_coach_requests_counts_only_coach_calls(
    server: OpenAITestServer, client: OpenAI
) -> None:
    collect(client)
    with pytest.raises(TimeoutError, match="expected 1 coach requests, got 0"):
        server.wait_for_coach_requests(1, timeout=0.1)
    coach(client)
    server.wait_for_coach_requests(1, timeout=0.1)


# ------------------------------------------------------------ hanging / stop


def _request_in_thread(
    client: OpenAI, errors: list[Exception], *, stream: bool
) -> threading.Thread:
    def run() -> None:
        try:
            if stream:
                collect(client)
            else:
                coach(client)
        except Exception as exc:
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("stream", [True, False], ids=["partner", "coach"])
def test_hanging_request_and_prompt_stop(
    server: OpenAITestServer, client: OpenAI, stream: bool
) -> None:
    (server.enqueue if stream else server.enqueue_coach)(ScriptedReply(hang=True))
    errors: list[Exception] = []
    thread = _request_in_thread(client.with_options(timeout=3), errors, stream=stream)
    server.wait_for_requests(1)

    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1.5
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(errors) == 1
    assert isinstance(errors[0], openai.APIConnectionError)
    server.stop()  # idempotent


def test_release_hanging_drops_the_request(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(hang=True))
    errors: list[Exception] = []
    thread = _request_in_thread(client.with_options(timeout=3), errors, stream=True)
    server.wait_for_requests(1)
    server.release_hanging()
    thread.join(timeout=5)
    assert len(errors) == 1
    assert isinstance(errors[0], openai.APIConnectionError)
    # the server keeps serving afterwards
    assert partner_text(client) == "Respuesta 1: Hola, me llamo Ana."


def test_hanging_coach_does_not_block_the_partner(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue_coach(ScriptedReply(hang=True))
    server.enqueue(ScriptedReply(text="Sigo aquí."))
    errors: list[Exception] = []
    thread = _request_in_thread(client.with_options(timeout=3), errors, stream=False)
    server.wait_for_coach_requests(1)
    assert partner_text(client) == "Sigo aquí."
    assert thread.is_alive()  # the coach call is still hanging
    server.release_hanging()
    thread.join(timeout=5)
    assert len(errors) == 1
    assert isinstance(errors[0], openai.APIConnectionError)
    assert verdict(coach(client))["corrected"] == LEARNER_WROTE


def test_stop_interrupts_a_slow_stream(server: OpenAITestServer, client: OpenAI) -> None:
    server.enqueue(ScriptedReply(tokens=["x"] * 100, token_delay=0.2))
    stream = client.chat.completions.create(model=MODEL, messages=HELLO, stream=True)
    next(stream)  # role chunk arrived, the stream is now sleeping between tokens
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1.5
    with pytest.raises(openai.APIConnectionError):
        for _ in stream:
            pass


def test_client_disconnect_prints_no_traceback(
    server: OpenAITestServer, client: OpenAI, capfd: pytest.CaptureFixture[str]
) -> None:
    server.enqueue(ScriptedReply(tokens=["x"] * 40, token_delay=0.01))
    stream = client.chat.completions.create(model=MODEL, messages=HELLO, stream=True)
    next(stream)
    stream.close()
    time.sleep(0.6)  # the server keeps writing into the closed socket meanwhile
    server.stop()
    captured = capfd.readouterr()
    assert "Traceback" not in captured.err
    assert captured.out == ""


# ------------------------------------------------------------------ chunking


def test_split_tokens_examples() -> None:
    assert split_tokens("Hola, ¿qué tal?") == ["Hola,", " ¿qué", " tal?"]
    assert split_tokens("你好世界吗") == ["你好", "世界", "吗"]
    assert split_tokens("") == []


@given(st.text())
def test_split_tokens_always_reassembles(text: str) -> None:
    pieces = split_tokens(text)
    assert "".join(pieces) == text
    assert all(pieces)


def test_help_tasks_have_their_own_scripts_and_records() -> None:
    import json

    import openai

    from tests.openai_server import OpenAITestServer, ScriptedReply, task_question

    with OpenAITestServer() as server:
        server.enqueue_task("translate", ScriptedReply(text='{"text": "Hello"}'))
        server.default_task_replies["hint"] = lambda body: ScriptedReply(
            text=json.dumps({"echo": task_question(body)["about"]}, ensure_ascii=False)
        )
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)

        def ask(payload: dict[str, str]) -> str:
            reply = client.chat.completions.create(
                model="tutor-test-small",
                messages=[{"role": "user", "content": json.dumps(payload)}],
            )
            return reply.choices[0].message.content or ""

        assert ask({"task": "translate", "text": "Hola"}) == '{"text": "Hello"}'
        assert ask({"task": "hint", "about": "café"}) == '{"echo": "café"}'
        with pytest.raises(openai.InternalServerError):
            ask({"task": "no-such-task"})  # a task no module answers by default
        assert [q["messages"][0]["content"] for q in server.task_requests("translate")] == [
            '{"task": "translate", "text": "Hola"}'
        ]
        assert server.coach_requests() == []
