"""The one application context: built in tutor/app.py and passed to every window."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tutor.domain.settings import Settings
from tutor.llm.client import ServerConfig
from tutor.llm.factory import ClientFactory
from tutor.logging_setup import SecretRedactor
from tutor.paths import AppPaths
from tutor.services.changes import ChangeHub
from tutor.store.corrections import CorrectionStore
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


@dataclass(frozen=True)
class Overrides:
    """Values given on the command line or in the environment; they win over settings."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str], *, base_url: str | None, model: str | None
    ) -> Overrides:
        return cls(
            base_url=base_url or environ.get("OPENAI_BASE_URL") or None,
            model=model,
            api_key=environ.get("OPENAI_API_KEY") or None,
        )


@dataclass
class AppContext:
    paths: AppPaths
    settings_file: SettingsFile
    settings: Settings
    sessions: SessionStore
    corrections: CorrectionStore
    search: MessageSearch
    reports: ReportStore
    notebook: NotebookStore
    review: ReviewStore
    scenarios: ScenarioLibrary
    keys: KeyStore
    clients: ClientFactory
    tasks: TaskRunner
    redactor: SecretRedactor
    overrides: Overrides = field(default_factory=Overrides)
    changes: ChangeHub = field(default_factory=ChangeHub)
    """Where use cases say what they changed (tutor/services/changes.py)."""
    relay: ChangeRelay = field(init=False)
    """Views connect to `relay.changed` to refresh themselves when what they show changed."""

    def __post_init__(self) -> None:
        self.relay = ChangeRelay(self.changes)

    def save_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.settings_file.save(settings)

    def server_address(self) -> tuple[str, str] | None:
        """(base URL, model) in use: flags and environment win over settings."""
        provider = self.settings.provider
        base_url = self.overrides.base_url or (provider.base_url if provider else None)
        model = self.overrides.model or (provider.model if provider else None)
        return (base_url, model) if base_url and model else None

    def has_provider(self) -> bool:
        """True when a server and model are known from settings, flags or environment."""
        return self.server_address() is not None

    def coach_model(self) -> str | None:
        """The model that checks the learner's messages: its own, or the partner's."""
        address = self.server_address()
        if address is None:
            return None
        return self.settings.coach_model or address[1]

    def server_config(self) -> ServerConfig | None:
        """The server to talk to now, or None before the welcome is done.

        Reads the keyring, so call it off the GUI thread where a keyring may be slow.
        """
        address = self.server_address()
        if address is None:
            return None
        base_url, model = address
        key = self.overrides.api_key or self.keys.get(base_url)
        if key:
            self.redactor.add(key)
        return ServerConfig(base_url=base_url, model=model, api_key=key, proxy=self.settings.proxy)
