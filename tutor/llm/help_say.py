"""Asking the coach's model for "how do I say…?", hints and a simpler wording.

One whole (not streamed) request, with the coach's fallback (tutor/llm/coach.py): a
strict JSON schema, then a JSON object, then plain text, each step taken when the server
refuses the format (400 or 422) or answers something that is not the JSON asked for.
Any other failure (a bad key, a dead server) is raised at once, in words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tutor.domain.conversation import TokenUsage, estimate_tokens
from tutor.domain.corrections import CoachPath
from tutor.domain.output_caps import COACH_BASE_TOKENS, LARGEST_CAP, script_factor
from tutor.domain.reasoning import no_words_reason
from tutor.domain.say_help import (
    HelpAnswerError,
    HelpTask,
    Suggestion,
    parse_simpler,
    parse_suggestions,
)
from tutor.domain.say_prompt import HelpQuestion, help_messages, response_format
from tutor.i18n.translate import N_, _
from tutor.llm.client import ChatClient
from tutor.llm.coach import REFUSAL_STATUSES
from tutor.llm.errors import ErrorKind, LlmError

log = logging.getLogger(__name__)

CANNOT_HELP = {
    # Translators: {problem} says why: a clause, or a sentence without its full stop.
    HelpTask.SAY: N_("Tutor could not find how to say it: {problem}."),
    # Translators: {problem} says why: a clause, or a sentence without its full stop.
    HelpTask.HINT: N_("Tutor could not find a hint: {problem}."),
    # Translators: {problem} says why: a clause, or a sentence without its full stop.
    HelpTask.SIMPLIFY: N_("Tutor could not say this reply more simply: {problem}."),
}


@dataclass(frozen=True)
class HelpResult:
    suggestions: tuple[Suggestion, ...]
    """say and hint: one to three; simplify: none."""
    simpler: str
    """simplify: the reply said more simply; else empty."""
    path: CoachPath
    model: str
    usage: TokenUsage | None


def help_cap(question: HelpQuestion) -> int:
    """Room for up to three short options with notes, or the reply rewritten."""
    text = 3 * estimate_tokens(question.text) * script_factor(question.profile.target)
    notes = COACH_BASE_TOKENS * script_factor(question.profile.native)
    return min(LARGEST_CAP, round(notes + text))


def ask_help(
    client: ChatClient, question: HelpQuestion, model: str, first_path: CoachPath
) -> HelpResult:
    """The model's help for `question`; LlmError (in words) if none could be had."""
    path: CoachPath | None = first_path
    last_problem = ""
    cannot = CANNOT_HELP[question.task]
    while path is not None:
        try:
            completion = client.complete(
                help_messages(question, path),
                model=model,
                response_format=response_format(question.task, path),
                cap=help_cap(question),
            )
        except LlmError as error:
            if error.status not in REFUSAL_STATUSES or error.kind is ErrorKind.CONTEXT_EXCEEDED:
                raise
            log.info("help path %s refused (%s): %s", path, error.status, error.message)
            last_problem = error.message
        else:
            if completion.reasoned and not completion.text.strip():
                problem = no_words_reason(completion.finish_reason)
                raise LlmError(ErrorKind.UNUSABLE_ANSWER, _(cannot).format(problem=problem))
            try:
                if question.task is HelpTask.SIMPLIFY:
                    simpler = parse_simpler(completion.text, question.text)
                    return HelpResult((), simpler, path, model, completion.usage)
                options = parse_suggestions(completion.text)
                return HelpResult(options, "", path, model, completion.usage)
            except HelpAnswerError as error:
                log.info("help path %s gave no usable answer: %s", path, error)
                last_problem = str(error)
        path = path.fallback()
    raise LlmError(ErrorKind.UNUSABLE_ANSWER, _(cannot).format(problem=last_problem.rstrip(".")))
