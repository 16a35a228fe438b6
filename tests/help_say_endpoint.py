"""The test server's answers to "how do I say…?", hint and simplify requests (the help
tasks of tutor/llm/help_say.py), built from what was asked so a test can see it.

* ``say``: three options, each quoting the learner's meaning, with a note naming the
  learner's language and level;
* ``hint``: three possible replies quoting the partner's line; in a scenario the first
  one names the request's ``next_goal``;
* ``simplify``: ``"Más fácil (<level>): <the reply's first 40 characters>"``.

Malformed answers and failures are queued per task with
``server.enqueue_task("hint", ScriptedReply(text="no json"))``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.openai_server import ScriptedReply, task_question


def _snippet(text: str, limit: int = 40) -> str:
    return " ".join(text.split())[:limit]


def options_reply(options: list[tuple[str, str]]) -> ScriptedReply:
    """A reply holding these (text, note) options, as a model asked for JSON gives it."""
    payload = {"options": [{"text": text, "note": note} for text, note in options]}
    return ScriptedReply(text=json.dumps(payload, ensure_ascii=False))


def say_reply(body: dict[str, Any]) -> ScriptedReply:
    asked = task_question(body)
    meaning, native, level = asked["meaning"], asked["native_language"], asked["level"]
    return options_reply(
        [
            (f"Se dice: {_snippet(meaning)}", f"{native} note, {level}: polite"),
            (f"También: {_snippet(meaning)}", f"{native} note, {level}: casual"),
            (f"O bien: {_snippet(meaning)}", f"{native} note, {level}: formal"),
        ]
    )


def hint_reply(body: dict[str, Any]) -> ScriptedReply:
    asked = task_question(body)
    said, native = _snippet(asked["partner_said"], 30), asked["native_language"]
    goal = asked.get("next_goal", "")
    first = (f"Quiero {goal}", f"({native}) I want: {goal}") if goal else ("Sí, claro.", "Yes.")
    return options_reply(
        [
            first,
            (f"No sé: {said}", f"({native}) I don't know"),
            ("¿Y tú?", f"({native}) And you? [{len(asked['conversation'])} turns]"),
        ]
    )


def simplify_reply(body: dict[str, Any]) -> ScriptedReply:
    asked = task_question(body)
    simpler = f"Más fácil ({asked['level']}): {_snippet(asked['reply'])}"
    return ScriptedReply(text=json.dumps({"simpler": simpler}, ensure_ascii=False))


def say_task_replies() -> dict[str, Callable[[dict[str, Any]], ScriptedReply]]:
    """The default replies of the three tasks, for ``default_task_replies``."""
    return {"say": say_reply, "hint": hint_reply, "simplify": simplify_reply}
