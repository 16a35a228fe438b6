"""Scenarios frame a practice session: who the partner plays, where, and what the learner
should get done. Built-in ones ship as TOML files; learners write their own.

`scenario_from_dict()` is the schema: every file, built-in or imported, goes through it,
and a refusal names the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tutor.domain.levels import Level
from tutor.domain.practice_targets import (
    PracticeTarget,
    TargetError,
    targets_from_file,
    targets_to_file,
)
from tutor.i18n.formats import format_number
from tutor.i18n.translate import N_, _, language_in_use, ngettext

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 64 * 1024
_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,47}")


class Category(StrEnum):
    EVERYDAY = "everyday"
    TRAVEL = "travel"
    FOOD = "food"
    WORK = "work"
    HEALTH = "health"
    SOCIAL = "social"
    EMERGENCIES = "emergencies"
    STORIES = "stories"
    MINE = "mine"
    """The learner's own scenarios."""

    @property
    def label(self) -> str:
        """The category's name in the interface language."""
        return _(_CATEGORY_LABELS[self])


# Translators: groups of scenarios in the scenario picker.
_CATEGORY_LABELS = {
    Category.EVERYDAY: N_("Everyday life"),
    Category.TRAVEL: N_("Travel"),
    Category.FOOD: N_("Food and drink"),
    Category.WORK: N_("Work and study"),
    Category.HEALTH: N_("Health"),
    Category.SOCIAL: N_("Social"),
    Category.EMERGENCIES: N_("Emergencies"),
    Category.STORIES: N_("Story-telling"),
    Category.MINE: N_("My scenarios"),
}


@dataclass(frozen=True)
class ScenarioText:
    """The parts a learner reads, in one language."""

    title: str
    description: str
    goals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    partner_role: str
    """Who the partner plays, in English (the system message is written in English)."""
    setting: str
    description: str = ""
    category: Category = Category.EVERYDAY
    version: int = 1
    levels: tuple[Level, ...] = tuple(Level)
    partner_personality: str = ""
    learner_role: str = ""
    opening: str = ""
    """How the partner opens, e.g. "Greet the customer and ask what they would like"."""
    goals: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()
    translations: dict[str, ScenarioText] = field(default_factory=dict, compare=False)
    built_in: bool = True
    targets: tuple[PracticeTarget, ...] = ()
    """Kinds of mistake the scenario was written to practise ("Practise my mistakes")."""

    def shown_text(self) -> ScenarioText:
        """Title, description and goals in the interface language, where translated."""
        return self.text_in(reading_language())

    def text_in(self, language: str) -> ScenarioText:
        """Title, description and goals in `language` where translated, else English."""
        english = ScenarioText(self.title, self.description, self.goals)
        found = self.translations.get(language)
        if found is None:
            return english
        goals = found.goals if len(found.goals) == len(self.goals) else self.goals
        return ScenarioText(found.title or self.title, found.description or self.description, goals)

    def suits(self, level: Level) -> bool:
        return level in self.levels


def reading_language() -> str:
    """The code of a scenario file's translation in the interface language: a file names
    its translations by language ("zh" for Simplified Chinese, "pt" for Brazilian
    Portuguese), the interface languages are named by gettext ("zh_Hans", "pt_BR")."""
    return language_in_use().split("_")[0]


FREE_CONVERSATION = Scenario(
    id="free-conversation",
    # Marked, kept in English here (as a session stores its scenario's title); shown with
    # _() (session.session_title).
    title=N_("Free conversation"),
    description=N_("Talk about anything; the partner suggests topics when the talk runs dry."),
    partner_role=(
        "a friendly, curious conversation partner who is a native speaker of the "
        "language"  # i18n: ignore (to the model)
    ),
    setting=(
        "An informal chat between two people getting to know each other. Talk about whatever "
        "the learner brings up; when the talk runs dry, suggest an everyday topic such as "
        "their day, hobbies, food, travel or plans."  # i18n: ignore (to the model)
    ),
)


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names the field."""


# field name -> (required, longest text)
_TEXT_FIELDS = {
    "title": (True, 80),
    "description": (True, 240),
    "partner_role": (True, 300),
    "partner_personality": (False, 300),
    "learner_role": (True, 300),
    "setting": (True, 1200),
    "opening": (True, 400),
}
_GOAL_CHARS = 160
_WORD_CHARS = 60
_MAX_WORDS = 40


def scenario_from_dict(data: Any, *, built_in: bool) -> Scenario:
    """A checked Scenario from parsed TOML; ScenarioError naming the field otherwise."""
    if not isinstance(data, dict):
        raise ScenarioError(_("The file does not hold a scenario (a table of fields)."))
    schema = data.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        raise ScenarioError(
            # Translators: {field} is a field's name in a scenario file, kept as written.
            _("Field '{field}': Tutor reads version {version}, not {found}.").format(
                field="schema", version=SCHEMA_VERSION, found=repr(schema)
            )
        )
    scenario_id = _required(data, "id")
    if not isinstance(scenario_id, str) or not _ID.fullmatch(scenario_id):
        raise ScenarioError(
            _(
                "Field '{field}': use 2 to 48 lower-case letters, digits and hyphens, "
                "e.g. '{example}'."
            ).format(field="id", example="cafe-order")
        )
    texts = {
        name: _text(data, name, required, limit) for name, (required, limit) in _TEXT_FIELDS.items()
    }
    category = _required(data, "category")
    known = {c.value for c in Category}
    if category not in known:
        raise ScenarioError(
            # Translators: {choices} are the category names a file may use, as written.
            _("Field '{field}': choose one of {choices}.").format(
                field="category", choices=", ".join(sorted(known))
            )
        )
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 10_000:
        raise ScenarioError(_("Field '{field}': a whole number from 1.").format(field="version"))
    goals = _texts(data, "goals", _GOAL_CHARS, required=True)
    if not 2 <= len(goals) <= 4:
        raise ScenarioError(
            _("Field '{field}': give 2 to 4 goals, not {count}.").format(
                field="goals", count=format_number(len(goals))
            )
        )
    vocabulary = _texts(data, "vocabulary", _WORD_CHARS, required=False)
    if len(vocabulary) > _MAX_WORDS:
        raise ScenarioError(
            ngettext(
                "Field '{field}': at most {count} word or phrase.",
                "Field '{field}': at most {count} words or phrases.",
                _MAX_WORDS,
            ).format(field="vocabulary", count=format_number(_MAX_WORDS))
        )
    try:
        targets = targets_from_file(data.get("targets"), len(goals))
    except TargetError as error:
        raise ScenarioError(str(error)) from error
    return Scenario(
        id=scenario_id,
        title=texts["title"],
        description=texts["description"],
        partner_role=texts["partner_role"],
        partner_personality=texts["partner_personality"],
        learner_role=texts["learner_role"],
        setting=texts["setting"],
        opening=texts["opening"],
        category=Category(category),
        version=version,
        levels=_levels(data),
        goals=goals,
        vocabulary=vocabulary,
        translations=_translations(data.get("translations")),
        built_in=built_in,
        targets=targets,
    )


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The file form of a scenario: what scenario_from_dict() reads back."""
    data: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "id": scenario.id,
        "version": scenario.version,
        "category": scenario.category.value,
        "title": scenario.title,
        "description": scenario.description,
        "levels": [level.value for level in scenario.levels],
        "partner_role": scenario.partner_role,
        "partner_personality": scenario.partner_personality,
        "learner_role": scenario.learner_role,
        "setting": scenario.setting,
        "opening": scenario.opening,
        "goals": list(scenario.goals),
        "vocabulary": list(scenario.vocabulary),
    }
    if scenario.targets:
        data["targets"] = targets_to_file(scenario.targets)
    if scenario.translations:
        data["translations"] = {
            code: {"title": t.title, "description": t.description, "goals": list(t.goals)}
            for code, t in scenario.translations.items()
        }
    return data


