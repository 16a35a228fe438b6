"""The learner's own scenarios: save one (new, or a new version of one of theirs), delete
one, import one from a file, export any one to share.

Each change to the library says Change.SCENARIOS on the change hub once it is written, so
every list of scenarios reads the library again. A refusal (ScenarioError naming the
field, or OSError from the file system) changes nothing and says nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from tutor.domain.scenarios import Scenario, ScenarioError
from tutor.i18n.translate import _
from tutor.services.changes import Change, ChangeHub
from tutor.store.scenario_library import ScenarioLibrary


class ScenarioContext(Protocol):
    """What managing scenarios needs of the application."""

    @property
    def scenarios(self) -> ScenarioLibrary: ...
    @property
    def changes(self) -> ChangeHub: ...


def id_taken(scenario_id: str) -> str:
    """Why a new scenario may not take `scenario_id`, in words for the learner."""
    return _("Field '{field}': '{id}' is already taken; choose another id.").format(
        field="id", id=scenario_id
    )


def save_scenario(context: ScenarioContext, scenario: Scenario, *, new: bool) -> Scenario:
    """Keep the learner's scenario; the scenario as saved.

    `new`: a scenario of their own they just wrote (maybe a copy of a built-in), which may
    not take an id in use. Otherwise it is saved over the one with its id, as a new
    version. A built-in's id is refused either way (by the library).
    """
    if new and context.scenarios.find(scenario.id) is not None:
        raise ScenarioError(id_taken(scenario.id))
    saved = context.scenarios.save(scenario)
    context.changes.publish(Change.SCENARIOS)
    return saved


def delete_scenario(context: ScenarioContext, scenario: Scenario) -> bool:
    """Remove one of the learner's own scenarios; False, and nothing done, for a built-in."""
    if scenario.built_in:
        return False
    context.scenarios.delete(scenario.id)
    context.changes.publish(Change.SCENARIOS)
    return True


def import_scenario(context: ScenarioContext, path: Path) -> Scenario:
    """Check a file and keep it as the learner's own (a new version when they have one with
    its id); the scenario as kept. Refused with the reason, the field named where one is
    at fault, and nothing changed."""
    imported = context.scenarios.import_file(path)
    context.changes.publish(Change.SCENARIOS)
    return imported


def export_scenario(context: ScenarioContext, scenario: Scenario, path: Path) -> None:
    """Write any scenario to a file to share; whole or untouched. The library does not
    change, so nothing is said. Raises OSError."""
    context.scenarios.export(scenario, path)
