"""Which model server Tutor talks to, decided in one place for the window and `tutor doctor`.

The rule, for each value on its own:
- base URL: `--base-url`, then `OPENAI_BASE_URL`, then the settings' server;
- model: `--model`, then the settings' model (no environment variable names a model);
- key: `OPENAI_API_KEY`, then the keyring's entry for the base URL in use;
- coach model: the settings' coach model, or else the partner's model;
- proxy: the settings' (empty: the environment's, as httpx decides).

`Overrides` holds what the command line and the environment said, read once at start.
The window (AppContext, through thin methods of the same names) and the doctor both ask
the functions below, so they cannot disagree. Everything but the key is a few attribute
reads: the window asks on every message it sends and every status update. The key is
read from the keyring once a run (KeyStore keeps it), so ask for a ServerConfig off the
GUI thread the first time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, Protocol

from tutor.i18n.translate import N_, _
from tutor.llm.client import ServerConfig
from tutor.llm.errors import ErrorKind, LlmError

if TYPE_CHECKING:
    from tutor.domain.settings import Settings
    from tutor.llm.client import ChatClient
    from tutor.llm.factory import ClientFactory
    from tutor.store.secrets import KeyStore

BASE_URL_FLAG = "--base-url"
BASE_URL_VARIABLE = "OPENAI_BASE_URL"
MODEL_FLAG = "--model"
KEY_VARIABLE = "OPENAI_API_KEY"
FROM_SETTINGS = "settings"
NO_SERVER = N_("No model server is set up yet. Open Settings to choose one.")
"""Said wherever a request cannot leave because no server is chosen yet: `_(NO_SERVER)`."""


@dataclass(frozen=True)
class Overrides:
    """Values given on the command line or in the environment; they win over settings."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    base_url_from: str = BASE_URL_FLAG
    """Where `base_url` came from: BASE_URL_FLAG or BASE_URL_VARIABLE."""

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str], *, base_url: str | None, model: str | None
    ) -> Overrides:
        """The flags given (`base_url`, `model`: None when absent) and the environment."""
        from_variable = not base_url and bool(environ.get(BASE_URL_VARIABLE))
        return cls(
            base_url=base_url or environ.get(BASE_URL_VARIABLE) or None,
            model=model,
            api_key=environ.get(KEY_VARIABLE) or None,
            base_url_from=BASE_URL_VARIABLE if from_variable else BASE_URL_FLAG,
        )


class Chosen(NamedTuple):
    """A value and where it came from ("--base-url", "OPENAI_BASE_URL", "--model",
    "settings"); both None when nothing gives it."""

    value: str | None
    source: str | None


def chosen_base_url(overrides: Overrides, settings: Settings) -> Chosen:
    if overrides.base_url:
        return Chosen(overrides.base_url, overrides.base_url_from)
    if settings.provider is not None:
        return Chosen(settings.provider.base_url, FROM_SETTINGS)
    return Chosen(None, None)


def chosen_model(overrides: Overrides, settings: Settings) -> Chosen:
    if overrides.model:
        return Chosen(overrides.model, MODEL_FLAG)
    if settings.provider is not None:
        return Chosen(settings.provider.model, FROM_SETTINGS)
    return Chosen(None, None)


def server_address(overrides: Overrides, settings: Settings) -> tuple[str, str] | None:
    """(base URL, model) in use, or None while either is unknown (before the welcome)."""
    base_url = chosen_base_url(overrides, settings).value
    model = chosen_model(overrides, settings).value
    return (base_url, model) if base_url and model else None


def coach_model(overrides: Overrides, settings: Settings) -> str | None:
    """The model that checks the learner's messages: its own, or the partner's."""
    address = server_address(overrides, settings)
    if address is None:
        return None
    return settings.coach_model or address[1]


def api_key(overrides: Overrides, keys: KeyStore, base_url: str) -> str | None:
    """The key sent to `base_url`: the environment's, else the keyring's (may be slow the
    first time: a keyring read is a D-Bus round trip on Linux)."""
    return overrides.api_key or keys.get(base_url)


def connection(base_url: str, model: str, key: str | None, settings: Settings) -> ServerConfig:
    """How to reach the server: its address, model and key, through the settings' proxy."""
    return ServerConfig(base_url=base_url, model=model, api_key=key, proxy=settings.proxy)


def server_config(overrides: Overrides, settings: Settings, keys: KeyStore) -> ServerConfig | None:
    """The server to talk to now, or None before the welcome is done. Reads the keyring."""
    address = server_address(overrides, settings)
    if address is None:
        return None
    base_url, model = address
    return connection(base_url, model, api_key(overrides, keys, base_url), settings)


class ClientSource(Protocol):
    """What reaching the server in use needs (the interface's context has it)."""

    @property
    def clients(self) -> ClientFactory: ...
    def server_config(self) -> ServerConfig | None: ...


def current_client(context: ClientSource) -> ChatClient:
    """The client of the server in use now, for the partner, the coach or the summary.
    Reads the keyring (once a run): call it off the GUI thread. LlmError, in words, when
    no server is set up yet."""
    config = context.server_config()
    if config is None:
        raise LlmError(ErrorKind.UNEXPECTED, _(NO_SERVER))
    return context.clients.client(config)
