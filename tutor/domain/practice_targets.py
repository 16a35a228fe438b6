"""Practice built from the learner's own mistakes: which kinds of mistake to practise
(`choose_kinds`, from the notebook), and the targets a practice scenario carries.

A target is one kind of mistake a scenario was written to call for: its category, the
right forms the learner got wrong ("went", "ate"), an English description for the coach
("past tense of irregular verbs") and the scenario goal a correct use ticks. Scenario
files may carry targets (`targets_from_file`); older files have none and stay valid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tutor.domain.corrections import Category
from tutor.domain.notebook import NotebookEntry, by_category
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext

RECENT_DAYS = 30
"""Mistakes of the last month say what the learner gets wrong now."""
FALLBACK_ENTRIES = 50
"""With too few recent mistakes, the newest this many (of any age) are read instead."""
MIN_MISTAKES = 3
"""Fewer mistakes than this show no pattern worth a scenario."""
MOST_TARGETS = 3
EXAMPLES_PER_KIND = 5
MAX_FORMS = 8
_FORM_CHARS = 60
_DESCRIPTION_CHARS = 160
_EXPLANATION_CHARS = 160


@dataclass(frozen=True)
class MistakeExample:
    """One mistake as the model is shown it: what the learner wrote, what is right."""

    wrote: str
    right: str
    why: str = ""


@dataclass(frozen=True)
class MistakeKind:
    """One kind of mistake the learner makes often: a category and examples of it."""

    category: Category
    count: int
    """Mistakes of this category among those read."""
    examples: tuple[MistakeExample, ...]


@dataclass(frozen=True)
class KindChoice:
    """The kinds to practise, most frequent first; or, when there are none, why."""

    kinds: tuple[MistakeKind, ...]
    reason: str = ""
    """Empty when there are kinds; else why Tutor cannot build practice yet, in words."""


@dataclass(frozen=True)
class PracticeTarget:
    """A kind of mistake a practice scenario calls for, and the goal a correct use ticks."""

    category: Category
    forms: tuple[str, ...]
    """Right forms in the language practised ("went", "ate")."""
    description: str
    """What to use, in English, for the coach: "past tense of irregular verbs"."""
    goal: int
    """Index (from 0) of the scenario goal a correct use ticks."""


class TargetError(ValueError):
    """A scenario file's targets that cannot be used; the message names the field."""


def choose_kinds(
    entries: Sequence[NotebookEntry], now: datetime, *, most: int = MOST_TARGETS
) -> KindChoice:
    """The learner's most frequent recent kinds of mistake, from notebook entries of one
    language (newest first, dismissed marks already left out).

    The last RECENT_DAYS days are read; when they hold fewer than MIN_MISTAKES, the newest
    FALLBACK_ENTRIES of any age. A category needs two mistakes to be a kind, except the
    most frequent one; ties go in Category order (notebook.by_category).
    """
    since = now - timedelta(days=RECENT_DAYS)
    read = [entry for entry in entries if entry.when >= since]
    if len(read) < MIN_MISTAKES:
        read = list(entries[:FALLBACK_ENTRIES])
    reason = too_few_reason(len(read))
    if reason:
        return KindChoice((), reason)
    groups = by_category(read)
    kinds = [
        MistakeKind(category, len(group), _examples(group))
        for rank, (category, group) in enumerate(groups)
        if rank == 0 or len(group) >= 2
    ]
    return KindChoice(tuple(kinds[:most]))


def too_few_reason(count: int) -> str:
    """Why `count` mistakes cannot make a practice scenario yet; empty when they can.
    (choose_kinds reads at least MIN_MISTAKES when the notebook holds that many, so
    the notebook's count alone says whether it can help.)"""
    if count == 0:
        return _(
            "No mistakes in your notebook yet: practise a little first, and Tutor will "
            "build a scenario from what the coach finds."
        )
    if count < MIN_MISTAKES:
        return ngettext(
            "Only {count} mistake in your notebook so far: Tutor needs at least {least} "
            "to see what to practise.",
            "Only {count} mistakes in your notebook so far: Tutor needs at least {least} "
            "to see what to practise.",
            count,
        ).format(count=format_number(count), least=format_number(MIN_MISTAKES))
    return ""


