"""The test server's answers to "Practise my mistakes": a scenario written for the
learner's most frequent kinds of mistake (the task of tutor/llm/practice.py), and a coach
that reports the uses of a practice session's targets.

Registered in tests/openai_server.py. The scenario is built from what was asked: one
goal and one target per kind, its forms the right forms of the mistakes sent, so a test
sees the request's content come back through Tutor's checks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from tests.openai_server import ScriptedReply, _asked, _learner_wrote, _user_texts, coach_json

TASK = "practice_scenario"

MALFORMED_SCENARIO = ScriptedReply(text="Here is a lovely scenario about the weekend!")
"""No JSON at all: Tutor moves down a path (schema, object, plain) each time."""


def practice_task_replies() -> dict[str, Callable[[dict[str, Any]], ScriptedReply]]:
    """The default replies of the practice tasks, for ``default_task_replies``."""
    return {TASK: practice_scenario_reply}


def asked_payload(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON object of a request's last user turn (the task and its targets)."""
    texts = _user_texts(body)
    try:
        payload = json.loads(_asked(texts[-1])) if texts else {}
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def scenario_for(payload: dict[str, Any]) -> dict[str, Any]:
    """A valid scenario (as the model is asked to answer) for the targets asked about."""
    targets = [t for t in payload.get("targets", []) if isinstance(t, dict)]
    goals: list[str] = []
    answer_targets: list[dict[str, Any]] = []
    for number, target in enumerate(targets, 1):
        category = str(target.get("category", "grammar"))
        forms = [str(m.get("right", "")) for m in target.get("mistakes", []) if m.get("right")]
        goals.append(f"Tell a story using {', '.join(forms[:3]) or 'these forms'} ({category})")
        answer_targets.append(
            {
                "category": category,
                "forms": forms[:8],
                "description": f"the right forms of your {category} mistakes",
                "goal": number,
            }
        )
    if len(goals) < 2:
        goals.append("Ask your friend one question about their weekend")
    shown = payload.get("shown_in")
    extra: dict[str, Any] = {}
    if isinstance(shown, str):
        # The learner's own wording, marked with the language asked for, so a test sees it.
        extra["shown"] = {
            "title": f"[{shown}] Your weekend, told again",
            "description": f"[{shown}] Tell a friend what you did.",
            "goals": [f"[{shown}] {goal}" for goal in goals],
        }
    return extra | {
        "title": "Your weekend, told again",
        "description": "Tell a friend what you did, using the forms you often get wrong.",
        "partner_role": "a friend who wants to hear about the learner's weekend",
        "partner_personality": "warm and curious",
        "learner_role": "someone back from a busy weekend",
        "setting": "Monday evening in a café. Your friend asks what you did, where you "
        f"went and what you ate. Language: {payload.get('language', '')}.",
        "opening": "Greet the learner and ask how the weekend was.",
        "goals": goals,
        "vocabulary": ["weekend", "yesterday"],
        "targets": answer_targets,
    }


def practice_scenario_reply(body: dict[str, Any]) -> ScriptedReply:
    """Default answer of the practice task: a valid scenario for what was asked."""
    return ScriptedReply(text=json.dumps(scenario_for(asked_payload(body))))


def invalid_scenario(body: dict[str, Any] | None = None) -> ScriptedReply:
    """A scenario that fails the file checks: one goal (a file needs 2 to 4)."""
    scenario = scenario_for(asked_payload(body or {}))
    scenario["goals"] = scenario["goals"][:1]
    scenario["targets"] = scenario["targets"][:1]
    return ScriptedReply(text=json.dumps(scenario))


def coach_with_uses(
    corrected: str,
    items: Sequence[tuple[str, str, str, str]] = (),
    uses: Sequence[tuple[int, bool]] = (),
) -> ScriptedReply:
    """A coach verdict with ``target_uses`` ``(target number from 1, correct)``."""
    verdict = json.loads(coach_json(corrected, items))
    verdict["goals_met"] = []
    verdict["target_uses"] = [{"target": n, "correct": c} for n, c in uses]
    return ScriptedReply(text=json.dumps(verdict, ensure_ascii=False))


def practice_coach_reply(body: dict[str, Any]) -> ScriptedReply:
    """A coach for practice sessions: no mistakes, and a correct use of each target one
    of whose forms the learner wrote. Without targets in the request, it answers what
    the default coach answers (no ``target_uses`` key)."""
    wrote = _learner_wrote(body) or ""
    targets = asked_payload(body).get("practice_targets")
    if not isinstance(targets, dict):
        return ScriptedReply(text=coach_json(wrote))
    folded = wrote.casefold()
    uses = [
        (int(number), True)
        for number, target in targets.items()
        if any(str(form).casefold() in folded for form in target.get("forms", []))
    ]
    return coach_with_uses(wrote, (), uses)
