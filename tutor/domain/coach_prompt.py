"""The coach call: what Tutor asks a model about one learner message, and in what form.

The learner's words travel as a JSON string inside the user turn, so nothing they
type can pass for an instruction or end the quoted text early.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from tutor.domain.corrections import Category, CoachPath, CorrectionScope, CorrectionStyle
from tutor.domain.levels import guide
from tutor.domain.practice_targets import PracticeTarget
from tutor.domain.profile import LearnerProfile
from tutor.domain.speech_check import SPEECH_RULE

_ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "original": {"type": "string"},
        "correction": {"type": "string"},
        "explanation": {"type": "string"},
        "category": {"type": "string", "enum": [c.value for c in Category]},
    },
    "required": ["original", "correction", "explanation", "category"],
    "additionalProperties": False,
}

COACH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "corrected": {"type": "string"},
        "items": {"type": "array", "items": _ITEM_SCHEMA},
        "natural": {"type": "string"},
        "goals_met": {"type": "array", "items": {"type": "integer"}},
    },
    "required": ["corrected", "items", "natural", "goals_met"],
    "additionalProperties": False,
}

_EXAMPLE = (
    '{"corrected": "Yesterday I went to the park.", "items": [{"original": "goed", '
    '"correction": "went", "explanation": "Go is irregular: its past tense is went.", '
    '"category": "grammar"}], "natural": "", "goals_met": []}'
)


# Asked only in a practice session: without targets the schema is COACH_SCHEMA, as it
# was before practice existed (the coach's measured scores were made with it).
_TARGET_USE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"target": {"type": "integer"}, "correct": {"type": "boolean"}},
    "required": ["target", "correct"],
    "additionalProperties": False,
}
COACH_TARGETS_SCHEMA: dict[str, Any] = {
    **COACH_SCHEMA,
    "properties": {
        **COACH_SCHEMA["properties"],
        "target_uses": {"type": "array", "items": _TARGET_USE_SCHEMA},
    },
    "required": [*COACH_SCHEMA["required"], "target_uses"],
}
_TARGETS_EXAMPLE = _EXAMPLE[:-1] + ', "target_uses": [{"target": 1, "correct": false}]}'


def response_format(path: CoachPath, *, targets: bool = False) -> dict[str, Any] | None:
    """The `response_format` argument for a path; None for a plain request. `targets`:
    the session has practice targets, whose uses the answer reports."""
    if path is CoachPath.JSON_SCHEMA:
        schema = COACH_TARGETS_SCHEMA if targets else COACH_SCHEMA
        return {
            "type": "json_schema",
            "json_schema": {"name": "correction", "strict": True, "schema": schema},
        }
    if path is CoachPath.JSON_OBJECT:
        return {"type": "json_object"}
    return None


def coach_messages(
    profile: LearnerProfile,
    style: CorrectionStyle,
    learner_text: str,
    partner_line: str,
    path: CoachPath,
    open_goals: Mapping[int, str] | None = None,
    *,
    spoken: bool = False,
    targets: Sequence[PracticeTarget] = (),
) -> list[dict[str, str]]:
    """`open_goals`: the scenario's goals not met yet, by index from 0. `spoken`: the
    message is a transcript of the learner's voice (domain/speech_check.py). `targets`:
    the session's practice targets; without them the prompt is word for word the one
    of a session without practice."""
    open_goals = open_goals or {}
    target = profile.target.english_name
    native = profile.native.english_name
    level = guide(profile.level)
    rules = [
        f"You are a {target} teacher. A learner at CEFR level {level.level.value} "
        f"({level.name}) wrote a message in a conversation. Find their mistakes.",
        "",
        "Answer with one JSON object with these keys:",
        '- "corrected": the learner\'s message with the mistakes fixed. Change as little '
        "as possible: keep their words, meaning, and everything that is correct.",
        '- "items": one entry per mistake, each with "original" (the wrong fragment, '
        'copied exactly from the learner\'s message), "correction" (what it should be), '
        f'"explanation" and "category" (one of: {", ".join(c.value for c in Category)}).',
        '- "natural": how a native speaker would say the whole message, if that differs '
        'from "corrected"; else "".',
        '- "goals_met": the numbers of the "open_goals" that this message achieves: the '
        "learner does the thing themselves in this message, understandably even with "
        "mistakes. Asking about it is not doing it. [] if none, or if there are no open goals.",
        "",
        _scope_rule(style.scope),
    ]
    if style.precise:
        rules.append(precision_rule())
    elif style.strict:
        rules.append(
            "Be a strict teacher: also flag phrasing that is correct but unnatural, with the "
            'category "phrasing", and fix it in "corrected".'
        )
    else:
        rules.append("Do not flag phrasing that is correct, even if you would say it differently.")
    if style.explanations:
        rules.append(
            f'Write each "explanation" in {native}: one short sentence a learner at this '
            "level understands."
        )
    else:
        rules.append('Leave every "explanation" empty ("").')
    rules += [
        f"Judge only the {target}: words in another language, names and emoji are not "
        'mistakes. If there is nothing to correct, copy the message into "corrected" and '
        'give an empty "items" list.',
        "Do not answer the message and do not continue the conversation.",
    ]
    if spoken:
        rules.append(SPEECH_RULE)
    if targets:
        rules.append(_TARGETS_RULE)
    if path is CoachPath.PLAIN:
        example = _TARGETS_EXAMPLE if targets else _EXAMPLE
        rules += ["", "Reply with the JSON object only, no other text. Example:", example]
    request: dict[str, Any] = {
        "language": target,
        "level": level.level.value,
        "native_language": native,
        "partner_said": partner_line,
        "learner_wrote": learner_text,
        "open_goals": {str(index + 1): goal for index, goal in sorted(open_goals.items())},
    }
    if spoken:
        request["said_aloud"] = True  # a transcript: see SPEECH_RULE
    if targets:
        request["practice_targets"] = {
            str(number): {"practise": t.description, "forms": list(t.forms)}
            for number, t in enumerate(targets, 1)
        }
    return [
        {"role": "system", "content": "\n".join(rules)},
        {"role": "user", "content": json.dumps(request, ensure_ascii=False)},
    ]


_TARGETS_RULE = (
    'The learner is practising the "practice_targets": kinds of form they often get wrong. '
    'Also answer "target_uses": one entry per target this message uses (a place where the '
    'learner wrote, or should have written, that kind of form), with "target" (its number) '
    'and "correct" (true if the learner wrote the form right, false if it is one of the '
    '"items"). [] if the message uses none.'
)


def precision_rule() -> str:
    """The "precision first" style's instruction. A wrong mark teaches the wrong thing, and
    models over-correct (Fang et al. 2023), so this one asks for sure, minimal edits.

    It speaks of "corrected", not of the items, because Tutor's marks are the diff of
    "corrected" against the learner's text (tutor/domain/corrections.py): a model that
    lists only sure items but rewrites the rest of the sentence would still be marked
    everywhere. Whether it measures better is for a real model to say, on the same
    sample with and without it (docs/coach-score.md); a scripted test server cannot.
    """
    return (
        "Precision matters more than finding everything: a wrong correction teaches the "
        'learner a mistake. In "corrected", change only what is certainly wrong in any '
        "context, with the smallest edit, and nothing else: every difference from the "
        "learner's message is shown to them as a mistake. If a fragment could be right, or "
        "you would only say it differently, leave it as it is."
    )


def _scope_rule(scope: CorrectionScope) -> str:
    if scope is CorrectionScope.MEANING:
        return (
            "Correct only mistakes that change or block the meaning, the ones a listener "
            "would stumble on. Leave small slips (an accent, an article, an ending) as they "
            'are, in both "corrected" and "items".'
        )
    return "Correct every mistake: grammar, word choice, spelling, punctuation, word order."
