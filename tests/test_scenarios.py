"""The scenario schema, the library on disk, and the system message every scenario makes."""

from __future__ import annotations

import pytest

from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.prompts import build_system_message
from tutor.domain.scenarios import (
    Category,
    ScenarioError,
    scenario_from_dict,
    scenario_to_dict,
)
from tutor.paths import bundled_resources
from tutor.store.scenario_library import ScenarioLibrary, read_scenario_file

BUILT_IN = bundled_resources() / "scenarios"


def valid() -> dict:
    return {
        "schema": 1,
        "id": "bus-ticket",
        "version": 1,
        "category": "travel",
        "title": "Buying a bus ticket",
        "description": "Buy a ticket and ask when the bus leaves.",
        "levels": ["A1", "A2"],
        "partner_role": "a ticket seller at a bus station",
        "partner_personality": "calm",
        "learner_role": "a traveller",
        "setting": "A bus station at 8 in the morning.",
        "opening": "Greet the traveller and ask where they are going.",
        "goals": ["Buy a ticket", "Ask when the bus leaves"],
        "vocabulary": ["a return ticket", "the platform"],
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "'title' is missing"),
        ({"goals": 3}, "'goals'"),
        ({"goals": ["Only one"]}, "'goals': give 2 to 4"),
        ({"goals": ["a", "b", "c", "d", "e"]}, "'goals': give 2 to 4"),
        ({"goals": ["a", ""]}, "'goals', item 2"),
        ({"title": 42}, "'title': expected text, found a number"),
        ({"title": "x" * 81}, "'title': at most 80"),
        ({"setting": "x" * 5000}, "'setting': at most 1,200"),
        ({"id": "Bus Ticket!"}, "'id'"),
        ({"category": "space"}, "'category'"),
        ({"levels": ["A1", "Z9"]}, "'levels'"),
        ({"levels": []}, "'levels'"),
        ({"schema": 2}, "'schema'"),
        ({"version": "one"}, "'version'"),
        ({"vocabulary": "bus"}, "'vocabulary'"),
        ({"translations": {"es": "Billete"}}, "'translations.es'"),
    ],
)
def test_a_bad_field_is_refused_with_its_name(change, field):
    data = valid()
    for key, value in change.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data, built_in=False)
    assert field in str(caught.value)


def test_a_scenario_survives_the_file_form_and_translations_fall_back_to_english():
    data = valid()
    data["translations"] = {"es": {"title": "Comprar un billete", "goals": ["Comprar", "Hora"]}}
    scenario = scenario_from_dict(data, built_in=False)
    assert scenario_from_dict(scenario_to_dict(scenario), built_in=False) == scenario
    spanish = scenario.text_in("es")
    assert spanish.title == "Comprar un billete"
    assert spanish.description == scenario.description  # not translated: English
    assert spanish.goals == ("Comprar", "Hora")
    assert scenario.text_in("ja").title == "Buying a bus ticket"
    assert scenario.suits(Level.A2) and not scenario.suits(Level.B1)


def test_the_learners_scenarios_are_saved_versioned_deleted_and_round_trip(tmp_path):
    library = ScenarioLibrary(BUILT_IN, tmp_path / "mine")
    mine = scenario_from_dict(valid(), built_in=False)
    saved = library.save(mine)
    assert saved.category is Category.MINE and saved.version == 1
    again = library.save(saved)
    assert again.version == 2
    assert library.find("bus-ticket") == again
    exported = tmp_path / "exported.toml"
    library.export(again, exported)
    library.delete("bus-ticket")
    assert library.find("bus-ticket") is None
    imported = library.import_file(exported)
    assert imported.title == again.title and imported.goals == again.goals


def test_a_learners_scenario_cannot_take_a_built_in_id(tmp_path):
    library = ScenarioLibrary(BUILT_IN, tmp_path / "mine")
    data = valid()
    data["id"] = "cafe-order"
    with pytest.raises(ScenarioError, match="'id'"):
        library.save(scenario_from_dict(data, built_in=False))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title = 'x'\n", "Field 'id' is missing"),
        (b"\xff\xfe\x00not utf-8", "not UTF-8"),
        (b"this is = = not toml", "not valid TOML"),
        (b"x" * (5 * 1024 * 1024), "at most 65,536"),
    ],
)
def test_importing_a_bad_file_says_why_and_changes_nothing(tmp_path, content, message):
    library = ScenarioLibrary(BUILT_IN, tmp_path / "mine")
    before = library.scenarios()
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    with pytest.raises(ScenarioError) as caught:
        library.import_file(bad)
    assert message in str(caught.value)
    assert library.scenarios() == before
    assert not (tmp_path / "mine").exists()


def test_a_broken_file_among_the_built_ins_is_skipped_not_fatal(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "good.toml").write_text(
        (BUILT_IN / "cafe-order.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "broken.toml").write_text("id = 3", encoding="utf-8")
    assert [s.id for s in ScenarioLibrary(folder, tmp_path / "mine").scenarios()] == ["cafe-order"]


@pytest.mark.parametrize("path", sorted(BUILT_IN.glob("*.toml")), ids=lambda p: p.stem)
def test_every_built_in_scenario_makes_a_system_message_with_role_goals_language_level(path):
    scenario = read_scenario_file(path, built_in=True)
    level = scenario.levels[0]
    system = build_system_message(LearnerProfile("ja", level, "en"), scenario)
    assert scenario.partner_role in system
    assert scenario.learner_role in system
    for goal in scenario.goals:
        assert goal in system
    assert "Japanese" in system
    assert f"level is {level.value}" in system
