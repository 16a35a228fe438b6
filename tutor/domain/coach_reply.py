"""Reading the coach's answer: lenient about its form, strict about its content.

Servers asked for plain text wrap JSON in prose or code fences and rename keys; all
of that is accepted. What the answer claims is checked against the learner's text.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from tutor.domain.corrections import Category, CoachItem, CoachVerdict, TargetUse
from tutor.domain.json_text import first_json_object, first_value
from tutor.i18n.translate import _

MAX_ITEMS = 30
MAX_ANSWER_CHARS = 100_000
MAX_EXPLANATION_CHARS = 400

_CORRECTED_KEYS = ("corrected", "corrected_text", "corrected_message", "correction")
_ITEMS_KEYS = ("items", "mistakes", "errors", "corrections")
_NATURAL_KEYS = ("natural", "more_natural", "natural_version")
_GOALS_KEYS = ("goals_met", "goals", "met_goals")
_TARGET_USES_KEYS = ("target_uses", "targets_used", "targets")
_TARGET_KEYS = ("target", "number", "id")
_CORRECT_KEYS = ("correct", "right", "ok")
_ORIGINAL_KEYS = ("original", "wrong", "error", "mistake", "fragment")
_FIX_KEYS = ("correction", "corrected", "fix", "right")
_EXPLANATION_KEYS = ("explanation", "why", "reason", "note")
_CATEGORY_KEYS = ("category", "type", "kind")

_CATEGORY_WORDS = {
    # What a model may call a kind of mistake (matched in its answer, never shown).
    Category.VOCABULARY: (
        "vocab",
        "word choice",  # i18n: ignore (matched, not shown)
        "lexi",
        "word_choice",
        "wrong word",  # i18n: ignore (matched, not shown)
    ),
    Category.WORD_ORDER: ("order", "syntax"),
    Category.REGISTER: ("register", "polite", "formal", "honorific"),
    Category.PHRASING: ("phras", "natural", "style", "idiom", "fluency"),
    Category.SPELLING: ("spell", "orthograph", "accent", "typo", "capital", "script", "kanji"),
    Category.PUNCTUATION: ("punct",),
    Category.GRAMMAR: ("gramm", "tense", "agree", "conjug", "gender", "article", "particle"),
}


class CoachReplyError(ValueError):
    """The coach's answer holds no usable verdict."""


def parse_coach_reply(
    text: str, learner_text: str, open_goals: Collection[int] = (), targets: int = 0
) -> CoachVerdict:
    """The verdict in `text`, checked against the learner's message; `open_goals` are the
    indexes (from 0) of the goals the coach was asked about, `targets` how many practice
    targets it was asked to watch (a missing or malformed answer about them: no uses)."""
    if len(text) > MAX_ANSWER_CHARS:
        raise CoachReplyError(_("The coach's answer is far too long to be a verdict."))
    data = first_json_object(text)
    if data is None:
        raise CoachReplyError(_("The coach's answer holds no JSON object."))
    items_data = first_value(data, _ITEMS_KEYS)
    corrected = first_value(data, _CORRECTED_KEYS)
    if not isinstance(items_data, list) and not isinstance(corrected, str):
        raise CoachReplyError(_("The coach's answer has neither a corrected text nor items."))
    items = tuple(
        item
        for raw in (items_data if isinstance(items_data, list) else [])[:MAX_ITEMS]
        if (item := _item(raw, learner_text)) is not None
    )
    if not isinstance(corrected, str) or not corrected.strip():
        corrected = _apply(learner_text, items)
    corrected = corrected.strip()
    if len(corrected) > 3 * len(learner_text) + 200:
        raise CoachReplyError(_("The coach's corrected text is far longer than the message."))
    natural = first_value(data, _NATURAL_KEYS)
    natural = natural.strip() if isinstance(natural, str) else ""
    if natural in (corrected, learner_text):
        natural = ""
    goals = _goals(first_value(data, _GOALS_KEYS), open_goals)
    if not targets:
        return CoachVerdict(corrected, items, natural, goals)
    uses = _target_uses(first_value(data, _TARGET_USES_KEYS), targets)
    return CoachVerdict(corrected, items, natural, goals, uses)


