"""Asking a model for JSON, from the strictest way the server takes to the loosest.

The coach, the help requests, the memory and "Practise my mistakes" all ask for one JSON
object the same way: a strict `json_schema`, else `json_object`, else plain text (the
order of CoachPath). A refusal (400 or 422) or an answer that is not the JSON asked for
moves down one step; the caller remembers the step that answered and starts there next
time. Any other failure (a bad key, a dead server, a prompt too long for the model's
context, an answer the parser refuses outright) is raised at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tutor.domain.conversation import TokenUsage
from tutor.domain.corrections import CoachPath
from tutor.domain.reasoning import no_words_reason
from tutor.i18n.translate import _
from tutor.llm.client import ChatClient
from tutor.llm.errors import ErrorKind, LlmError

log = logging.getLogger(__name__)

T = TypeVar("T")

REFUSAL_STATUSES = frozenset({400, 422})
"""Statuses with which servers refuse a response_format they do not support."""


@dataclass(frozen=True)
class JsonAnswer(Generic[T]):
    value: T
    path: CoachPath
    """The step that answered: the next request to this server and model starts there."""
    usage: TokenUsage | None
    """Every answer paid for on the way, those that could not be read included."""


@dataclass(frozen=True)
class JsonRequest:
    """What to send on each step: the messages and the `response_format` for a path."""

    messages: Callable[[CoachPath], list[dict[str, str]]]
    response_format: Callable[[CoachPath], dict[str, Any] | None]
    cap: int
    failure: str
    """Translated; "{problem}" says why nothing could be had (a clause, no full stop)."""
    name: str
    """What is asked, for the log: "coach", "memory"…"""


def ask_json(
    client: ChatClient,
    model: str,
    first_path: CoachPath,
    request: JsonRequest,
    parse: Callable[[str], T],
    unreadable: type[Exception] | tuple[type[Exception], ...],
) -> JsonAnswer[T]:
    """The parsed answer; LlmError (in words) if no step gave one. `parse` raising one of
    `unreadable` moves down a step; anything else it raises goes to the caller."""
    path: CoachPath | None = first_path
    last_problem = ""
    spent: TokenUsage | None = None
    while path is not None:
        try:
            completion = client.complete(
                request.messages(path),
                model=model,
                response_format=request.response_format(path),
                cap=request.cap,
            )
        except LlmError as error:
            if error.status not in REFUSAL_STATUSES or error.kind is ErrorKind.CONTEXT_EXCEEDED:
                raise
            log.info("%s path %s refused (%s)", request.name, path, error.status)
            last_problem = error.message
        else:
            spent = _added(spent, completion.usage)
            if completion.reasoned and not completion.text.strip():
                # Thinking and no answer: another step would think the same way.
                problem = no_words_reason(completion.finish_reason)
                raise LlmError(
                    ErrorKind.UNUSABLE_ANSWER, _(request.failure).format(problem=problem)
                )
            try:
                value = parse(completion.text)
            except unreadable as error:
                # Only the kind: the answer may quote the learner, who stays out of the log.
                log.info(
                    "%s path %s gave no usable answer (%s)",
                    request.name,
                    path,
                    type(error).__name__,
                )
                last_problem = str(error)
            else:
                return JsonAnswer(value, path, spent)
        path = path.fallback()
    raise LlmError(
        ErrorKind.UNUSABLE_ANSWER, _(request.failure).format(problem=last_problem.rstrip("."))
    )


def _added(a: TokenUsage | None, b: TokenUsage | None) -> TokenUsage | None:
    if a is None or b is None:
        return a or b
    return TokenUsage(a.prompt_tokens + b.prompt_tokens, a.completion_tokens + b.completion_tokens)
