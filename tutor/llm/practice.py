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
from tutor.domain.scenarios import Scenario, ScenarioError
from tutor.i18n.translate import N_, _
from tutor.llm.client import ChatClient
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.json_answer import JsonRequest, ask_json

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
    """The model's scenario for `question`; LlmError (in words) if none could be had. A
    scenario that fails the checks is said at once: another step would write it again."""

    def checked(text: str) -> Scenario:
        try:
            return parse_scenario(text, question)
        except ScenarioError as error:
            log.info("practice scenario refused: %s", error)
            raise LlmError(
                ErrorKind.UNUSABLE_ANSWER, _(UNUSABLE_SCENARIO).format(problem=error)
            ) from error

    answer = ask_json(
        client,
        model,
        first_path,
        JsonRequest(
            lambda path: practice_messages(question, path),
            lambda path: response_format(path, question),
            LARGEST_CAP,  # a whole scenario, in English, with room to spare
            CANNOT_WRITE,
            "practice",
        ),
        checked,
        PracticeAnswerError,
    )
    return PracticeResult(answer.value, answer.path, model, answer.usage)
