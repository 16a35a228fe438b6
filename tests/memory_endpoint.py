"""The test server's answers to memory requests: the facts a learner shared, read from a
session (the "remember" task of tutor/llm/memory.py), built from what the learner wrote
so a test reads naturally:

* "me llamo Ana" / "mi nombre es Ana" / "my name is Ana" → name "Is called Ana";
* "vivo en Lyon" / "I live in Lyon" → home "Lives in Lyon";
* "trabajo como enfermera" / "I work as a nurse" → work "Works as enfermera";
* "examen el viernes" (any weekday, "exam on Friday") → plan "Has an exam" on the next
  such day after the message's date, as a model works it out;
* a known fact said again carries its id in "known".

Malformed answers and failures are queued with
``server.enqueue_task("remember", ScriptedReply(text="no json"))``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from tests.openai_server import ScriptedReply, task_question

WEEKDAYS = {
    "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
    "sábado": 5, "sabado": 5, "domingo": 6, "monday": 0, "tuesday": 1, "wednesday": 2,
    "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_NAME = re.compile(r"(?:me llamo|mi nombre es|my name is)\s+([^\s,.!?]+)", re.IGNORECASE)
_HOME = re.compile(r"(?:vivo en|i live in)\s+([^,.!?]+)", re.IGNORECASE)
_WORK = re.compile(r"(?:trabajo como|i work as an?)\s+([^,.!?]+)", re.IGNORECASE)
_EXAM = re.compile(r"(?:examen|exam)\b.*?\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


def next_weekday(after: date, weekday: int) -> date:
    """The first such weekday after `after` ("on Friday", said on a Friday: next week)."""
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def facts_in(message: dict[str, Any]) -> list[dict[str, str]]:
    """The facts one message of the request holds, as the fake model reads them."""
    text, day = message["text"], date.fromisoformat(message["date"])
    found: list[dict[str, str]] = []
    if match := _NAME.search(text):
        found.append({"kind": "name", "text": f"Is called {match.group(1)}", "date": ""})
    if match := _HOME.search(text):
        found.append({"kind": "home", "text": f"Lives in {match.group(1).strip()}", "date": ""})
    if match := _WORK.search(text):
        found.append({"kind": "work", "text": f"Works as {match.group(1).strip()}", "date": ""})
    if match := _EXAM.search(text):
        when = next_weekday(day, WEEKDAYS[match.group(1).casefold()])
        found.append({"kind": "plan", "text": "Has an exam", "date": when.isoformat()})
    return found


def remember_reply(body: dict[str, Any]) -> ScriptedReply:
    asked = task_question(body)
    known = {(f["kind"], f["text"]): f["id"] for f in asked.get("known_facts", [])}
    facts = []
    for message in asked["learner_messages"]:
        for fact in facts_in(message):
            facts.append({**fact, "known": known.get((fact["kind"], fact["text"]), 0)})
    return ScriptedReply(
        text=json.dumps({"facts": facts}, ensure_ascii=False),
        prompt_tokens=120 + 10 * len(asked["learner_messages"]),
        completion_tokens=15 + 20 * len(facts),
    )


def facts_reply(*facts: dict[str, Any]) -> ScriptedReply:
    """A reply holding exactly these facts (kind, text, date, known filled in)."""
    full = [{"date": "", "known": 0, **fact} for fact in facts]
    return ScriptedReply(text=json.dumps({"facts": full}, ensure_ascii=False))


def memory_task_replies() -> dict[str, Callable[[dict[str, Any]], ScriptedReply]]:
    """The default replies of the memory tasks, for ``default_task_replies``."""
    return {"remember": remember_reply}
