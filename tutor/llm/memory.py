"""Asking the coach's model for the facts a learner shared in a session ("remember").

One whole (not streamed) request with the coach's fallback (tutor/llm/coach.py): a
strict JSON schema, then a JSON object, then plain text, each step taken when the server
refuses the format (400 or 422) or answers something that is not the facts asked for.
Any other failure (a bad key, a dead server) is raised at once, in words.

Nothing here logs what the learner wrote or the facts: only paths and error kinds.
"""

from __future__ import annotations

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
from tutor.i18n.translate import N_
from tutor.llm.client import ChatClient
from tutor.llm.json_answer import JsonRequest, ask_json

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
    answer = ask_json(
        client,
        model,
        first_path,
        JsonRequest(
            lambda path: memory_messages(question, path),
            response_format,
            memory_cap(question),
            CANNOT_READ,
            "memory",
        ),
        parse_facts,
        MemoryAnswerError,
    )
    return MemoryResult(answer.value, answer.path, model, answer.usage)
