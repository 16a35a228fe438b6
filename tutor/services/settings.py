"""Changing the settings: the setup (server, key, learner and the rest, from the welcome
or the Settings dialog), the correction style (the Corrections menu), the window layout.

Each writes the settings file first and only then takes the new settings into the
context, so a write that fails (OSError, raised to the caller) changes nothing, in the
file or in this run. A change a view shows is then said on the change hub
(Change.SETTINGS): the menu's checks, the chat's explanations, the appearance and the
status bar's server refresh themselves. The API key never goes to the file: it goes to
the KeyStore (the system keyring, or this run alone).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from tutor.services.changes import Change, ChangeHub

if TYPE_CHECKING:
    from tutor.domain.corrections import CorrectionStyle
    from tutor.domain.profile import LearnerProfile
    from tutor.domain.settings import ProviderSettings, Settings, WindowState
    from tutor.store.secrets import KeyStore
    from tutor.store.settings_file import SettingsFile


class SecretListener(Protocol):
    """What hears a secret, so the log never shows it (tutor.logging_setup.SecretRedactor)."""

    def add(self, secret: str) -> None: ...


class SettingsContext(Protocol):
    """What changing the settings needs of the application."""

    settings: Settings
    """The settings in force in this run; replaced once a write has succeeded."""

    @property
    def settings_file(self) -> SettingsFile: ...
    @property
    def keys(self) -> KeyStore: ...
    @property
    def redactor(self) -> SecretListener: ...
    @property
    def changes(self) -> ChangeHub: ...


def apply_setup(
    context: SettingsContext,
    provider: ProviderSettings,
    api_key: str,
    proxy: str,
    learner: LearnerProfile,
    **changes: Any,
) -> str | None:
    """Save the server, the proxy, the learner and any other `changes` (fields of
    Settings) in one write, then keep the server's key (in the keyring, or for this run
    only when there is none; a blank key removes it). Returns the message the learner
    must see when the key is kept for this run only, else None.

    OSError when the settings file cannot be written: then nothing has changed, the key
    included (it is kept only once the settings that name its server are)."""
    from tutor.store.secrets import KeyLocation

    chosen = context.settings.with_changes(
        provider=provider, learner=learner, proxy=proxy, **changes
    )
    write(context, chosen)
    outcome = context.keys.save(provider.base_url, api_key)
    if api_key:
        context.redactor.add(api_key)
    context.changes.publish(Change.SETTINGS)
    return outcome.message if outcome.location is KeyLocation.THIS_RUN else None


def change_style(context: SettingsContext, style: CorrectionStyle) -> None:
    """The coach's style, chosen in the Corrections menu; it applies from the next check."""
    write(context, context.settings.with_changes(corrections=style))
    context.changes.publish(Change.SETTINGS)


def change_memory(context: SettingsContext, on: bool) -> None:
    """Memory on or off (the facts window's switch: tutor/services/memory.py)."""
    write(context, context.settings.with_changes(memory=on))
    context.changes.publish(Change.SETTINGS)


def keep_window_layout(context: SettingsContext, window: WindowState) -> None:
    """Remember where the window was and how its panes were split, as it closes.

    Nothing is published: no view shows the layout (it is read once, when the next
    window opens), and the views are going away."""
    write(context, context.settings.with_changes(window=window))


def write(context: SettingsContext, settings: Settings) -> None:
    """Write `settings` to the file, then make them the ones in force; publishes nothing.

    For the use cases above, and for choices made where no view shows them yet (the
    first run's choices from the command line, at launch: tutor/services/first_run.py).
    OSError when the file cannot be written; then nothing has changed."""
    context.settings_file.save(settings)
    context.settings = settings
