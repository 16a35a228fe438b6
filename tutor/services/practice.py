""" "Practise my mistakes": from the notebook's most frequent recent kinds of mistake to a
scenario in My scenarios whose situation calls for those forms.

The interface asks `practice_call` (on the GUI thread: it reads the notebook) whether it
can help and what to ask; `run_practice` runs on a pool thread (keyring, network) and
touches no store; `keep_practice` saves the checked scenario on the GUI thread. A
scenario that fails the checks is never saved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tutor.domain.conversation import utc_now
from tutor.domain.corrections import CoachPath
from tutor.domain.practice_prompt import PracticeQuestion
from tutor.domain.practice_targets import MIN_MISTAKES, KindChoice, choose_kinds, too_few_reason
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import Scenario, reading_language
from tutor.i18n.translate import _
from tutor.llm.client import ServerConfig
from tutor.llm.errors import explain
from tutor.llm.factory import ClientFactory
from tutor.llm.practice import PracticeResult, ask_scenario
from tutor.services.changes import Change, ChangeHub
from tutor.services.server import NO_SERVER, current_client
from tutor.store.corrections import CorrectionStore
from tutor.store.notebook import NotebookStore
from tutor.store.scenario_library import ScenarioLibrary

log = logging.getLogger(__name__)


class PracticeContext(Protocol):
    """What practice needs of the application (the interface's context has all of it)."""

    @property
    def notebook(self) -> NotebookStore: ...
    @property
    def scenarios(self) -> ScenarioLibrary: ...
    @property
    def corrections(self) -> CorrectionStore: ...
    @property
    def changes(self) -> ChangeHub: ...
    @property
    def clients(self) -> ClientFactory: ...
    def server_address(self) -> tuple[str, str] | None: ...
    def server_config(self) -> ServerConfig | None: ...


@dataclass(frozen=True)
class PracticeCall:
    """One scenario request, ready to leave, on the partner's model."""

    question: PracticeQuestion
    base_url: str
    model: str
    first_path: CoachPath


def mistake_kinds(
    notebook: NotebookStore, language: str, now: datetime | None = None
) -> KindChoice:
    """The kinds of mistake to practise in `language`, or why there are none yet."""
    return choose_kinds(notebook.entries(language), now or utc_now())


def cannot_practise(notebook: NotebookStore, language: str) -> str:
    """Why "Practise my mistakes" cannot help yet in `language`; empty when it can. Cheap
    (it counts up to a few entries): asked whenever the button is shown."""
    return too_few_reason(notebook.count(language, MIN_MISTAKES))


def practice_call(
    context: PracticeContext, profile: LearnerProfile, choice: KindChoice
) -> PracticeCall | str:
    """The request for `profile` and the kinds chosen; else why it cannot be asked."""
    if not choice.kinds:
        return choice.reason
    address = context.server_address()
    if address is None:
        return _(NO_SERVER)
    base_url, model = address
    first_path = context.corrections.coach_path(base_url, model) or CoachPath.JSON_SCHEMA
    question = PracticeQuestion(
        profile,
        choice.kinds,
        new_scenario_id(context.scenarios),
        # Its title, description and goals read in the learner's interface language too.
        shown_in=reading_language(),
    )
    return PracticeCall(question, base_url, model, first_path)


def new_scenario_id(library: ScenarioLibrary, now: datetime | None = None) -> str:
    """An id no scenario has: "practice-" and the minute it was asked, numbered if need be."""
    stem = f"practice-{(now or utc_now()).strftime('%Y%m%d-%H%M')}"
    taken = {scenario.id for scenario in library.scenarios()}
    number = 1
    found = stem
    while found in taken:
        number += 1
        found = f"{stem}-{number}"
    return found


def run_practice(context: PracticeContext, call: PracticeCall) -> PracticeResult:
    """Runs on a pool thread, given the context, never a widget: reads the keyring and
    asks the partner's model. LlmError, in words, when it fails."""
    return ask_scenario(current_client(context), call.question, call.model, call.first_path)


def keep_practice(context: PracticeContext, result: PracticeResult) -> Scenario:
    """Save the checked scenario under My scenarios (GUI thread) and say so."""
    saved = context.scenarios.save(result.scenario)
    context.changes.publish(Change.SCENARIOS)
    log.info(
        "practice scenario %s written by %s via %s (%d targets)",
        saved.id,
        result.model,
        result.path,
        len(saved.targets),
    )
    return saved


def practice_failure(error: BaseException, call: PracticeCall) -> str:
    """Why no scenario came, in words for the learner (nothing was saved)."""
    explained = explain(error, call.base_url, call.model)
    log.warning("practice scenario failed: %s (%s)", explained.kind, explained.message)
    return explained.message