def _examples(group: Iterable[NotebookEntry]) -> tuple[MistakeExample, ...]:
    """The most frequent distinct mistakes of a group (newest first among equals)."""
    counts: dict[tuple[str, str], int] = {}
    why: dict[tuple[str, str], str] = {}
    for entry in group:
        wrote, right = entry.in_context()
        key = (wrote.strip(), right.strip())
        counts[key] = counts.get(key, 0) + 1
        why.setdefault(key, _cut(entry.explanation, _EXPLANATION_CHARS))
    order = sorted(counts, key=lambda key: -counts[key])  # stable: newest first among ties
    return tuple(MistakeExample(w, r, why[(w, r)]) for w, r in order[:EXAMPLES_PER_KIND])


def targets_from_file(data: Any, goal_count: int) -> tuple[PracticeTarget, ...]:
    """A scenario file's optional `targets` (a list of tables); TargetError naming the
    field otherwise. Each names its goal by number (from 1), as a file's reader counts."""
    if data is None:
        return ()
    if not isinstance(data, list) or len(data) > goal_count:
        raise TargetError(
            _("Field '{field}': a list of at most one target per goal.").format(field="targets")
        )
    targets: list[PracticeTarget] = []
    for number, raw in enumerate(data, 1):
        field = f"targets.{number}"
        if not isinstance(raw, dict):
            raise TargetError(_("Field '{field}': expected a table.").format(field=field))
        category = raw.get("category")
        known = [c.value for c in Category]
        if category not in known:
            raise TargetError(
                _("Field '{field}': choose one of {choices}.").format(
                    field=f"{field}.category", choices=", ".join(known)
                )
            )
        forms = raw.get("forms", [])
        if (
            not isinstance(forms, list)
            or len(forms) > MAX_FORMS
            or not all(isinstance(f, str) and 0 < len(f.strip()) <= _FORM_CHARS for f in forms)
        ):
            raise TargetError(
                _("Field '{field}': a list of up to {count} short texts.").format(
                    field=f"{field}.forms", count=format_number(MAX_FORMS)
                )
            )
        description = raw.get("description")
        if not isinstance(description, str) or not 0 < len(description.strip()) <= (
            _DESCRIPTION_CHARS
        ):
            raise TargetError(
                _("Field '{field}': a short text, at most {limit} characters.").format(
                    field=f"{field}.description", limit=format_number(_DESCRIPTION_CHARS)
                )
            )
        goal = raw.get("goal")
        if not isinstance(goal, int) or isinstance(goal, bool) or not 1 <= goal <= goal_count:
            raise TargetError(
                _("Field '{field}': the number of one of the goals, from 1 to {count}.").format(
                    field=f"{field}.goal", count=format_number(goal_count)
                )
            )
        targets.append(
            PracticeTarget(
                Category(category),
                tuple(f.strip() for f in forms),
                description.strip(),
                goal - 1,
            )
        )
    return tuple(targets)


def targets_to_file(targets: Iterable[PracticeTarget]) -> list[dict[str, Any]]:
    """The file form of targets: what targets_from_file() reads back."""
    return [
        {
            "category": t.category.value,
            "forms": list(t.forms),
            "description": t.description,
            "goal": t.goal + 1,
        }
        for t in targets
    ]


def targets_json(targets: Iterable[PracticeTarget]) -> str:
    """How a session keeps its targets (sessions.practice_targets)."""
    return json.dumps(targets_to_file(targets), ensure_ascii=False)


def targets_from_json(raw: str) -> tuple[PracticeTarget, ...]:
    """A session's kept targets; none if the column holds anything unreadable (a hand-
    edited database must not stop a session from opening)."""
    try:
        data = json.loads(raw)
        return tuple(_loose(item) for item in data) if isinstance(data, list) else ()
    except (ValueError, TypeError, KeyError, AttributeError):
        return ()


def _loose(item: dict[str, Any]) -> PracticeTarget:
    """A kept target as stored: its goal may be any of the session's goals."""
    return PracticeTarget(
        Category(item["category"]),
        tuple(str(f) for f in item.get("forms", [])),
        str(item["description"]),
        int(item["goal"]) - 1,
    )


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
