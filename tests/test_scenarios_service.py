"""The learner's own scenarios as use cases (tutor/services/scenarios.py), without Qt,
against a real folder: each change is written, then said once as Change.SCENARIOS; a
refusal names the field at fault, changes nothing and says nothing."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tomli_w

from tutor.domain.scenarios import Category, ScenarioError, scenario_from_dict, scenario_to_dict
from tutor.paths import bundled_resources
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.services.scenarios import (
    delete_scenario,
    export_scenario,
    import_scenario,
    save_scenario,
)
from tutor.store.scenario_library import ScenarioLibrary

BUILT_IN = bundled_resources() / "scenarios"


@dataclass
class Context:
    scenarios: ScenarioLibrary
    changes: ChangeHub = field(default_factory=ChangeHub)
    heard: list[Changes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.changes.subscribe(self.heard.append)


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    return tmp_path / "mine"


@pytest.fixture
def context(mine: Path) -> Context:
    return Context(ScenarioLibrary(BUILT_IN, mine))


def zebras(**changes: object):
    data = {
        "schema": 1,
        "id": "zebra-zoo",
        "version": 1,
        "category": "mine",
        "title": "Zebras at the zoo",
        "description": "Ask a keeper about the zebras.",
        "levels": ["A2"],
        "partner_role": "a zoo keeper",
        "learner_role": "a visitor",
        "setting": "The zebra enclosure on a sunny afternoon.",
        "opening": "Greet the visitor.",
        "goals": ["Ask what zebras eat", "Ask how old the youngest zebra is"],
        **changes,
    }
    return scenario_from_dict(data, built_in=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.is_dir() else {}


def test_saving_a_new_scenario_then_a_new_version_says_so_each_time(context: Context, mine: Path):
    saved = save_scenario(context, zebras(), new=True)
    assert saved.version == 1 and saved.category is Category.MINE and not saved.built_in
    assert context.heard == [Changes(Change.SCENARIOS)]
    assert context.scenarios.find("zebra-zoo") == saved

    changed = save_scenario(context, dataclasses.replace(saved, title="Zebras"), new=False)
    assert changed.version == 2 and changed.title == "Zebras"
    assert context.heard == [Changes(Change.SCENARIOS)] * 2
    assert list(_files(mine)) == ["zebra-zoo.toml"]


@pytest.mark.parametrize("taken", ["zebra-zoo", "cafe-order"])
def test_a_new_scenario_may_not_take_an_id_in_use(context: Context, mine: Path, taken: str):
    save_scenario(context, zebras(), new=True)
    before, heard = _files(mine), len(context.heard)
    with pytest.raises(ScenarioError, match=f"Field 'id': '{taken}'"):
        save_scenario(context, zebras(id=taken, title="Another"), new=True)
    assert _files(mine) == before and len(context.heard) == heard


def test_a_built_in_id_is_refused_even_as_a_new_version(context: Context, mine: Path):
    with pytest.raises(ScenarioError, match="Field 'id'"):
        save_scenario(context, zebras(id="cafe-order"), new=False)
    assert context.heard == [] and not mine.exists()


def test_deleting_ones_own_says_so_and_a_built_in_is_never_deleted(context: Context):
    saved = save_scenario(context, zebras(), new=True)
    cafe = context.scenarios.find("cafe-order")
    assert cafe is not None and cafe.built_in
    assert delete_scenario(context, cafe) is False
    assert context.scenarios.find("cafe-order") == cafe
    assert len(context.heard) == 1

    assert delete_scenario(context, saved) is True
    assert context.scenarios.find("zebra-zoo") is None
    assert context.heard == [Changes(Change.SCENARIOS)] * 2


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"title = 'x'\n", "Field 'id' is missing"),
        (
            tomli_w.dumps({**scenario_to_dict(zebras()), "goals": 3}).encode(),
            "Field 'goals': expected a list of texts, found a number",
        ),
        (b"this is = = not toml", "not valid TOML"),
    ],
)
def test_importing_a_bad_file_names_the_fault_and_says_nothing(
    context: Context, mine: Path, tmp_path: Path, content: bytes, named: str
):
    save_scenario(context, zebras(), new=True)
    before, heard = _files(mine), list(context.heard)
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    with pytest.raises(ScenarioError) as caught:
        import_scenario(context, bad)
    assert named in str(caught.value)
    assert _files(mine) == before and context.heard == heard


def test_an_exported_scenario_imports_back_and_only_the_import_is_said(
    context: Context, tmp_path: Path
):
    original = save_scenario(context, zebras(), new=True)
    exported = tmp_path / "shared.toml"
    export_scenario(context, original, exported)
    assert len(context.heard) == 1  # the library did not change
    with pytest.raises(OSError):
        export_scenario(context, original, tmp_path / "no such folder" / "x.toml")

    delete_scenario(context, original)
    back = import_scenario(context, exported)
    assert back == original == context.scenarios.find("zebra-zoo")
    assert context.heard == [Changes(Change.SCENARIOS)] * 3
    # Importing it again is a new version of the same scenario, not a second one.
    assert import_scenario(context, exported).version == 2
