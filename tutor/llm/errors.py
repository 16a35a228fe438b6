"""What went wrong with a request, in words a learner can act on."""

from __future__ import annotations

import math
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import urlsplit

from tutor.domain.server_refusals import RefusalKind, read_refusal


class ErrorKind(StrEnum):
    BAD_KEY = "bad_key"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    BAD_REQUEST = "bad_request"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    STREAM_CUT = "stream_cut"
    MALFORMED_STREAM = "malformed_stream"
    EMPTY_REPLY = "empty_reply"
    UNUSABLE_ANSWER = "unusable_answer"
    """An answer arrived but does not hold what was asked for (the coach's JSON)."""
    REPEATED = "repeated"
    """The reply began repeating itself, and Tutor stopped it (tutor/domain/repetition.py)."""
    CONTEXT_EXCEEDED = "context_exceeded"
    """The request does not fit the model's context window, even made smaller."""
    UNEXPECTED = "unexpected"


@dataclass(frozen=True)
class LlmError(Exception):
    kind: ErrorKind
    message: str
    status: int | None = None
    retry_after: float | None = None

    def __str__(self) -> str:
        return self.message


def explain(
    error: BaseException, base_url: str, model: str, *, during_stream: bool = False
) -> LlmError:
    """Map an exception from the openai client or the HTTP stack to an LlmError.

    `during_stream`: the reply had started, so a broken connection is a cut stream and
    an unreadable line is a malformed event (openai raises a bare JSONDecodeError).
    """
    if isinstance(error, LlmError):
        return error
    if during_stream:
        if isinstance(error, ValueError):
            return LlmError(
                ErrorKind.MALFORMED_STREAM,
                "The server sent part of the reply in a form Tutor cannot read.",
            )
        if _is_broken_stream(error) or type(error).__name__ == "APIConnectionError":
            return LlmError(
                ErrorKind.STREAM_CUT, "The connection broke while the reply was arriving."
            )
    import openai  # already loaded by whoever raised `error`

    status = getattr(error, "status_code", None)
    detail = _server_detail(error)
    if isinstance(error, openai.AuthenticationError):
        return LlmError(
            ErrorKind.BAD_KEY,
            "The server refused the API key (401). Check the key in Settings; it may be "
            "mistyped, revoked or for another service.",
            status,
        )
    if isinstance(error, openai.PermissionDeniedError):
        return LlmError(
            ErrorKind.FORBIDDEN,
            f"The key has no access to this (403){detail}. Check the key's permissions or "
            "your account's billing.",
            status,
        )
    if isinstance(error, openai.NotFoundError):
        return LlmError(
            ErrorKind.NOT_FOUND,
            f"The server at {base_url} has no model '{model}' or no such path (404){detail}. "
            "Check the model name, and that the address ends where the API starts "
            "(usually /v1).",
            status,
        )
    if isinstance(error, openai.RateLimitError):
        retry_after = _retry_after(error)
        wait = (
            f" Try again in {math.ceil(retry_after)} s."
            if retry_after
            else " Wait a moment and retry."
        )
        return LlmError(
            ErrorKind.RATE_LIMITED,
            f"The server is limiting requests (429){detail}.{wait}",
            status,
            retry_after,
        )
    if isinstance(error, openai.APITimeoutError):
        return LlmError(
            ErrorKind.TIMEOUT,
            f"The server at {base_url} did not answer in time. It may be busy or loading the "
            "model; retry in a moment.",
        )
    if isinstance(error, openai.APIConnectionError) and _is_name_not_found(error):
        host = urlsplit(base_url).hostname or base_url
        return LlmError(
            ErrorKind.UNREACHABLE,
            f"The name {host} cannot be found (DNS). Check the server's address in Settings "
            "and this computer's network connection.",
        )
    if isinstance(error, openai.APIConnectionError):
        return LlmError(
            ErrorKind.UNREACHABLE,
            f"Nothing answers at {base_url}. Is the server running, and is the address right?",
        )
    if isinstance(error, openai.InternalServerError) or (status is not None and status >= 500):
        return LlmError(
            ErrorKind.SERVER_ERROR,
            f"The server had a problem ({status}){detail}. Retry in a moment.",
            status,
        )
    if isinstance(error, openai.APIStatusError):
        refusal = read_refusal(
            status, f"{error.message} {error.body}", param=error.param, code=error.code
        )
        if refusal is not None and refusal.kind is RefusalKind.CONTEXT_LENGTH:
            return LlmError(ErrorKind.CONTEXT_EXCEEDED, _too_long(model, refusal.limit), status)
        return LlmError(
            ErrorKind.BAD_REQUEST, f"The server refused the request ({status}){detail}.", status
        )
    if _is_broken_stream(error):
        return LlmError(ErrorKind.STREAM_CUT, "The connection broke while the reply was arriving.")
    if isinstance(error, openai.APIResponseValidationError | ValueError):
        return LlmError(
            ErrorKind.UNEXPECTED,
            f"The server at {base_url} answered with something that is not the Chat "
            "Completions API. Check the address (it usually ends in /v1).",
        )
    return LlmError(ErrorKind.UNEXPECTED, f"The request failed: {type(error).__name__}: {error}")


def _too_long(model: str, window: int | None) -> str:
    holds = f" (its context window holds {window:,} tokens)" if window else ""
    return (
        f"The request is too long for the model '{model}'{holds}, even with the oldest "
        "turns of the conversation left out. Start a new session, choose a model with a "
        "larger context window, or give this one more (llama.cpp: --ctx-size; Ollama: "
        "num_ctx)."
    )


def _server_detail(error: BaseException) -> str:
    body = getattr(error, "body", None)
    message = None
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else None
    text = str(message)[:300].rstrip(" .") if message else ""
    return f": {text}" if text else ""  # the callers end the sentence themselves


def _retry_after(error: BaseException) -> float | None:
    """Seconds to wait from a Retry-After header: a number, or an HTTP date (RFC 9110)."""
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _is_name_not_found(error: BaseException) -> bool:
    """The host name did not resolve: a typo, no network, or a name only a VPN knows."""
    return any(isinstance(e, socket.gaierror) for e in _chain(error))


def _is_broken_stream(error: BaseException) -> bool:
    names = {type(e).__name__ for e in _chain(error)}
    return bool(
        names & {"RemoteProtocolError", "ReadError", "IncompleteRead", "ConnectionResetError"}
    )


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
