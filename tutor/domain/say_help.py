"""Help with what the learner wants to say: "how do I say…?", hints, and a partner's
reply said more simply. What each answer is, how it is read from a model's answer
(lenient about its form, strict about its content, as the coach's is) and how it is
kept with the session.

None of this is a turn of the conversation: a question, a hint or a simpler wording is
never sent to the partner, never stored as a message and never checked by the coach.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tutor.domain.json_text import first_json_object, first_value
from tutor.i18n.translate import _

MAX_ANSWER_CHARS = 20_000
MAX_SUGGESTIONS = 3
MAX_SUGGESTION_CHARS = 600
MAX_NOTE_CHARS = 300

SAY_PREFIXES = ("?", "？", "؟")
"""A message that starts with one of these is a "how do I say…?" question, not a turn:
the ASCII "?", and the full-width and Arabic question marks a Chinese, Japanese or
Arabic keyboard types. No language starts a sentence with them. The Spanish and
Asturian opening '¿' is NOT one: "¿Dónde está el baño?" is a message to the partner,
written as it should be."""


class HelpTask(StrEnum):
    """What a help request asks; the name travels in the request ("task")."""

    SAY = "say"
    HINT = "hint"
    SIMPLIFY = "simplify"

    @property
    def kind(self) -> str:
        """The kind its answers are kept under (tutor/store/help_answers.py)."""
        return "simpler" if self is HelpTask.SIMPLIFY else self.value


@dataclass(frozen=True)
class Suggestion:
    """One way to say something in the language practised."""

    text: str
    """In the language practised, ready to put in the composer."""
    note: str
    """In the learner's own language: when to use it (say), or what it means (hint)."""


class HelpAnswerError(ValueError):
    """The model's answer holds no usable help (the words say why, for the learner)."""


def say_question(typed: str) -> str | None:
    """The learner's meaning when `typed` is a "how do I say…?" question ("? I'd like
    the bill"), else None. A lone "?" asks nothing: it is an empty question ("")."""
    stripped = typed.lstrip()
    for prefix in SAY_PREFIXES:
        if stripped.startswith(prefix):
            return stripped[len(prefix) :].strip()
    return None


def parse_suggestions(text: str) -> tuple[Suggestion, ...]:
    """One to three suggestions from a model's answer; HelpAnswerError if it has none.

    Accepted forms: {"options": [{"text": ..., "note": ...}]}, with the keys a model
    renames ("suggestions", "replies", "phrase", "meaning"…), and a bare list of texts."""
    data = _json_object(text)
    raw = first_value(data, ("options", "suggestions", "replies", "hints", "ways", "answers"))
    if not isinstance(raw, list):
        raise HelpAnswerError(_("The answer has no list of suggestions."))
    found: list[Suggestion] = []
    for item in raw:
        suggestion = _suggestion(item)
        if suggestion is not None and suggestion.text not in (s.text for s in found):
            found.append(suggestion)
        if len(found) == MAX_SUGGESTIONS:
            break
    if not found:
        raise HelpAnswerError(_("The answer's suggestions are all empty."))
    return tuple(found)


def parse_simpler(text: str, original: str | None = None) -> str:
    """The simpler wording of `original` in a model's answer; HelpAnswerError if none.
    Without `original` (a kept answer read again) its length is not judged."""
    data = _json_object(text)
    simpler = first_value(data, ("simpler", "simple", "simplified", "rephrased", "text", "reply"))
    if not isinstance(simpler, str) or not simpler.strip():
        raise HelpAnswerError(_("The answer has no simpler wording."))
    simpler = simpler.strip()
    if original is not None and len(simpler) > 2 * len(original) + 200:
        raise HelpAnswerError(_("The simpler wording is far longer than the reply."))
    return simpler


def suggestions_json(suggestions: tuple[Suggestion, ...]) -> str:
    """How suggestions are kept (and read again with parse_suggestions)."""
    options = [{"text": s.text, "note": s.note} for s in suggestions]
    return json.dumps({"options": options}, ensure_ascii=False)


def simpler_json(simpler: str) -> str:
    """How a simpler wording is kept (and read again with parse_simpler)."""
    return json.dumps({"simpler": simpler}, ensure_ascii=False)


def _json_object(text: str) -> dict[str, Any]:
    if len(text) > MAX_ANSWER_CHARS:
        raise HelpAnswerError(_("The answer is far too long to be what was asked."))
    stripped = text.strip()
    if stripped.startswith("["):  # a bare list of options
        try:
            listed = json.loads(stripped)
        except ValueError:
            listed = None
        if isinstance(listed, list):
            return {"options": listed}
    data = first_json_object(text)
    if data is None:
        raise HelpAnswerError(_("The answer holds no JSON object."))
    return data


def _suggestion(item: Any) -> Suggestion | None:
    if isinstance(item, str):
        text, note = item, ""
    elif isinstance(item, dict):
        text = first_value(item, ("text", "say", "phrase", "reply", "option", "sentence", "target"))
        note = first_value(item, ("note", "meaning", "translation", "gloss", "explanation", "when"))
    else:
        return None
    if not isinstance(text, str) or not text.strip():
        return None
    text = _cut(text.strip(), MAX_SUGGESTION_CHARS)
    return Suggestion(text, _cut(note.strip(), MAX_NOTE_CHARS) if isinstance(note, str) else "")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
