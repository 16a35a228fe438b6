"""What Tutor asks the partner's model for "Practise my mistakes": a scenario written so
that its situation calls for the forms the learner gets wrong, and how its answer is read.

As with the coach (coach_prompt.py), the learner's mistakes travel as JSON strings inside
the last user turn, a JSON object with a "task" name. The answer is read leniently (a
scenario inside prose, a code fence or a "scenario" key) and then checked strictly,
exactly as an imported scenario file is (scenarios.scenario_from_dict), plus one target
per kind asked about, each ticking its own goal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tutor.domain.corrections import CoachPath
from tutor.domain.json_text import first_json_object
from tutor.domain.languages import language
from tutor.domain.levels import guide
from tutor.domain.practice_targets import MistakeKind
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import Category, Scenario, ScenarioError, scenario_from_dict
from tutor.i18n.translate import _

TASK = "practice_scenario"
MAX_ANSWER_CHARS = 64 * 1024

_TEXT = {"type": "string"}
_TARGET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "category": _TEXT,
        "forms": {"type": "array", "items": _TEXT},
        "description": _TEXT,
        "goal": {"type": "integer"},
    },
    "required": ["category", "forms", "description", "goal"],
    "additionalProperties": False,
}
_FIELDS = (
    "title",
    "description",
    "partner_role",
    "partner_personality",
    "learner_role",
    "setting",
    "opening",
)
SCENARIO_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        **{name: _TEXT for name in _FIELDS},
        "goals": {"type": "array", "items": _TEXT},
        "vocabulary": {"type": "array", "items": _TEXT},
        "targets": {"type": "array", "items": _TARGET_SCHEMA},
    },
    "required": [*_FIELDS, "goals", "vocabulary", "targets"],
    "additionalProperties": False,
}

_EXAMPLE = json.dumps(
    {
        "title": "Monday at the office",
        "description": "Tell a colleague about your weekend.",
        "partner_role": "a friendly colleague who asks about the learner's weekend",
        "partner_personality": "curious, chatty",
        "learner_role": "an office worker back from the weekend",
        "setting": "Monday morning by the coffee machine. The colleague wants to hear "
        "everything the learner did on Saturday and Sunday, and what they ate.",
        "opening": "Greet the learner and ask how the weekend was.",
        "goals": [
            "Tell what you did last weekend (past tense)",
            "Say what you ate (past tense)",
        ],
        "vocabulary": ["weekend", "yesterday"],
        "targets": [
            {
                "category": "grammar",
                "forms": ["went", "ate"],
                "description": "past tense of irregular verbs",
                "goal": 1,
            }
        ],
    }
)


@dataclass(frozen=True)
class PracticeQuestion:
    """One scenario request: who it is for, and the kinds of mistake to practise."""

    profile: LearnerProfile
    kinds: tuple[MistakeKind, ...]
    scenario_id: str
    """The id the scenario is saved under (Tutor's, not the model's: a new one each time)."""
    shown_in: str = ""
    """The scenario file's code of the learner's interface language ("ja", "pt"): its
    title, description and goals are asked for in it too, kept as the file's translation,
    so the picker and the goals read in the learner's language. "" or "en": none."""

    @property
    def translated(self) -> bool:
        return bool(self.shown_in) and self.shown_in != "en"


class PracticeAnswerError(ValueError):
    """The model's answer holds no scenario Tutor can use; the message says why."""


_SHOWN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": _TEXT,
        "description": _TEXT,
        "goals": {"type": "array", "items": _TEXT},
    },
    "required": ["title", "description", "goals"],
    "additionalProperties": False,
}


def scenario_schema(question: PracticeQuestion) -> dict[str, Any]:
    """SCENARIO_SCHEMA, with the learner's own wording ("shown") where it is asked for."""
    if not question.translated:
        return SCENARIO_SCHEMA
    return {
        **SCENARIO_SCHEMA,
        "properties": {**SCENARIO_SCHEMA["properties"], "shown": _SHOWN_SCHEMA},
        "required": [*SCENARIO_SCHEMA["required"], "shown"],
    }


def response_format(path: CoachPath, question: PracticeQuestion) -> dict[str, Any] | None:
    """The `response_format` on a path (the coach's three, in its order)."""
    if path is CoachPath.JSON_SCHEMA:
        return {
            "type": "json_schema",
            "json_schema": {"name": TASK, "strict": True, "schema": scenario_schema(question)},
        }
    if path is CoachPath.JSON_OBJECT:
        return {"type": "json_object"}
    return None


