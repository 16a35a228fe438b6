"""Finding a scenario in the library: the search (in English and the learner's own
language, without case or accents), the level and category filters, how many match in
each category, what an empty list says, and which scenario "Surprise me" draws.

Pure: the picker gives the scenarios, what was typed and chosen, and shows the answer.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tutor.domain.levels import Level
from tutor.domain.scenarios import Category, Scenario
from tutor.i18n.translate import _

ALL = "all"
"""The category key for every scenario; the others are Category values."""


def fold(text: str) -> str:
    """Lower case without accents, so "cafe" finds "Café" and "CAFÉ" finds "café"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def haystack(scenario: Scenario, native_language: str) -> str:
    """Everything the search looks in, folded: English and the learner's own language."""
    own = scenario.text_in(native_language)
    parts = [
        scenario.title,
        scenario.description,
        *scenario.goals,
        *scenario.vocabulary,
        own.title,
        own.description,
        *own.goals,
    ]
    return fold("\n".join(parts))


def category_label(key: str) -> str:
    """A category's name in the list: "All scenarios", "Travel", "My scenarios"."""
    return _("All scenarios") if key == ALL else Category(key).label


@dataclass(frozen=True)
class Filtered:
    """What the filters let through."""

    shown: list[Scenario]
    """In the chosen category, in library order."""
    counts: dict[str, int]
    """How many match the search and level in each category key (ALL included)."""


class ScenarioSearch:
    """The library as the picker searches it; made again when the library changes."""

    def __init__(self, scenarios: Sequence[Scenario], native_language: str) -> None:
        self.scenarios = list(scenarios)
        # Folded once here, not on every key typed in the search box.
        self._haystacks = {id(s): haystack(s, native_language) for s in self.scenarios}

    def category_keys(self) -> list[str]:
        """The categories to list: all, those present in Category order, then the
        learner's own (always, so there is a place to write or import one)."""
        present = {s.category for s in self.scenarios}
        return [
            ALL,
            *(c.value for c in Category if c in present and c is not Category.MINE),
            Category.MINE.value,
        ]

    def passes(self, scenario: Scenario, words: Sequence[str], level: Level | None) -> bool:
        """Suits the level (any when None) and holds every folded search word."""
        if level is not None and not scenario.suits(level):
            return False
        found = self._haystacks[id(scenario)]
        return all(word in found for word in words)

    def filter(self, query: str, level: Level | None, category: str) -> Filtered:
        """The scenarios to show for what was typed, the level and the category key."""
        words = fold(query).split()
        matching = [s for s in self.scenarios if self.passes(s, words, level)]
        counts = {key: 0 for key in self.category_keys()}
        counts[ALL] = len(matching)
        for scenario in matching:
            if scenario.category.value in counts:
                counts[scenario.category.value] += 1
        shown = [s for s in matching if category in (ALL, s.category.value)]
        return Filtered(shown, counts)

    def empty_message(self, query: str, category: str, level: Level | None) -> str:
        """What the list says when nothing is shown, and what to do about it."""
        query = query.strip()
        if query and level is not None:
            # Translators: {query} is what the learner typed in the search box; {level}
            # a CEFR level such as "A2".
            return _("No scenario matches “{query}” at level {level}.").format(
                query=query, level=level.value
            )
        if query:
            return _("No scenario matches “{query}”.").format(query=query)
        if category == Category.MINE.value and not any(
            s.category is Category.MINE for s in self.scenarios
        ):
            # Translators: "New…" and "Import…" are the buttons below the list.
            return _(
                "You have no scenarios of your own yet.\n"
                "Use New… to write one, or Import… to add a scenario file."
            )
        if level is not None:
            return _("No scenario here suits level {level}.").format(level=level.value)
        return _("No scenario here.")

    def surprise(
        self, draw: random.Random, shown: Sequence[Scenario], level: Level | None
    ) -> Scenario | None:
        """A random scenario among those shown, else among all that suit the level."""
        pool = list(shown) or [s for s in self.scenarios if level is None or s.suits(level)]
        return draw.choice(pool) if pool else None


def own_copy(scenario: Scenario, taken: set[str]) -> Scenario:
    """A scenario of the learner's own to start from `scenario`, under an id not `taken`:
    "cafe-order-mine", then "cafe-order-mine-2"… (ids are at most 48 characters)."""
    stem = scenario.id[:43]
    suggestion = f"{stem}-mine"
    number = 2
    while suggestion in taken:
        suggestion = f"{stem[:40]}-mine-{number}"
        number += 1
    return replace(scenario, id=suggestion, version=1, category=Category.MINE, built_in=False)
