"""Scenario files: the built-in ones under resources/scenarios, the learner's own in the
data folder. Every file is read through the same checks, whoever wrote it."""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from pathlib import Path

import tomli_w

from tutor.domain.scenarios import (
    FREE_CONVERSATION,
    MAX_FILE_BYTES,
    Category,
    Scenario,
    ScenarioError,
    scenario_from_dict,
    scenario_to_dict,
)
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext
from tutor.store.atomic_file import write_atomically

log = logging.getLogger(__name__)


def _toml(scenario: Scenario) -> bytes:
    return tomli_w.dumps(scenario_to_dict(scenario)).encode("utf-8")


def read_scenario_file(path: Path, *, built_in: bool) -> Scenario:
    """A checked scenario from a TOML file; ScenarioError with a plain reason otherwise."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(
                ngettext(
                    "The file is {size} byte; a scenario file is at most {most}.",
                    "The file is {size} bytes; a scenario file is at most {most}.",
                    size,
                ).format(size=format_number(size), most=format_number(MAX_FILE_BYTES))
            )
        raw = path.read_bytes()
    except OSError as error:
        # Translators: {reason} is the system's reason, often in English.
        raise ScenarioError(
            _("The file cannot be read: {reason}.").format(reason=error.strerror or error)
        ) from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            _("The file is not UTF-8 text (a bad byte at position {position}).").format(
                position=format_number(error.start)
            )
        ) from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Translators: {reason} is the TOML reader's own words, in English.
        raise ScenarioError(
            _("The file is not valid TOML: {reason}.").format(reason=error)
        ) from error
    return scenario_from_dict(data, built_in=built_in)


class ScenarioLibrary:
    def __init__(self, built_in_dir: Path, user_dir: Path) -> None:
        self._built_in_dir = built_in_dir
        self._user_dir = user_dir
        self._built_in: list[Scenario] | None = None

    def scenarios(self) -> list[Scenario]:
        """Built-in scenarios (by category, then title), then the learner's own."""
        return [*self._built_in_scenarios(), *self._load(self._user_dir, built_in=False)]

    def find(self, scenario_id: str) -> Scenario | None:
        if scenario_id == FREE_CONVERSATION.id:
            return FREE_CONVERSATION
        return next((s for s in self.scenarios() if s.id == scenario_id), None)

    def save(self, scenario: Scenario) -> Scenario:
        """Save the learner's scenario; saving over an older one makes a new version."""
        if any(s.id == scenario.id for s in self._built_in_scenarios()):
            raise ScenarioError(
                _("Field '{field}': '{id}' is a built-in scenario's id.").format(
                    field="id", id=scenario.id
                )
            )
        previous = self.find(scenario.id)
        version = previous.version + 1 if previous is not None else scenario.version
        saved = dataclasses.replace(
            scenario, version=version, category=Category.MINE, built_in=False
        )
        self._user_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(self._user_path(saved.id), _toml(saved))
        return saved

    def delete(self, scenario_id: str) -> None:
        self._user_path(scenario_id).unlink(missing_ok=True)

    def import_file(self, path: Path) -> Scenario:
        """Check a file and keep it as the learner's own; nothing changes if it is refused."""
        return self.save(read_scenario_file(path, built_in=False))

    def export(self, scenario: Scenario, path: Path) -> None:
        """Write the scenario to share; the file is whole or untouched. Raises OSError."""
        write_atomically(path, _toml(scenario))

    def _built_in_scenarios(self) -> list[Scenario]:
        if self._built_in is None:
            self._built_in = self._load(self._built_in_dir, built_in=True)
        return self._built_in

    def _user_path(self, scenario_id: str) -> Path:
        return self._user_dir / f"{scenario_id}.toml"

    def _load(self, directory: Path, *, built_in: bool) -> list[Scenario]:
        found: list[Scenario] = []
        for path in sorted(directory.glob("*.toml")) if directory.is_dir() else []:
            try:
                found.append(read_scenario_file(path, built_in=built_in))
            except ScenarioError as error:
                log.warning("scenario file %s skipped: %s", path, error)
        order = list(Category)
        return sorted(found, key=lambda s: (order.index(s.category), s.title.casefold()))
