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
from tutor.i18n.formats import format_number
from tutor.i18n.translate import N_, _, ngettext

BROKEN_STREAM = N_("The connection broke while the reply was arriving.")


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
                _("The server sent part of the reply in a form Tutor cannot read."),
            )
        if _is_broken_stream(error) or type(error).__name__ == "APIConnectionError":
            return LlmError(ErrorKind.STREAM_CUT, _(BROKEN_STREAM))
    import openai  # already loaded by whoever raised `error`

    status = getattr(error, "status_code", None)
    # The server's own words (in English, as a rule), quoted where a sentence has room.
    detail = _server_detail(error)
    if isinstance(error, openai.AuthenticationError):
        return LlmError(
            ErrorKind.BAD_KEY,
            _(
                "The server refused the API key (401). Check the key in Settings; it may be "
                "mistyped, revoked or for another service."
            ),
            status,
        )
    if isinstance(error, openai.PermissionDeniedError):
        words = (
            # Translators: {detail} is the server's own words, often in English.
            _(
                "The key has no access to this (403): {detail}. Check the key's permissions "
                "or your account's billing."
            )
            if detail
            else _(
                "The key has no access to this (403). Check the key's permissions or your "
                "account's billing."
            )
        )
        return LlmError(ErrorKind.FORBIDDEN, words.format(detail=detail), status)
    if isinstance(error, openai.NotFoundError):
        words = (
            _(
                "The server at {address} has no model '{model}' or no such path (404): "
                "{detail}. Check the model name, and that the address ends where the API "
                "starts (usually /v1)."
            )
            if detail
            else _(
                "The server at {address} has no model '{model}' or no such path (404). Check "
                "the model name, and that the address ends where the API starts (usually /v1)."
            )
        )
        return LlmError(
            ErrorKind.NOT_FOUND,
            words.format(address=base_url, model=model, detail=detail),
            status,
        )
    if isinstance(error, openai.RateLimitError):
        retry_after = _retry_after(error)
        limited = (
            _("The server is limiting requests (429): {detail}.")
            if detail
            else _("The server is limiting requests (429).")
        ).format(detail=detail)
        if retry_after:
            seconds = math.ceil(retry_after)
            # Translators: "s" abbreviates seconds.
            wait = ngettext("Try again in {count} s.", "Try again in {count} s.", seconds).format(
                count=format_number(seconds)
            )
        else:
            wait = _("Wait a moment and retry.")
        return LlmError(ErrorKind.RATE_LIMITED, _two_sentences(limited, wait), status, retry_after)
    if isinstance(error, openai.APITimeoutError):
        return LlmError(
            ErrorKind.TIMEOUT,
            _(
                "The server at {address} did not answer in time. It may be busy or loading "
                "the model; retry in a moment."
            ).format(address=base_url),
        )
    if isinstance(error, openai.APIConnectionError) and _is_name_not_found(error):
        host = urlsplit(base_url).hostname or base_url
        return LlmError(
            ErrorKind.UNREACHABLE,
            _(
                "The name {host} cannot be found (DNS). Check the server's address in "
                "Settings and this computer's network connection."
            ).format(host=host),
        )
    if isinstance(error, openai.APIConnectionError):
        return LlmError(
            ErrorKind.UNREACHABLE,
            _(
                "Nothing answers at {address}. Is the server running, and is the address right?"
            ).format(address=base_url),
        )
    if isinstance(error, openai.InternalServerError) or (status is not None and status >= 500):
        words = (
            _("The server had a problem ({status}): {detail}. Retry in a moment.")
            if detail
            else _("The server had a problem ({status}). Retry in a moment.")
        )
        return LlmError(ErrorKind.SERVER_ERROR, words.format(status=status, detail=detail), status)
    if isinstance(error, openai.APIStatusError):
        refusal = read_refusal(
            status, f"{error.message} {error.body}", param=error.param, code=error.code
        )
        if refusal is not None and refusal.kind is RefusalKind.CONTEXT_LENGTH:
            return LlmError(ErrorKind.CONTEXT_EXCEEDED, _too_long(model, refusal.limit), status)
        words = (
            _("The server refused the request ({status}): {detail}.")
            if detail
            else _("The server refused the request ({status}).")
        )
        return LlmError(ErrorKind.BAD_REQUEST, words.format(status=status, detail=detail), status)
    if _is_broken_stream(error):
        return LlmError(ErrorKind.STREAM_CUT, _(BROKEN_STREAM))
    if isinstance(error, openai.APIResponseValidationError | ValueError):
        return LlmError(
            ErrorKind.UNEXPECTED,
            _(
                "The server at {address} answered with something that is not the Chat "
                "Completions API. Check the address (it usually ends in /v1)."
            ).format(address=base_url),
        )
    # Translators: {error} is the error's name and its own words, in English.
    return LlmError(
        ErrorKind.UNEXPECTED,
        _("The request failed: {error}").format(error=f"{type(error).__name__}: {error}"),
    )


def _too_long(model: str, window: int | None) -> str:
    if window:
        # Translators: llama.cpp and Ollama are programs; --ctx-size and num_ctx their settings.
        words = ngettext(
            "The request is too long for the model '{model}' (its context window holds "
            "{count} token), even with the oldest turns of the conversation left out. Start "
            "a new session, choose a model with a larger context window, or give this one "
            "more (llama.cpp: --ctx-size; Ollama: num_ctx).",
            "The request is too long for the model '{model}' (its context window holds "
            "{count} tokens), even with the oldest turns of the conversation left out. Start "
            "a new session, choose a model with a larger context window, or give this one "
            "more (llama.cpp: --ctx-size; Ollama: num_ctx).",
            window,
        )
        return words.format(model=model, count=format_number(window))
    return _(
        "The request is too long for the model '{model}', even with the oldest turns of the "
        "conversation left out. Start a new session, choose a model with a larger context "
        "window, or give this one more (llama.cpp: --ctx-size; Ollama: num_ctx)."
    ).format(model=model)


def _two_sentences(sentence: str, next_sentence: str) -> str:
    # Translators: two sentences one after the other (written without a space
    # between them in Chinese and Japanese).
    return _("{sentence} {next_sentence}").format(sentence=sentence, next_sentence=next_sentence)


def _server_detail(error: BaseException) -> str:
    body = getattr(error, "body", None)
    message = None
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else None
    return str(message)[:300].rstrip(" .") if message else ""  # the sentence ends it


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
