"""The scenarios that ship with Tutor: every file loads, and together they cover every
category and every level."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tutor.domain.levels import Level
from tutor.domain.scenarios import Category, Scenario
from tutor.paths import bundled_resources
from tutor.store.scenario_library import ScenarioLibrary, read_scenario_file

SCENARIO_DIR = bundled_resources() / "scenarios"
SCENARIO_FILES = sorted(SCENARIO_DIR.glob("*.toml"))


@pytest.fixture
def built_in(tmp_path: Path) -> list[Scenario]:
    return ScenarioLibrary(SCENARIO_DIR, tmp_path).scenarios()


def test_there_are_enough_built_in_scenarios(built_in: list[Scenario]) -> None:
    assert len(built_in) >= 30
    assert all(scenario.built_in for scenario in built_in)


def test_every_file_is_loaded(built_in: list[Scenario]) -> None:
    assert len(built_in) == len(SCENARIO_FILES)


def test_ids_are_unique_and_match_file_names(built_in: list[Scenario]) -> None:
    ids = [scenario.id for scenario in built_in]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(path.stem for path in SCENARIO_FILES)


def test_every_category_has_at_least_three(built_in: list[Scenario]) -> None:
    counts = Counter(scenario.category for scenario in built_in)
    assert counts[Category.MINE] == 0
    short = {c.value: counts[c] for c in Category if c is not Category.MINE and counts[c] < 3}
    assert not short, f"categories with fewer than 3 scenarios: {short}"


def test_every_level_has_at_least_eight(built_in: list[Scenario]) -> None:
    counts = Counter(level for scenario in built_in for level in scenario.levels)
    short = {level.value: counts[level] for level in Level if counts[level] < 8}
    assert not short, f"levels with fewer than 8 scenarios: {short}"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_file_loads(path: Path) -> None:
    scenario = read_scenario_file(path, built_in=True)
    assert scenario.id == path.stem
    assert scenario.category is not Category.MINE
    assert scenario.built_in


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_translations_have_as_many_goals_as_english(path: Path) -> None:
    scenario = read_scenario_file(path, built_in=True)
    for language, text in scenario.translations.items():
        assert text.title, f"{language}: no title"
        assert text.description, f"{language}: no description"
        assert len(text.goals) == len(scenario.goals), f"{language}: goal count differs"
        assert scenario.text_in(language).goals == text.goals
