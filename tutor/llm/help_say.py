"""Asking the coach's model for "how do I say…?", hints and a simpler wording.

One whole (not streamed) request, with the coach's fallback (tutor/llm/coach.py): a
strict JSON schema, then a JSON object, then plain text, each step taken when the server
refuses the format (400 or 422) or answers something that is not the JSON asked for.
Any other failure (a bad key, a dead server) is raised at once, in words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tutor.domain.conversation import TokenUsage, estimate_tokens
from tutor.domain.corrections import CoachPath
from tutor.domain.output_caps import COACH_BASE_TOKENS, LARGEST_CAP, script_factor
from tutor.domain.say_help import (
    HelpAnswerError,
    HelpTask,
    Suggestion,
    parse_simpler,
    parse_suggestions,
)
from tutor.domain.say_prompt import HelpQuestion, help_messages, response_format
from tutor.i18n.translate import N_
from tutor.llm.client import ChatClient
from tutor.llm.json_answer import JsonRequest, ask_json

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

    def parse(text: str) -> HelpResult:
        if question.task is HelpTask.SIMPLIFY:
            return HelpResult((), parse_simpler(text, question.text), first_path, model, None)
        return HelpResult(parse_suggestions(text), "", first_path, model, None)

    answer = ask_json(
        client,
        model,
        first_path,
        JsonRequest(
            lambda path: help_messages(question, path),
            lambda path: response_format(question.task, path),
            help_cap(question),
            CANNOT_HELP[question.task],
            "help",
        ),
        parse,
        HelpAnswerError,
    )
    return replace(answer.value, path=answer.path, usage=answer.usage)
