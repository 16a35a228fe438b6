"""The one application context: built in tutor/app.py and passed to every window."""

from __future__ import annotations

from dataclasses import dataclass, field

from tutor.domain.settings import Settings
from tutor.llm.client import ServerConfig
from tutor.llm.factory import ClientFactory
from tutor.logging_setup import SecretRedactor
from tutor.paths import AppPaths
from tutor.services import server
from tutor.services.changes import ChangeHub
from tutor.services.level_fit import LevelFits
from tutor.services.memory import ComposedSteering, FactsSteering
from tutor.services.server import Overrides
from tutor.store.coach_scores import CoachScoreStore
from tutor.store.corrections import CorrectionStore
from tutor.store.help_answers import HelpAnswerStore
from tutor.store.known_words import KnownWordStore
from tutor.store.learner_facts import LearnerFactStore
from tutor.store.notebook import NotebookStore
from tutor.store.reports import ReportStore
from tutor.store.review_cards import ReviewStore
from tutor.store.scenario_library import ScenarioLibrary
from tutor.store.search import MessageSearch
from tutor.store.secrets import KeyStore
from tutor.store.sessions import SessionStore
from tutor.store.settings_file import SettingsFile
from tutor.ui.shell.change_relay import ChangeRelay
from tutor.ui.shell.tasks import TaskRunner


@dataclass
class AppContext:
    paths: AppPaths
    settings_file: SettingsFile
    settings: Settings
    """In force in this run; changed through tutor/services/settings.py, which writes the file."""
    sessions: SessionStore
    corrections: CorrectionStore
    search: MessageSearch
    reports: ReportStore
    help_answers: HelpAnswerStore
    """Answers to help requests (translation, look-up, hints…), kept with their session."""
    known_words: KnownWordStore
    coach_scores: CoachScoreStore
    learner_facts: LearnerFactStore
    """The facts the learner shared about themselves (tutor/services/memory.py)."""
    """How each coach model measured on labelled learner texts (Settings → Corrections)."""
    """The learner's correct messages: words the fit meter counts as known."""
    notebook: NotebookStore
    review: ReviewStore
    scenarios: ScenarioLibrary
    keys: KeyStore
    clients: ClientFactory
    tasks: TaskRunner
    redactor: SecretRedactor
    overrides: Overrides = field(default_factory=Overrides)
    speech_engine: str = ""
    """QtTextToSpeech's engine for system voices: "" the platform's, "mock" in tests."""
    changes: ChangeHub = field(default_factory=ChangeHub)
    """Where use cases say what they changed (tutor/services/changes.py)."""
    level_fits: LevelFits = field(default_factory=LevelFits)
    """How each reply fits the learner's level, and what steers the partner's next one."""
    relay: ChangeRelay = field(init=False)
    """Views connect to `relay.changed` to refresh themselves when what they show changed."""

    def __post_init__(self) -> None:
        self.relay = ChangeRelay(self.changes)

    def partner_steering(self) -> ComposedSteering:
        """What the partner's next request adds to the system message: how replies fit
        the level (services/level_fit.py), then the facts the learner shared."""
        return ComposedSteering(self.level_fits, FactsSteering(self))

    # The server in use, decided by tutor/services/server.py (as `tutor doctor` decides it).

    def server_address(self) -> tuple[str, str] | None:
        """(base URL, model) in use: flags and environment win over settings."""
        return server.server_address(self.overrides, self.settings)

    def has_provider(self) -> bool:
        """True when a server and model are known from settings, flags or environment."""
        return server.server_address(self.overrides, self.settings) is not None

    def coach_model(self) -> str | None:
        """The model that checks the learner's messages: its own, or the partner's."""
        return server.coach_model(self.overrides, self.settings)

    def server_config(self) -> ServerConfig | None:
        """The server to talk to now, or None before the welcome is done.

        Reads the keyring, so call it off the GUI thread where a keyring may be slow.
        """
        config = server.server_config(self.overrides, self.settings, self.keys)
        if config is not None and config.api_key:
            self.redactor.add(config.api_key)
        return config
