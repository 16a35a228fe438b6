"""The speaking side of a spoken conversation, without Qt: where a recording is
transcribed (the chat server, or an address of its own with its own key), and the voice
settings changed from the window (talk mode) or from Settings.

A separate transcription server's key is kept in the keyring under its own entry
(`transcription_key_entry`), so it never replaces the chat server's key when both are
at the same address with different keys (a proxy in front of two services).
"""

from __future__ import annotations

from typing import Protocol

from tutor.domain.settings import Settings
from tutor.domain.voice_settings import DEFAULT_TRANSCRIPTION_MODEL, VoiceSettings
from tutor.i18n.translate import _
from tutor.llm.client import ServerConfig
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.transcription import TranscriptionServer
from tutor.services import settings as settings_changes
from tutor.services.changes import Change
from tutor.services.server import NO_SERVER
from tutor.store.secrets import KeyStore


def transcription_key_entry(base_url: str) -> str:
    """The keyring entry of a transcription server's key."""
    return f"transcription {base_url.strip()}"  # i18n: ignore (a keyring entry)


class SpeakingContext(Protocol):
    @property
    def settings(self) -> Settings: ...
    @property
    def keys(self) -> KeyStore: ...
    def server_config(self) -> ServerConfig | None: ...


def transcription_server(context: SpeakingContext) -> TranscriptionServer:
    """Where recordings are transcribed now. Reads the keyring: call it off the GUI
    thread. LlmError, in words, when it is the chat server and none is set up."""
    voice = context.settings.voice
    chosen = voice.transcription_server
    model = chosen.model.strip() or DEFAULT_TRANSCRIPTION_MODEL
    if chosen.is_chat_server:
        config = context.server_config()
        if config is None:
            raise LlmError(ErrorKind.UNEXPECTED, _(NO_SERVER))
        return TranscriptionServer(config.base_url, config.api_key, model, config.proxy)
    base_url = chosen.base_url.strip()
    key = context.keys.get(transcription_key_entry(base_url))
    return TranscriptionServer(base_url, key, model, context.settings.proxy)


def change_voice(context: settings_changes.SettingsContext, voice: VoiceSettings) -> None:
    """Save the voice settings (talk mode from the window, the microphone and
    transcription from Settings). OSError when the file cannot be written: then nothing
    has changed."""
    settings_changes.write(context, context.settings.with_changes(voice=voice))
    context.changes.publish(Change.SETTINGS)


def save_transcription_key(keys: KeyStore, base_url: str, key: str) -> str | None:
    """Keep a transcription server's key (a blank key removes it). The message to show
    when it is kept for this run only, else None."""
    from tutor.store.secrets import KeyLocation

    outcome = keys.save(transcription_key_entry(base_url), key)
    return outcome.message if outcome.location is KeyLocation.THIS_RUN else None