def _required(data: dict[str, Any], name: str) -> Any:
    if name not in data:
        raise ScenarioError(_("Field '{field}' is missing.").format(field=name))
    return data[name]


def _text(data: dict[str, Any], name: str, required: bool, limit: int) -> str:
    value = _required(data, name) if required else data.get(name, "")
    if not isinstance(value, str):
        raise ScenarioError(
            # Translators: {found} is what the file holds instead: "a number", "a list".
            _("Field '{field}': expected text, found {found}.").format(
                field=name, found=_kind(value)
            )
        )
    value = value.strip()
    if required and not value:
        raise ScenarioError(_("Field '{field}' is empty.").format(field=name))
    if len(value) > limit:
        raise ScenarioError(
            ngettext(
                "Field '{field}': at most {limit} character, found {count}.",
                "Field '{field}': at most {limit} characters, found {count}.",
                limit,
            ).format(field=name, limit=format_number(limit), count=format_number(len(value)))
        )
    return value


def _texts(data: dict[str, Any], name: str, limit: int, *, required: bool) -> tuple[str, ...]:
    values = _required(data, name) if required else data.get(name, [])
    if not isinstance(values, list):
        raise ScenarioError(
            _("Field '{field}': expected a list of texts, found {found}.").format(
                field=name, found=_kind(values)
            )
        )
    out = []
    for index, value in enumerate(values, 1):
        if not isinstance(value, str) or not value.strip():
            raise ScenarioError(
                _("Field '{field}', item {number}: expected a non-empty text.").format(
                    field=name, number=format_number(index)
                )
            )
        if len(value) > limit:
            raise ScenarioError(
                ngettext(
                    "Field '{field}', item {number}: at most {limit} character.",
                    "Field '{field}', item {number}: at most {limit} characters.",
                    limit,
                ).format(field=name, number=format_number(index), limit=format_number(limit))
            )
        out.append(value.strip())
    return tuple(out)


def _levels(data: dict[str, Any]) -> tuple[Level, ...]:
    values = _required(data, "levels")
    known = [level.value for level in Level]
    if not isinstance(values, list) or not values or any(v not in known for v in values):
        raise ScenarioError(
            _("Field '{field}': a list of CEFR levels from {choices}.").format(
                field="levels", choices=", ".join(known)
            )
        )
    return tuple(level for level in Level if level.value in values)


def _translations(data: Any) -> dict[str, ScenarioText]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ScenarioError(
            _("Field '{field}': expected a table per language code.").format(field="translations")
        )
    out = {}
    for code, fields in data.items():
        if not isinstance(fields, dict):
            raise ScenarioError(
                _("Field '{field}': expected a table.").format(field=f"translations.{code}")
            )
        out[str(code)] = ScenarioText(
            title=_text(fields, "title", False, _TEXT_FIELDS["title"][1]),
            description=_text(fields, "description", False, _TEXT_FIELDS["description"][1]),
            goals=_texts(fields, "goals", _GOAL_CHARS, required=False),
        )
    return out


def _kind(value: Any) -> str:
    """What a field holds, as a refusal says it: "a number", "a list"."""
    kinds = {
        bool: _("true/false"),
        int: _("a number"),
        float: _("a number"),
        list: _("a list"),
        dict: _("a table"),
    }
    return kinds.get(type(value), type(value).__name__)
