"""Asking the coach's model for the facts a learner shared in a session ("remember").

One whole (not streamed) request with the coach's fallback (tutor/llm/coach.py): a
strict JSON schema, then a JSON object, then plain text, each step taken when the server
refuses the format (400 or 422) or answers something that is not the facts asked for.
Any other failure (a bad key, a dead server) is raised at once, in words.

Nothing here logs what the learner wrote or the facts: only paths and error kinds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tutor.domain.conversation import TokenUsage, estimate_tokens
from tutor.domain.corrections import CoachPath
from tutor.domain.memory import NewFact
from tutor.domain.memory_prompt import (
    MemoryAnswerError,
    MemoryQuestion,
    memory_messages,
    parse_facts,
    response_format,
)
from tutor.domain.output_caps import COACH_BASE_TOKENS, LARGEST_CAP
from tutor.domain.reasoning import no_words_reason
from tutor.i18n.translate import N_, _
from tutor.llm.client import ChatClient
from tutor.llm.coach import REFUSAL_STATUSES
from tutor.llm.errors import ErrorKind, LlmError

log = logging.getLogger(__name__)

# Translators: {problem} says why: a clause, or a sentence without its full stop.
CANNOT_READ = N_("Tutor could not read what you shared: {problem}.")


@dataclass(frozen=True)
class MemoryResult:
    facts: tuple[NewFact, ...]
    path: CoachPath
    model: str
    usage: TokenUsage | None


def memory_cap(question: MemoryQuestion) -> int:
    """Room for the facts: short English sentences, a few per message at most."""
    said = sum(estimate_tokens(line.text) for line in question.lines)
    return min(LARGEST_CAP, COACH_BASE_TOKENS + said)


def ask_facts(
    client: ChatClient, question: MemoryQuestion, model: str, first_path: CoachPath
) -> MemoryResult:
    """The facts in the learner's lines; LlmError (in words) if none could be read."""
    path: CoachPath | None = first_path
    last_problem = ""
    spent: TokenUsage | None = None  # an answer that could not be read was paid for too
    while path is not None:
        try:
            completion = client.complete(
                memory_messages(question, path),
                model=model,
                response_format=response_format(path),
                cap=memory_cap(question),
            )
        except LlmError as error:
            if error.status not in REFUSAL_STATUSES or error.kind is ErrorKind.CONTEXT_EXCEEDED:
                raise
            log.info("memory path %s refused (%s)", path, error.status)
            last_problem = error.message
        else:
            spent = _sum(spent, completion.usage)
            if completion.reasoned and not completion.text.strip():
                problem = no_words_reason(completion.finish_reason)
                raise LlmError(ErrorKind.UNUSABLE_ANSWER, _(CANNOT_READ).format(problem=problem))
            try:
                facts = parse_facts(completion.text)
            except MemoryAnswerError as error:
                log.info("memory path %s gave no usable answer", path)
                last_problem = str(error)
            else:
                return MemoryResult(facts, path, model, spent)
        path = path.fallback()
    raise LlmError(
        ErrorKind.UNUSABLE_ANSWER, _(CANNOT_READ).format(problem=last_problem.rstrip("."))
    )


def _sum(a: TokenUsage | None, b: TokenUsage | None) -> TokenUsage | None:
    if a is None or b is None:
        return a or b
    return TokenUsage(a.prompt_tokens + b.prompt_tokens, a.completion_tokens + b.completion_tokens)
