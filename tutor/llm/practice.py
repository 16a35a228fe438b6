"""Asking the partner's model for a scenario built from the learner's mistakes.

One whole (not streamed) request, with the coach's fallback (tutor/llm/coach.py): a
strict JSON schema, then a JSON object, then plain text, each step taken when the server
refuses the format (400 or 422) or answers with no JSON at all. A scenario that is there
but fails the checks is not asked again on another path: the learner is told why and
may try again. Any other failure (a bad key, a dead server) is raised at once, in words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tutor.domain.conversation import TokenUsage
from tutor.domain.corrections import CoachPath
from tutor.domain.output_caps import LARGEST_CAP
from tutor.domain.practice_prompt import (
    PracticeAnswerError,
    PracticeQuestion,
    parse_scenario,
    practice_messages,
    response_format,
)
from tutor.domain.reasoning import no_words_reason
from tutor.domain.scenarios import Scenario, ScenarioError
from tutor.i18n.translate import N_, _
from tutor.llm.client import ChatClient
from tutor.llm.coach import REFUSAL_STATUSES
from tutor.llm.errors import ErrorKind, LlmError

log = logging.getLogger(__name__)

# Translators: {problem} says why: a clause, or a sentence without its full stop.
CANNOT_WRITE = N_("Tutor could not write a scenario from your mistakes: {problem}.")
# Translators: {problem} is a scenario file's refusal, naming the field.
UNUSABLE_SCENARIO = N_("The scenario the model wrote cannot be used. {problem}")


@dataclass(frozen=True)
class PracticeResult:
    scenario: Scenario
    path: CoachPath
    model: str
    usage: TokenUsage | None


def ask_scenario(
    client: ChatClient, question: PracticeQuestion, model: str, first_path: CoachPath
) -> PracticeResult:
    """The model's scenario for `question`; LlmError (in words) if none could be had."""
    path: CoachPath | None = first_path
    last_problem = ""
    while path is not None:
        try:
            completion = client.complete(
                practice_messages(question, path),
                model=model,
                response_format=response_format(path, question),
                cap=LARGEST_CAP,  # a whole scenario, in English, with room to spare
            )
        except LlmError as error:
            if error.status not in REFUSAL_STATUSES or error.kind is ErrorKind.CONTEXT_EXCEEDED:
                raise
            log.info("practice path %s refused (%s): %s", path, error.status, error.message)
            last_problem = error.message
        else:
            if completion.reasoned and not completion.text.strip():
                problem = no_words_reason(completion.finish_reason)
                raise LlmError(ErrorKind.UNUSABLE_ANSWER, _(CANNOT_WRITE).format(problem=problem))
            try:
                scenario = parse_scenario(completion.text, question)
            except ScenarioError as error:
                log.info("practice scenario refused: %s", error)
                raise LlmError(
                    ErrorKind.UNUSABLE_ANSWER, _(UNUSABLE_SCENARIO).format(problem=error)
                ) from error
            except PracticeAnswerError as error:
                log.info("practice path %s gave no usable answer: %s", path, error)
                last_problem = str(error)
            else:
                return PracticeResult(scenario, path, model, completion.usage)
        path = path.fallback()
    raise LlmError(
        ErrorKind.UNUSABLE_ANSWER, _(CANNOT_WRITE).format(problem=last_problem.rstrip("."))
    )
