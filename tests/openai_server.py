"""A local, scriptable OpenAI-compatible HTTP server for Tutor's tests.

It speaks just enough of the OpenAI REST API for the real ``openai`` client:

* ``GET  /v1/models``            -> list of the configured model ids
* ``POST /v1/chat/completions``  -> scripted replies, streamed (SSE over
  ``Transfer-Encoding: chunked``) or as one JSON ``chat.completion`` object

Tests script what the "model" does with :class:`ScriptedReply` objects
(text, HTTP errors, slow tokens, cut or malformed streams, hanging requests)
and inspect what the app sent through :attr:`OpenAITestServer.requests`.

Tutor makes two kinds of chat call, often at the same time, and each has its
own script:

* partner calls are streamed (``"stream": true``): replies queued with
  :meth:`OpenAITestServer.enqueue`, else :attr:`OpenAITestServer.default_reply`;
* coach calls are not streamed (``stream`` absent or false) and answer with a
  JSON verdict: replies queued with :meth:`OpenAITestServer.enqueue_coach`
  (build them with :func:`coach_reply`), else
  :attr:`OpenAITestServer.default_coach_reply` ("no mistakes").

A third kind, the session report's summary, is not streamed either; it is told
from a coach call by its question (a JSON object with ``"messages"``) and has its
own script: :meth:`OpenAITestServer.enqueue_summary`, else
:attr:`OpenAITestServer.default_summary_reply` (:func:`summary_reply`).

``response_format`` is checked like OpenAI does (a ``json_schema`` needs a
``name`` and a ``schema``), and a server without structured outputs is faked
with :attr:`OpenAITestServer.refused_response_formats`.

Real servers and models, as they are (each on demand):

* every reply honours the request's output cap (``max_tokens`` or
  ``max_completion_tokens``: at most that many pieces, then ``"length"``);
* a looping model (:attr:`ScriptedReply.loop`) repeats itself until the cap;
* reasoning: ``<think>`` blocks are plain ``text``; reasoning sent in a separate
  field before the content is :attr:`ScriptedReply.reasoning` (and counts
  against the cap, as real reasoning tokens do);
* parameters refused per model (:attr:`OpenAITestServer.refused_parameters`),
  a chat template without a system role (:attr:`OpenAITestServer.no_system_role`),
  a context window per model (:attr:`OpenAITestServer.context_windows`);
* model lists as servers give them (:data:`MIXED_MODELS`, or a single model).

Standard library only.  For manual use (try the app against a fake partner)::

    python -m tests.openai_server --port 8765 --token-delay 0.05
    python -m tests.openai_server --think --models qwen3:8b   # a reasoning model
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tests import transcription_endpoint
from tests.speech_endpoint import SpeechEndpoint

__all__ = [
    "LOOP_CEILING",
    "MIXED_MODELS",
    "CaseInsensitiveHeaders",
    "OpenAITestServer",
    "RecordedRequest",
    "ScriptedReply",
    "coach_json",
    "coach_reply",
    "echo_reply",
    "error_body",
    "main",
    "no_mistakes_reply",
    "spanish_coach_reply",
    "spanish_partner_reply",
    "split_tokens",
    "summary_reply",
    "with_thinking",
]

MODELS_PATH = "/v1/models"
CHAT_PATH = "/v1/chat/completions"
OPENING_LINE = "¡Hola! ¿De qué quieres hablar hoy?"
_POLL_SECONDS = 0.05
MALFORMED_EVENT = b"data: {not json\n\n"
RESPONSE_FORMAT_TYPES = ("text", "json_object", "json_schema")
# What OpenAI answers when a model lacks a response_format type.
REFUSED_FORMAT_MESSAGE = (
    "Invalid parameter: 'response_format' of type '{type}' is not supported with this model."
)

LOOP_CEILING = 4000
"""Pieces a looping reply streams when the request names no cap (a server's context)."""

MIXED_MODELS: tuple[str, ...] = (
    "dall-e-3",
    "gpt-4o-mini",
    "gpt-4o-mini-transcribe",
    "gpt-4o-mini-tts",
    "llama3.2:3b",
    "nomic-embed-text:latest",
    "omni-moderation-latest",
    "text-embedding-3-small",
    "tts-1",
    "whisper-1",
)
"""A model list as OpenAI or Ollama give it: chat models among embedding, speech,
transcription, image and moderation ones, in alphabetical order."""

CAP_PARAMETERS = ("max_tokens", "max_completion_tokens")
NO_SYSTEM_ROLE_MESSAGE = "System role not supported"
"""What Gemma's chat template raises for a system message (llama.cpp and vLLM pass it on)."""
CONTEXT_LENGTH_MESSAGE = (
    "This model's maximum context length is {window} tokens. However, your messages "
    "resulted in {used} tokens. Please reduce the length of the messages."
)

# status -> (default message, error type, error code)
_ERROR_DEFAULTS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to use this resource.", "permission_error", None),
    404: ("The requested resource does not exist.", "invalid_request_error", None),
    405: ("Method not allowed.", "invalid_request_error", None),
    409: ("Conflict.", "invalid_request_error", None),
    422: ("Unprocessable request.", "invalid_request_error", None),
    429: ("Rate limit reached for requests.", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    502: ("Bad gateway.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


# --------------------------------------------------------------------------- data


@dataclass
class ScriptedReply:
    """What the fake model answers to one chat completion request.

    Every field applies to streamed replies.  A non-streamed (coach) reply uses
    ``text``/``tokens``, ``status`` + ``error_message``, ``headers``, ``hang``,
    ``finish_reason`` and the token counts; ``token_delay`` delays the whole
    response by ``token_delay`` per piece; ``cut_after`` and ``malformed_after``
    are stream-only and ignored.  (A truncated verdict is scripted as cut JSON
    text with ``finish_reason="length"``.)
    """

    text: str = "Hola, ¿qué tal?"
    tokens: list[str] | None = None
    status: int = 200
    error_message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    token_delay: float = 0.0
    cut_after: int | None = None
    malformed_after: int | None = None
    hang: bool = False
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    loop: str = ""
    """After ``text``, this is repeated without end (stop words ignored, as a looping
    small model does) until the request's cap, or :data:`LOOP_CEILING` pieces."""
    reasoning: str = ""
    """Reasoning sent before the content in ``reasoning_field`` (streamed as deltas,
    or as a field of the message), as DeepSeek, vLLM, LM Studio and Ollama do."""
    reasoning_field: str = "reasoning_content"
    """``"reasoning_content"`` (DeepSeek, vLLM, llama.cpp) or ``"reasoning"`` (Ollama,
    OpenRouter)."""

    def chunks(self) -> list[str]:
        """The content pieces to stream: ``tokens`` or ``split_tokens(text)``."""
        return list(self.tokens) if self.tokens is not None else split_tokens(self.text)

    def content(self) -> str:
        """The full assistant message (joined ``tokens`` when given)."""
        return "".join(self.tokens) if self.tokens is not None else self.text


class CaseInsensitiveHeaders(dict[str, str]):
    """Plain dict of lower-cased header names; lookups ignore case."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass(frozen=True)
class _Problem:
    """Why a request gets a 400: OpenAI-style message, ``param`` and ``code``."""

    message: str
    param: str | None = None
    code: str | None = None
    status: int = 400


@dataclass
class RecordedRequest:
    """One HTTP request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or None when absent or not valid JSON
    arrived_at: float = 0.0
    """time.perf_counter() when the request line had been read: its first byte on the
    wire, give or take the handler thread's wait for the GIL (benchmarks/request.py)."""


# ------------------------------------------------------------------ pure helpers


_WORD_PIECE = re.compile(r"\s*\S+|\s+")


def split_tokens(text: str) -> list[str]:
    """Split ``text`` into stream pieces whose concatenation is exactly ``text``.

    Text with whitespace becomes word pieces that carry their leading
    whitespace (``"Hola, ¿qué tal?"`` -> ``["Hola,", " ¿qué", " tal?"]``);
    text without any whitespace (e.g. CJK) is cut every 2 characters.
    """
    if not text:
        return []
    if not any(ch.isspace() for ch in text):
        return [text[i : i + 2] for i in range(0, len(text), 2)]
    return _WORD_PIECE.findall(text)


def with_thinking(reply: ScriptedReply, thought: str) -> ScriptedReply:
    """``reply`` opened with a ``<think>`` block, as Qwen3, QwQ and DeepSeek-R1 write
    it in ``content`` when the server does not take it out."""
    think = f"<think>\n{thought}\n</think>\n\n"
    if reply.tokens is not None:
        return replace(reply, tokens=[*split_tokens(think), *reply.tokens])
    return replace(reply, text=think + reply.text)


def requested_cap(body: dict[str, Any]) -> int | None:
    """The output cap the request names (``max_completion_tokens`` first), if any."""
    for name in reversed(CAP_PARAMETERS):
        value = body.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


@dataclass(frozen=True)
class _Planned:
    """What one reply sends under the request's cap: reasoning pieces, then content."""

    reasoning: list[str]
    content: list[str]
    finish_reason: str


def _plan(reply: ScriptedReply, body: dict[str, Any]) -> _Planned:
    cap = requested_cap(body)
    reasoning = split_tokens(reply.reasoning)
    content = reply.chunks()
    if reply.loop:
        room = (cap if cap is not None else LOOP_CEILING) - len(reasoning) - len(content)
        unit = split_tokens(reply.loop)
        while room > 0 and unit:
            content.extend(unit[:room])
            room -= len(unit)
        return _Planned(reasoning, content, "length")
    if cap is None or len(reasoning) + len(content) <= cap:
        return _Planned(reasoning, content, reply.finish_reason)
    kept_reasoning = reasoning[:cap]
    return _Planned(kept_reasoning, content[: cap - len(kept_reasoning)], "length")


def _message_text(message: Any) -> str:
    """Text of one chat message; handles string and list-of-parts content."""
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text", "") for p in content if isinstance(p, dict)]
        return "".join(p for p in parts if isinstance(p, str))
    return ""


def _user_texts(body: dict[str, Any]) -> list[str]:
    messages = body.get("messages")
    if not isinstance(messages, list):
        return []
    return [_message_text(m) for m in messages if isinstance(m, dict) and m.get("role") == "user"]


def _snippet(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat[:limit] if flat else "…"


def echo_reply(body: dict[str, Any]) -> ScriptedReply:
    """Default reply: ``"Respuesta <n>: <first 40 chars of the last user text>"``.

    ``n`` is the number of user messages in the request, so the answer depends
    only on the request.  Without any user message: :data:`OPENING_LINE`.
    """
    texts = _user_texts(body)
    if not texts:
        return ScriptedReply(text=OPENING_LINE)
    return ScriptedReply(text=f"Respuesta {len(texts)}: {_snippet(texts[-1])}")


_PARTNER_LINES = (
    "¡Qué interesante! Dices «{s}». ¿Puedes contarme un poco más?",
    "Entiendo, «{s}». ¿Y qué piensas tú de eso?",
    "¡Muy bien dicho! Sobre «{s}»: ¿cuándo te pasó?",
    "Vale, «{s}». ¿Cómo te sentiste?",
    "¡Genial! Me gusta hablar contigo. ¿Qué más quieres contarme?",
)


def spanish_partner_reply(body: dict[str, Any]) -> ScriptedReply:
    """Friendly, deterministic Spanish conversation partner (for ``main()``).

    The partner speaks first: a request with no assistant turn yet (only the app's
    opening cue from the user, if anything) gets the opening line.
    """
    texts = _user_texts(body)
    messages = body.get("messages")
    has_spoken = isinstance(messages, list) and any(
        isinstance(m, dict) and m.get("role") == "assistant" for m in messages
    )
    if not texts or not has_spoken:
        return ScriptedReply(text=OPENING_LINE)
    texts = texts[1:]  # the first user turn is the opening cue
    line = _PARTNER_LINES[(len(texts) - 1) % len(_PARTNER_LINES)]
    return ScriptedReply(text=line.format(s=_snippet(texts[-1])))


def coach_json(
    corrected: str, items: Sequence[tuple[str, str, str, str]] = (), natural: str = ""
) -> str:
    """The JSON text of a coach verdict.

    ``items`` are ``(original, correction, explanation, category)`` tuples.
    """
    verdict = {
        "corrected": corrected,
        "items": [
            {
                "original": original,
                "correction": correction,
                "explanation": explanation,
                "category": category,
            }
            for original, correction, explanation, category in items
        ],
        "natural": natural,
    }
    return json.dumps(verdict, ensure_ascii=False)


def coach_reply(
    corrected: str, items: Sequence[tuple[str, str, str, str]] = (), natural: str = ""
) -> ScriptedReply:
    """A :class:`ScriptedReply` whose text is ``coach_json(corrected, items, natural)``."""
    return ScriptedReply(text=coach_json(corrected, items, natural))


def _asked(text: str) -> str:
    """The question of a user turn: after the instructions Tutor folds into it for a
    model without a system role (JSON text holds no blank line)."""
    return text.rsplit("\n\n", 1)[-1]


def _learner_wrote(body: dict[str, Any]) -> str | None:
    """``learner_wrote`` from the JSON in the last user message, if it is there."""
    texts = _user_texts(body)
    if not texts:
        return None
    try:
        payload = json.loads(_asked(texts[-1]))
    except ValueError:
        return None
    wrote = payload.get("learner_wrote") if isinstance(payload, dict) else None
    return wrote if isinstance(wrote, str) else None


def no_mistakes_reply(body: dict[str, Any]) -> ScriptedReply:
    """Default coach reply: no mistakes, ``corrected`` echoes ``learner_wrote``.

    ``learner_wrote`` comes from the last user message parsed as JSON; when it
    is not such JSON, ``corrected`` is ``""``.
    """
    return coach_reply(_learner_wrote(body) or "")


_GOED_EXPLANATION = "'Go' is an irregular verb: its past tense is 'went', not 'goed'."


def spanish_coach_reply(body: dict[str, Any]) -> ScriptedReply:
    """Friendly demo coach (for ``main()``): flags "goed", else finds no mistakes."""
    wrote = _learner_wrote(body) or ""
    if "goed" not in wrote:
        return coach_reply(wrote)
    return coach_reply(
        wrote.replace("goed", "went"), [("goed", "went", _GOED_EXPLANATION, "grammar")]
    )


def task_of(body: dict[str, Any]) -> str | None:
    """The help task a whole (not streamed) request asks for, else None.

    Help requests (translation, look-up, "how do I say", hints, simpler wording) end
    with a user message holding a JSON object with a ``"task"`` name; each task has its
    own script (:meth:`OpenAITestServer.enqueue_task`, else
    :attr:`OpenAITestServer.default_task_replies`)."""
    texts = _user_texts(body)
    if not texts or not _asked(texts[-1]).lstrip().startswith("{"):
        return None
    try:
        payload = json.loads(_asked(texts[-1]))
    except ValueError:
        return None
    task = payload.get("task") if isinstance(payload, dict) else None
    return task if isinstance(task, str) and task else None


def task_question(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON object a help request asks about (see :func:`task_of`)."""
    payload = json.loads(_asked(_user_texts(body)[-1]))
    assert isinstance(payload, dict)
    return payload


def _unscripted_task(body: dict[str, Any]) -> ScriptedReply:
    return ScriptedReply(status=500, error_message=f"no reply scripted for task {task_of(body)!r}")


def _summary_question(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON a summary request asks about (``{"messages": [...]}``), else None."""
    texts = _user_texts(body)
    if not texts or not _asked(texts[-1]).lstrip().startswith("{"):
        return None
    try:
        payload = json.loads(_asked(texts[-1]))
    except ValueError:
        return None
    if isinstance(payload, dict) and isinstance(payload.get("messages"), list):
        return payload
    return None


def summary_reply(body: dict[str, Any]) -> ScriptedReply:
    """Default summary: what went well, and one pattern pointing at the first message
    with a mistake the checker found (none without mistakes)."""
    question = _summary_question(body) or {}
    messages = [m for m in question.get("messages", []) if isinstance(m, dict)]
    with_mistakes = [m for m in messages if m.get("mistakes")]
    patterns = []
    if with_mistakes:
        first = with_mistakes[0]["mistakes"][0]
        wrong, right = first.get("wrong", ""), first.get("right", "")
        patterns.append(
            {
                "text": f"Watch «{wrong}»: it should be «{right}».",
                "message_ids": [m.get("id") for m in with_mistakes],
            }
        )
    went_well = (
        f"You wrote {len(messages)} message{'' if len(messages) == 1 else 's'} "
        "and kept the conversation going."
        if messages
        else "You kept the conversation going."
    )
    return ScriptedReply(
        text=json.dumps({"went_well": went_well, "patterns": patterns}, ensure_ascii=False)
    )


def _prompt_token_count(body: dict[str, Any]) -> int:
    messages = body.get("messages")
    items = messages if isinstance(messages, list) else []
    return sum(len(_message_text(m)) for m in items) // 4 + 1


def _usage(reply: ScriptedReply, body: dict[str, Any], planned: _Planned) -> dict[str, int]:
    prompt = reply.prompt_tokens if reply.prompt_tokens is not None else _prompt_token_count(body)
    completion = (
        reply.completion_tokens
        if reply.completion_tokens is not None
        else len(planned.reasoning) + len(planned.content)
    )
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def error_body(
    status: int, message: str = "", param: str | None = None, code: str | None = None
) -> dict[str, Any]:
    """An OpenAI-style error body for ``status`` (``code`` None: the status's default)."""
    default_message, error_type, default_code = _ERROR_DEFAULTS.get(
        status,
        (
            f"Scripted error {status}.",
            "server_error" if status >= 500 else "invalid_request_error",
            None,
        ),
    )
    return {
        "error": {
            "message": message or default_message,
            "type": error_type,
            "param": param,
            "code": code if code is not None else default_code,
        }
    }


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def _completion_object(reply: ScriptedReply, body: dict[str, Any]) -> dict[str, Any]:
    planned = _plan(reply, body)
    message: dict[str, Any] = {
        "role": "assistant",
        "content": "".join(planned.content),
        "refusal": None,
    }
    if planned.reasoning:
        message[reply.reasoning_field] = "".join(planned.reasoning)
    return {
        "id": _completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": planned.finish_reason,
            }
        ],
        "usage": _usage(reply, body, planned),
    }


def _validation_error(body: Any) -> _Problem | None:
    """Why a chat completion body is unacceptable, or None when it is fine."""
    if not isinstance(body, dict):
        return _Problem("We could not parse the JSON body of your request.")
    if not isinstance(body.get("model"), str):
        return _Problem("you must provide a model parameter")
    if not isinstance(body.get("messages"), list):
        return _missing("messages")
    return _response_format_error(body.get("response_format"))


def _missing(param: str) -> _Problem:
    return _Problem(f"Missing required parameter: '{param}'.", param, "missing_required_parameter")


def _response_format_error(response_format: Any) -> _Problem | None:
    """What OpenAI would reject in ``response_format`` (None: absent or fine)."""
    if response_format is None:
        return None
    if not isinstance(response_format, dict):
        return _Problem(
            "Invalid type for 'response_format': expected an object, "
            f"but got {type(response_format).__name__} instead.",
            "response_format",
            "invalid_type",
        )
    kind = response_format.get("type")
    if kind is None:
        return _missing("response_format.type")
    if kind not in RESPONSE_FORMAT_TYPES:
        return _Problem(
            f"Invalid value: '{kind}'. Supported values are: "
            "'text', 'json_object', and 'json_schema'.",
            "response_format.type",
            "invalid_value",
        )
    if kind != "json_schema":
        return None
    schema = response_format.get("json_schema")
    if not isinstance(schema, dict):
        return _missing("response_format.json_schema")
    if not isinstance(schema.get("name"), str) or not schema["name"]:
        return _missing("response_format.json_schema.name")
    if not isinstance(schema.get("schema"), dict):
        return _missing("response_format.json_schema.schema")
    return None


def _response_format_type(body: dict[str, Any]) -> str | None:
    response_format = body.get("response_format")
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    return kind if isinstance(kind, str) else None


def _is_streaming(body: dict[str, Any]) -> bool:
    return body.get("stream") is True


def _encode(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _sse(payload: Any) -> bytes:
    return b"data: " + _encode(payload) + b"\n\n"


# ------------------------------------------------------------------ the handler


class _StreamAbortedError(Exception):
    """The server is stopping; abandon the response."""


class _Httpd(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: OpenAITestServer) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about disconnects; report real bugs as usual."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError) or (
            isinstance(error, OSError) and self.owner.stopping
        ):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TutorOpenAITestServer/1.0"

    @property
    def owner(self) -> OpenAITestServer:
        server = self.server
        assert isinstance(server, _Httpd)
        return server.owner

    # ---- lifecycle / plumbing

    def setup(self) -> None:
        super().setup()
        self.owner._track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.owner._untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request logging."""

    def parse_request(self) -> bool:
        # Called right after the request line is read: stamp the arrival here, before
        # the headers and the body are read.
        self.arrived_at = time.perf_counter()
        return super().parse_request()

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    # ---- routing

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        raw = self._read_body()
        if path == transcription_endpoint.PATH:  # multipart audio: its own module
            self.owner.transcriptions.serve(self, raw)
            return
        body = _parse_json(raw)
        self.owner._record(
            RecordedRequest(self.command, path, self._header_dict(), body, self.arrived_at)
        )
        routes = {MODELS_PATH: "GET", CHAT_PATH: "POST"}
        if self.owner.speech.handles(path):  # tests/speech_endpoint.py
            self.owner.speech.serve(self, path, body)
        elif path not in routes:
            self._send_error(404, f"Unknown path {self.command} {path}")
        elif self.command != routes[path]:
            self._send_error(
                405, f"Method {self.command} not allowed on {path}", {"Allow": routes[path]}
            )
        elif path == MODELS_PATH:
            self._serve_models()
        else:
            self._serve_chat(body)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _header_dict(self) -> CaseInsensitiveHeaders:
        return CaseInsensitiveHeaders((k.lower(), v) for k, v in self.headers.items())

    # ---- endpoints

    def _serve_models(self) -> None:
        if not self._authorized():  # as OpenAI does: every endpoint needs the key
            self._send_error(401)
            return
        status = self.owner.models_status
        if status != 200:
            self._send_error(status)
            return
        data = [
            {"id": m, "object": "model", "created": 0, "owned_by": "tutor-tests"}
            for m in self.owner.models
        ]
        self._send_json(200, {"object": "list", "data": data})

    def _serve_chat(self, body: Any) -> None:
        if not self._authorized():
            self._send_error(401)
            return
        problem = _validation_error(body)
        if problem is None:
            problem = self.owner._refusal(body)
        if problem is not None:
            self._send_error(
                problem.status, problem.message, param=problem.param, code=problem.code
            )
            return
        reply = self.owner._next_reply(body)
        if reply.hang:
            self._hang()
        elif reply.status != 200:
            self._send_error(reply.status, reply.error_message, reply.headers)
        elif _is_streaming(body):
            self._stream(reply, body)
        else:
            self._send_completion(reply, body)

    def _authorized(self) -> bool:
        key = self.owner.api_key
        return key is None or self.headers.get("Authorization") == f"Bearer {key}"

    def _hang(self) -> None:
        """Send nothing until released or stopping, then drop the connection."""
        self.owner._wait_released()
        self._drop_connection()

    # ---- plain responses

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = _encode(payload)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_error(
        self,
        status: int,
        message: str = "",
        headers: dict[str, str] | None = None,
        *,
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        self._send_json(status, error_body(status, message, param, code), headers)

    def _send_completion(self, reply: ScriptedReply, body: dict[str, Any]) -> None:
        """One ``chat.completion`` object, after ``token_delay`` per piece."""
        planned = _plan(reply, body)
        delay = reply.token_delay * (len(planned.reasoning) + len(planned.content))
        if delay > 0 and self.owner.stop_event.wait(delay):
            self._drop_connection()
            return
        self._send_json(200, _completion_object(reply, body), reply.headers)

    def _drop_connection(self) -> None:
        """Close our side: the client sees EOF (FIN), never a reset."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)

    # ---- streaming

    def _stream(self, reply: ScriptedReply, body: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        written = 0
        try:
            for event in _stream_events(reply, body, self.owner.stop_event):
                if event is None:
                    self._drop_connection()  # cut_after: no terminator
                    return
                self._write_chunk(event)
                written += 1
            self._write_chunk(b"")
        except (_StreamAbortedError, ConnectionError):
            self._drop_connection()
        finally:
            self.owner.stream_events_sent.append(written)

    def _write_chunk(self, data: bytes) -> None:
        if self.owner.stopping:
            raise _StreamAbortedError
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()


def _parse_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _stream_events(
    reply: ScriptedReply, body: dict[str, Any], stop: threading.Event
) -> Iterator[bytes | None]:
    """SSE events for a streamed reply; ``None`` means "cut the connection now"."""
    chunk_id, created, model = _completion_id(), int(time.time()), body["model"]
    include_usage = _wants_usage(body)

    planned = _plan(reply, body)

    def chunk(delta: dict[str, str], finish: str | None) -> bytes:
        payload: dict[str, Any] = {
            "id": chunk_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        if include_usage:
            payload["usage"] = None
        return _sse(payload)

    yield chunk({"role": "assistant", "content": ""}, None)
    for thought in planned.reasoning:
        if reply.token_delay > 0 and stop.wait(reply.token_delay):
            raise _StreamAbortedError
        yield chunk({reply.reasoning_field: thought}, None)
    tokens = planned.content
    for sent in range(len(tokens) + 1):
        if reply.cut_after == sent:
            yield None
            return
        if reply.malformed_after == sent:
            yield MALFORMED_EVENT
        if sent == len(tokens):
            break
        if reply.token_delay > 0 and stop.wait(reply.token_delay):
            raise _StreamAbortedError
        yield chunk({"content": tokens[sent]}, None)
    yield chunk({}, planned.finish_reason)
    if include_usage:
        yield _usage_chunk(chunk_id, created, model, _usage(reply, body, planned))
    yield b"data: [DONE]\n\n"


def _wants_usage(body: dict[str, Any]) -> bool:
    options = body.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


def _usage_chunk(chunk_id: str, created: int, model: str, usage: dict[str, int]) -> bytes:
    return _sse(
        {
            "id": chunk_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [],
            "usage": usage,
        }
    )


# ------------------------------------------------------------------- the server


class OpenAITestServer:
    """Local OpenAI-compatible server; use as a context manager or start()/stop()."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        models: Sequence[str] = ("tutor-test-small", "tutor-test-large"),
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.api_key = api_key
        self.models: tuple[str, ...] = tuple(models)
        self.host = host
        self.default_reply: Callable[[dict[str, Any]], ScriptedReply] = echo_reply
        self.default_coach_reply: Callable[[dict[str, Any]], ScriptedReply] = no_mistakes_reply
        self.default_summary_reply: Callable[[dict[str, Any]], ScriptedReply] = summary_reply
        self.default_task_replies: dict[str, Callable[[dict[str, Any]], ScriptedReply]] = {}
        """Help task name -> the reply it gets when none is queued (a task without one
        gets an HTTP 500: a test forgot to script it)."""
        # Help tasks with default answers of their own, each in its own module.
        from tests.help_endpoint import word_help_replies

        self.default_task_replies.update(word_help_replies())
        # "How do I say…?", hints and simpler wordings (tests/help_say_endpoint.py).
        from tests.help_say_endpoint import say_task_replies

        self.default_task_replies.update(say_task_replies())
        # The facts a learner shared (tests/memory_endpoint.py).
        from tests.memory_endpoint import memory_task_replies

        self.default_task_replies.update(memory_task_replies())
        # A scenario built from the learner's mistakes (tests/practice_endpoint.py).
        from tests.practice_endpoint import practice_task_replies

        self.default_task_replies.update(practice_task_replies())
        self.refused_response_formats: set[str] = set()
        self.refused_parameters: dict[str, set[str]] = {}
        """Model id -> request parameters it refuses (OpenAI's reasoning models refuse
        ``max_tokens`` and ``temperature``; an older server ``max_completion_tokens``)."""
        self.refused_parameter_status = 400
        self.no_system_role: set[str] = set()
        """Model ids whose chat template refuses a ``system`` message."""
        self.context_windows: dict[str, int] = {}
        """Model id -> context size: a prompt (chars / 4) plus cap over it is refused."""
        self.models_status: int = 200
        self.speech = SpeechEndpoint()
        """POST /v1/audio/speech and GET /v1/audio/voices (tests/speech_endpoint.py)."""
        self.requests: list[RecordedRequest] = []
        self.stream_events_sent: list[int] = []
        """SSE events written for each streamed reply, as each stream ended (one the
        client closed counts those written before a write failed)."""
        self.stop_event = threading.Event()
        self.transcriptions = transcription_endpoint.TranscriptionScript(stop_event=self.stop_event)
        """``/v1/audio/transcriptions``: tests/transcription_endpoint.py."""
        self._requested_port = port
        self._replies: deque[ScriptedReply] = deque()
        self._coach_replies: deque[ScriptedReply] = deque()
        self._summary_replies: deque[ScriptedReply] = deque()
        self._task_replies: dict[str, deque[ScriptedReply]] = {}
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._release = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _Httpd | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle

    def start(self) -> OpenAITestServer:
        """Bind and serve in a daemon thread; returns self."""
        if self._httpd is not None or self.stopping:
            raise RuntimeError("OpenAITestServer can only be started once")
        self._httpd = _Httpd((self.host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": _POLL_SECONDS},
            name=f"openai-test-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hanging handlers, drop open connections, close the socket.

        Idempotent; returns promptly even with hanging or slow responses.
        """
        if self.stopping:
            return
        self.stop_event.set()
        self._release.set()
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        httpd.shutdown()
        self._close_connections()
        httpd.server_close()
        thread.join(timeout=1.0)

    @property
    def stopping(self) -> bool:
        return self.stop_event.is_set()

    def __enter__(self) -> OpenAITestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("OpenAITestServer is not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    # ---- scripting

    def enqueue(self, *replies: ScriptedReply) -> None:
        """Queue replies for the next streamed (partner) chat requests (FIFO)."""
        with self._lock:
            self._replies.extend(replies)

    def enqueue_coach(self, *replies: ScriptedReply) -> None:
        """Queue replies for the next non-streamed (coach) chat requests (FIFO)."""
        with self._lock:
            self._coach_replies.extend(replies)

    def enqueue_summary(self, *replies: ScriptedReply) -> None:
        """Queue replies for the next summary requests (FIFO)."""
        with self._lock:
            self._summary_replies.extend(replies)

    def enqueue_task(self, task: str, *replies: ScriptedReply) -> None:
        """Queue replies for the next requests of one help task (FIFO)."""
        with self._lock:
            self._task_replies.setdefault(task, deque()).extend(replies)

    def release_hanging(self) -> None:
        """Let every request currently hanging drop its connection (no response)."""
        with self._lock:
            released, self._release = self._release, threading.Event()
        released.set()

    # ---- inspection

    def chat_requests(self) -> list[dict[str, Any]]:
        """Parsed JSON bodies of POST /v1/chat/completions, in arrival order."""
        with self._lock:
            return [r.body for r in self.requests if _is_chat(r) and isinstance(r.body, dict)]

    def coach_requests(self) -> list[dict[str, Any]]:
        """Parsed bodies of non-streamed (coach) chat requests, in arrival order.

        Includes requests answered with an error (e.g. a refused response_format).
        """
        with self._lock:
            return self._coach_bodies()

    def summary_requests(self) -> list[dict[str, Any]]:
        """Parsed bodies of summary requests, in arrival order (refused ones too)."""
        with self._lock:
            return self._summary_bodies()

    def task_requests(self, task: str) -> list[dict[str, Any]]:
        """Parsed bodies of one help task's requests, in arrival order (refused ones too)."""
        with self._lock:
            return [b for b in self._whole_bodies() if task_of(b) == task]

    def partner_requests(self) -> list[dict[str, Any]]:
        """Parsed bodies of streamed (partner) chat requests, in arrival order."""
        with self._lock:
            return self._partner_bodies()

    def partner_records(self) -> list[RecordedRequest]:
        """The streamed (partner) chat requests as recorded, with when each arrived."""
        with self._lock:
            return self._partner_records()

    def wait_for_partner_requests(self, count: int, timeout: float = 5.0) -> None:
        """Block until ``count`` partner requests arrived (TimeoutError otherwise)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._partner_bodies()) >= count, timeout):
                raise TimeoutError(
                    f"expected {count} partner requests, got {len(self._partner_bodies())}"
                )

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> None:
        """Block until ``count`` chat completion requests arrived (TimeoutError otherwise)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: self._chat_count() >= count, timeout):
                raise TimeoutError(
                    f"expected {count} chat completion requests, got {self._chat_count()}"
                )

    def wait_for_coach_requests(self, count: int, timeout: float = 5.0) -> None:
        """Block until ``count`` coach requests arrived (TimeoutError otherwise)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._coach_bodies()) >= count, timeout):
                raise TimeoutError(
                    f"expected {count} coach requests, got {len(self._coach_bodies())}"
                )

    # ---- used by the handler

    def _record(self, request: RecordedRequest) -> None:
        with self._arrived:
            self.requests.append(request)
            self._arrived.notify_all()

    def _chat_count(self) -> int:
        return sum(1 for r in self.requests if _is_chat(r))

    def _partner_records(self) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if _is_chat(r) and isinstance(r.body, dict) and _is_streaming(r.body)
        ]

    def _partner_bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self._partner_records()]

    def _coach_bodies(self) -> list[dict[str, Any]]:
        return [
            b for b in self._whole_bodies() if _summary_question(b) is None and task_of(b) is None
        ]

    def _summary_bodies(self) -> list[dict[str, Any]]:
        return [b for b in self._whole_bodies() if _summary_question(b) is not None]

    def _whole_bodies(self) -> list[dict[str, Any]]:
        """Bodies of the chat requests answered whole (not streamed)."""
        return [
            r.body
            for r in self.requests
            if _is_chat(r) and isinstance(r.body, dict) and not _is_streaming(r.body)
        ]

    def _refusal(self, body: dict[str, Any]) -> _Problem | None:
        """Why this model refuses the request, as real servers word it; None: it does not."""
        model = body["model"]
        for name in sorted(self.refused_parameters.get(model, ())):
            if name in body:
                return _refused_parameter(name, self.refused_parameter_status)
        messages = body["messages"]
        if model in self.no_system_role and any(
            isinstance(m, dict) and m.get("role") == "system" for m in messages
        ):
            return _Problem(NO_SYSTEM_ROLE_MESSAGE)
        window = self.context_windows.get(model)
        if window is not None:
            used = _prompt_token_count(body) + (requested_cap(body) or 0)
            if used > window:
                return _Problem(
                    CONTEXT_LENGTH_MESSAGE.format(window=window, used=used),
                    "messages",
                    "context_length_exceeded",
                )
        kind = _response_format_type(body)
        if kind is None or kind not in self.refused_response_formats:
            return None
        return _Problem(REFUSED_FORMAT_MESSAGE.format(type=kind), "response_format")

    def _next_reply(self, body: dict[str, Any]) -> ScriptedReply:
        streaming = _is_streaming(body)
        with self._lock:
            task = None if streaming else task_of(body)
            if streaming:
                queue, default = self._replies, self.default_reply
            elif task is not None:
                queue = self._task_replies.setdefault(task, deque())
                default = self.default_task_replies.get(task, _unscripted_task)
            elif _summary_question(body) is not None:
                queue, default = self._summary_replies, self.default_summary_reply
            else:
                queue, default = self._coach_replies, self.default_coach_reply
            scripted = queue.popleft() if queue else None
        return scripted if scripted is not None else default(body)

    def _wait_released(self) -> None:
        with self._lock:
            released = self._release
        while not released.wait(_POLL_SECONDS) and not self.stopping:
            pass

    def _track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _close_connections(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


def _refused_parameter(name: str, status: int) -> _Problem:
    """OpenAI's words for a parameter a model does not take."""
    if name == "max_tokens":
        message = (
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead."
        )
        return _Problem(message, name, "unsupported_parameter", status)
    if name == "temperature":
        message = (
            "Unsupported value: 'temperature' does not support 0 with this model. "
            "Only the default (1) value is supported."
        )
        return _Problem(message, name, "unsupported_value", status)
    return _Problem(f"Unrecognized request argument supplied: {name}", name, None, status)


def _is_chat(request: RecordedRequest) -> bool:
    return request.method == "POST" and request.path == CHAT_PATH


# ------------------------------------------------------------------ manual use


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Fake OpenAI server for trying Tutor.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token-delay", type=float, default=0.0, help="seconds per token")
    parser.add_argument("--api-key", default=None, help="require this bearer token")
    parser.add_argument(
        "--models",
        default="tutor-test-small,tutor-test-large",
        help="comma-separated model ids the server lists (try: " + ",".join(MIXED_MODELS) + ")",
    )
    parser.add_argument(
        "--think", action="store_true", help="replies open with a <think> block, as Qwen3 does"
    )
    parser.add_argument(
        "--reasoning-field",
        default=None,
        help="send reasoning in this delta field (reasoning_content or reasoning) instead",
    )
    parser.add_argument(
        "--loop", action="store_true", help="the partner repeats itself until the request's cap"
    )
    parser.add_argument(
        "--coach-score",
        action="store_true",
        help="the coach corrects the Italian sample as tests/coach_score_endpoint.py scripts it "
        "(try: tutor coach-score --language it --limit 50)",
    )
    return parser.parse_args(argv)


def _manual_server(args: argparse.Namespace) -> OpenAITestServer:
    """The (not yet started) server ``main()`` runs: Spanish partner and demo coach."""
    models = tuple(m.strip() for m in args.models.split(",") if m.strip())
    server = OpenAITestServer(
        api_key=args.api_key, host=args.host, port=args.port, models=models or ("tutor-test",)
    )
    delay: float = args.token_delay
    thought = "The learner wrote to me. I should answer simply, in Spanish, and ask a question."

    def reply(body: dict[str, Any]) -> ScriptedReply:
        answer = replace(spanish_partner_reply(body), token_delay=delay)
        if args.loop and len(_user_texts(body)) > 1:
            answer = replace(answer, loop=" ¡De nada! Gracias a ti.")
        if args.reasoning_field:
            return replace(answer, reasoning=thought, reasoning_field=args.reasoning_field)
        return with_thinking(answer, thought) if args.think else answer

    def coach(body: dict[str, Any]) -> ScriptedReply:
        answer = spanish_coach_reply(body)
        return with_thinking(answer, "Let me check the grammar.") if args.think else answer

    server.default_reply = reply
    server.default_coach_reply = coach
    if args.coach_score:
        from tests.coach_score_endpoint import ITALIAN_CORRECTIONS, CoachScoreScript

        server.default_coach_reply = CoachScoreScript(ITALIAN_CORRECTIONS)
    return server


def main(argv: Sequence[str] | None = None) -> int:
    """Serve friendly Spanish replies (and coach verdicts) until Ctrl+C."""
    with _manual_server(_parse_args(argv)) as server:
        print(f"OpenAI test server listening on {server.base_url}  (Ctrl+C to stop)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nstopping", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