def _target_uses(raw: Any, targets: int) -> tuple[TargetUse, ...]:
    """Uses as the model gave them (targets numbered from 1), one per target asked about;
    an entry without a clear true/false for "correct" is dropped, not guessed."""
    if not isinstance(raw, list):
        return ()
    found: dict[int, TargetUse] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        number = first_value(entry, _TARGET_KEYS)
        if isinstance(number, str) and number.strip().isdigit():
            number = int(number)
        correct = first_value(entry, _CORRECT_KEYS)
        if (
            isinstance(number, int)
            and not isinstance(number, bool)
            and 1 <= number <= targets
            and isinstance(correct, bool)
            and number - 1 not in found
        ):
            found[number - 1] = TargetUse(number - 1, correct)
    return tuple(found[index] for index in sorted(found))


def _goals(raw: Any, open_goals: Collection[int]) -> tuple[int, ...]:
    """Goal numbers as the model gave them (from 1), kept only if they were asked about."""
    if not isinstance(raw, list):
        return ()
    found = []
    for value in raw:
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, str) and value.strip().isdigit():
            number = int(value)
        if number is not None and number - 1 in open_goals and number - 1 not in found:
            found.append(number - 1)
    return tuple(sorted(found))


def category_of(name: object) -> Category:
    """A category from whatever name the model used; Category.OTHER when unknown."""
    if not isinstance(name, str):
        return Category.OTHER
    key = name.strip().casefold().replace("-", " ").replace("/", " ")
    try:
        return Category(key.replace(" ", "_"))
    except ValueError:
        pass
    for category, words in _CATEGORY_WORDS.items():
        if any(word in key for word in words):
            return category
    return Category.OTHER


def _item(raw: Any, learner_text: str) -> CoachItem | None:
    """An item, or None if it is malformed or points at text the learner did not write."""
    if not isinstance(raw, dict):
        return None
    original, fix = first_value(raw, _ORIGINAL_KEYS), first_value(raw, _FIX_KEYS)
    if not isinstance(original, str) or not isinstance(fix, str):
        return None
    original = _trim_fragment(original, learner_text)
    if original is None or original == fix.strip():
        return None
    explanation = first_value(raw, _EXPLANATION_KEYS)
    explanation = explanation.strip() if isinstance(explanation, str) else ""
    if len(explanation) > MAX_EXPLANATION_CHARS:
        explanation = explanation[: MAX_EXPLANATION_CHARS - 1].rstrip() + "…"
    return CoachItem(
        original, fix.strip(), explanation, category_of(first_value(raw, _CATEGORY_KEYS))
    )


def _trim_fragment(fragment: str, learner_text: str) -> str | None:
    """The fragment as it occurs in the learner's text, or None if it does not.

    Models often add quotes, spaces or a final full stop; an empty fragment stands for
    a missing word and is kept.
    """
    candidates = (fragment, fragment.strip(), fragment.strip().strip("\"'“”«»「」.。"))
    for candidate in candidates:
        if candidate == "" and fragment.strip() == "":
            return ""
        if candidate and candidate in learner_text:
            return candidate
    # Models often change the case ("comemos" for the learner's "Comemos"): take the
    # learner's own spelling of it, when folding keeps the lengths (no ß → ss).
    folded = learner_text.casefold()
    for candidate in candidates[1:]:
        needle = candidate.casefold()
        at = folded.find(needle) if needle else -1
        if at >= 0 and len(folded) == len(learner_text) and len(needle) == len(candidate):
            return learner_text[at : at + len(candidate)]
    return None


def _apply(learner_text: str, items: tuple[CoachItem, ...]) -> str:
    """A corrected text made from the items, for an answer that gave only items."""
    corrected = learner_text
    for item in items:
        if item.original:
            corrected = corrected.replace(item.original, item.correction, 1)
    return corrected