def practice_messages(question: PracticeQuestion, path: CoachPath) -> list[dict[str, str]]:
    profile = question.profile
    target, native = profile.target.english_name, profile.native.english_name
    level = guide(profile.level)
    count = len(question.kinds)
    rules = [
        f"You write role-play scenarios for a learner of {target} at CEFR level "
        f"{level.level.value} ({level.name}), whose own language is {native}.",
        f'The learner often gets the "targets" wrong: {count} kinds of mistake, each with '
        "examples of what they wrote and what is right. Write ONE scenario whose situation "
        "naturally makes the learner use those forms again and again, in a conversation "
        "with a partner who speaks only "
        f"{target}.",
        "",
        "Answer with one JSON object with these keys, all text in English except the "
        f'"forms" and "vocabulary" (in {target}):',
        '- "title" (at most 80 characters), "description" (one sentence, at most 240), '
        '"partner_role", "partner_personality", "learner_role" (each at most 300), '
        '"setting" (the situation, at most 1200), "opening" (how the partner starts, at '
        "most 400).",
        f'- "goals": {max(count, 2)} to 4 short things the learner should get done, at most '
        "160 characters each, one goal per target that needs the target's form, naming "
        'the form in brackets, e.g. "Tell what you did last weekend (past tense)".',
        '- "vocabulary": up to 15 useful words or phrases.',
        f'- "targets": exactly {count}, one per target in the order given, each with '
        '"category" (as given), "forms" (up to 8 right forms the scenario calls for), '
        '"description" (what to use, a few English words, e.g. "past tense of irregular '
        'verbs") and "goal" (the number, from 1, of the goal that practises it).',
        *_shown_rule(question),
        "Keep it suitable for the learner's level; no names of real people.",
        "Answer with the JSON object only, no other text.",
    ]
    if path is CoachPath.PLAIN:
        rules += ["Example:", _EXAMPLE]
    request: dict[str, Any] = {
        "task": TASK,
        "language": target,
        "level": level.level.value,
        "native_language": native,
        "targets": [
            {
                "number": number,
                "category": kind.category.value,
                "mistakes": [
                    {"wrote": e.wrote, "right": e.right, "why": e.why} for e in kind.examples
                ],
            }
            for number, kind in enumerate(question.kinds, 1)
        ],
    }
    if question.translated:
        request["shown_in"] = shown_language_name(question.shown_in)
    return [
        {"role": "system", "content": "\n".join(rules)},
        {"role": "user", "content": json.dumps(request, ensure_ascii=False)},
    ]


def shown_language_name(code: str) -> str:
    """The language the learner reads the scenario in, named for the model."""
    # The interface's Chinese and Portuguese are these (tutor/i18n: zh_Hans, pt_BR).
    named = {"zh": "Simplified Chinese", "pt": "Brazilian Portuguese"}
    return named.get(code) or language(code).english_name


def _shown_rule(question: PracticeQuestion) -> list[str]:
    if not question.translated:
        return []
    shown = shown_language_name(question.shown_in)
    return [
        f'- "shown": the "title", "description" and "goals" again, written in {shown} for '
        "the learner to read (the same goals in the same order; the forms in brackets stay "
        f"in {question.profile.target.english_name}).",
    ]


def parse_scenario(text: str, question: PracticeQuestion) -> Scenario:
    """The scenario in the model's answer, checked as an imported file is, under Tutor's
    id and in My scenarios. PracticeAnswerError: no JSON at all (another path may do
    better); ScenarioError: a scenario that fails the checks (said, nothing saved)."""
    if len(text) > MAX_ANSWER_CHARS:
        raise PracticeAnswerError(_("The answer is far too long to be a scenario."))
    data = first_json_object(text)
    if data is None:
        raise PracticeAnswerError(_("The answer holds no JSON object."))
    inner = data.get("scenario")
    if isinstance(inner, dict):
        data = inner
    data = {
        **data,
        # Tutor's own: where it is kept and what the learner practises at.
        "schema": 1,
        "id": question.scenario_id,
        "category": Category.MINE.value,
        "version": 1,
        "levels": [question.profile.level.value],
    }
    data.pop("translations", None)  # only the one asked for, below
    shown = data.pop("shown", None)
    if question.translated and isinstance(shown, dict):
        # Checked by the schema like any file's translation; goals of another count are
        # ignored where shown (Scenario.text_in), so the English ones are read instead.
        data["translations"] = {question.shown_in: shown}
    scenario = scenario_from_dict(data, built_in=False)
    goals = {target.goal for target in scenario.targets}
    if len(scenario.targets) != len(question.kinds) or len(goals) != len(scenario.targets):
        raise ScenarioError(
            _(
                "Field '{field}': give one target per kind of mistake asked about, each "
                "with a goal of its own."
            ).format(field="targets")
        )
    return scenario
