"""What Tutor asks the coach's model for "how do I say…?", a hint and a simpler wording.

As with the coach (coach_prompt.py), the learner's and the partner's words travel as JSON
strings inside the last user turn, so nothing in them can pass for an instruction; that
turn is a JSON object with a "task" name. Prompts are English (the model's language);
the answer is in the language practised, at the learner's level, with notes in the
learner's own language.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import CoachPath
from tutor.domain.levels import guide
from tutor.domain.profile import LearnerProfile
from tutor.domain.say_help import HelpTask

HINT_TURNS = 6
"""The turns a hint sees: enough for the thread of the conversation, little to pay for."""

_OPTION = {
    "type": "object",
    "properties": {"text": {"type": "string"}, "note": {"type": "string"}},
    "required": ["text", "note"],
    "additionalProperties": False,
}
_OPTIONS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"options": {"type": "array", "items": _OPTION}},
    "required": ["options"],
    "additionalProperties": False,
}
_SIMPLER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"simpler": {"type": "string"}},
    "required": ["simpler"],
    "additionalProperties": False,
}
_EXAMPLES = {
    HelpTask.SAY: '{"options": [{"text": "La cuenta, por favor.", "note": "Short and polite, '
    'fine in any restaurant."}]}',
    HelpTask.HINT: '{"options": [{"text": "Sí, me gusta mucho.", "note": "Yes, I like it a '
    'lot."}]}',
    HelpTask.SIMPLIFY: '{"simpler": "¿Quieres café?"}',
}


@dataclass(frozen=True)
class HelpQuestion:
    """One help request: the task and what it is about."""

    task: HelpTask
    profile: LearnerProfile
    text: str
    """say: the learner's meaning in their own language; simplify: the partner's reply;
    hint: the partner's last message."""
    turns: tuple[tuple[str, str], ...] = ()
    """hint: the conversation's last turns, ("partner" | "learner", text), oldest first."""
    next_goal: str = ""
    """hint, in a scenario: the first goal not met yet (English, as the session keeps it)."""


def hint_turns(
    messages: Sequence[ChatMessage], count: int = HINT_TURNS
) -> tuple[tuple[str, str], ...]:
    """The last `count` turns with words, as a hint is asked about them."""
    turns = [
        ("learner" if m.role is Role.USER else "partner", m.text)
        for m in messages
        if m.role in (Role.USER, Role.ASSISTANT) and m.text.strip()
    ]
    return tuple(turns[-count:])


def response_format(task: HelpTask, path: CoachPath) -> dict[str, Any] | None:
    """The `response_format` for a task on a path (the coach's three, in its order)."""
    if path is CoachPath.JSON_SCHEMA:
        schema = _SIMPLER_SCHEMA if task is HelpTask.SIMPLIFY else _OPTIONS_SCHEMA
        return {
            "type": "json_schema",
            "json_schema": {"name": task.value, "strict": True, "schema": schema},
        }
    if path is CoachPath.JSON_OBJECT:
        return {"type": "json_object"}
    return None


def help_messages(question: HelpQuestion, path: CoachPath) -> list[dict[str, str]]:
    profile = question.profile
    target, native = profile.target.english_name, profile.native.english_name
    level = guide(profile.level)
    rules = [
        f"You help a learner of {target} at CEFR level {level.level.value} ({level.name}). "
        f"How to write for this level: {level.partner_style}",
        "",
        *_rules(question.task, target, native),
        "",
        "Answer with one JSON object only, no other text.",
    ]
    if path is CoachPath.PLAIN:
        rules += ["Example:", _EXAMPLES[question.task]]
    request: dict[str, Any] = {
        "task": question.task.value,
        "language": target,
        "level": level.level.value,
        "native_language": native,
    }
    if question.task is HelpTask.SAY:
        request["meaning"] = question.text
    elif question.task is HelpTask.HINT:
        request["conversation"] = [{"who": who, "text": text} for who, text in question.turns]
        request["partner_said"] = question.text
        if question.next_goal:
            request["next_goal"] = question.next_goal
    else:
        request["reply"] = question.text
    return [
        {"role": "system", "content": "\n".join(rules)},
        {"role": "user", "content": json.dumps(request, ensure_ascii=False)},
    ]


def _rules(task: HelpTask, target: str, native: str) -> list[str]:
    if task is HelpTask.SAY:
        return [
            f'The learner wants to say "meaning" (written in {native} or mixed) in {target}. '
            f"Give one to three natural ways to say it in {target} that a learner at this "
            "level can use, simplest first, each different in form or register.",
            'Answer {"options": [{"text": ..., "note": ...}]}: "text" in '
            f'{target} only; "note" one short sentence in {native}: the register and when '
            "to use it.",
        ]
    if task is HelpTask.HINT:
        return [
            "The learner does not know how to answer the partner's last message "
            '("partner_said", after "conversation"). Give two or three different replies '
            "the learner could send next, at this level, in the first person, as the "
            "learner.",
            'If there is a "next_goal", lean at least one reply toward achieving it.',
            f'Answer {{"options": [{{"text": ..., "note": ...}}]}}: "text" in {target} only; '
            f'"note" what it means, in {native}.',
        ]
    return [
        f'Rewrite the partner\'s reply ("reply") in {target} for this level: the same '
        "turn, the same meaning, questions and tone, with easier words and shorter "
        "sentences. Do not add or drop anything, do not answer it.",
        'Answer {"simpler": ...}.',
    ]
