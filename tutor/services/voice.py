"""Listening to the partner: which server makes speech and with which key, the voice
settings changed (Settings → Voice, the window's read-aloud switch and speed), and the
speech audio of removed sessions removed with them.

The speech server is the chat server (its address and key, as tutor/services/server.py
decides them) unless Settings → Voice names another address; that one's key is kept in
the keyring under its own address, as every server's key is, so a separate speech
server (Kokoro-FastAPI on this computer, OpenAI while chatting with a local model)
never sees the chat server's key.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tutor.domain.voice_settings import DEFAULT_SPEECH_MODEL, clamp_speed
from tutor.services import server
from tutor.services.changes import Change
from tutor.store.audio_cache import AudioCache

if TYPE_CHECKING:
    from tutor.domain.settings import Settings
    from tutor.llm.connection import ServerConfig
    from tutor.services.server import Overrides
    from tutor.services.settings import SettingsContext
    from tutor.store.secrets import KeyStore
    from tutor.store.sessions import SessionStore


class SpeechServerChoice(NamedTuple):
    config: ServerConfig
    separate: bool
    """Not the chat server: its key is set in Settings → Voice."""


def speech_server(
    overrides: Overrides, settings: Settings, keys: KeyStore
) -> SpeechServerChoice | None:
    """Where speech is made, with its model and key; None when it is the chat server and
    none is set up yet. Reads the keyring: call it off the GUI thread."""
    chosen = settings.voice.speech_server
    model = chosen.model.strip() or DEFAULT_SPEECH_MODEL
    if chosen.is_chat_server:
        address = server.server_address(overrides, settings)
        if address is None:
            return None
        base_url = address[0]
        key = server.api_key(overrides, keys, base_url)
        return SpeechServerChoice(server.connection(base_url, model, key, settings), False)
    base_url = chosen.base_url.strip()
    return SpeechServerChoice(
        server.connection(base_url, model, keys.get(base_url), settings), True
    )


def keep_speech_key(context: SettingsContext, address: str, key: str | None) -> str | None:
    """Keep a separate speech server's key (Settings → Voice), under its address; None
    leaves the stored key as it is, "" removes it. Returns what the learner must hear
    when the key is kept for this run only."""
    from tutor.store.secrets import KeyLocation

    base_url = address.strip()
    if key is None or not base_url:
        return None
    outcome = context.keys.save(base_url, key)
    if key:
        context.redactor.add(key)
    return outcome.message if outcome.location is KeyLocation.THIS_RUN else None


def set_read_aloud(context: SettingsContext, on: bool) -> None:
    """The window's switch: speak each reply as it arrives."""
    from dataclasses import replace

    from tutor.services.settings import write

    voice = replace(context.settings.voice, read_aloud=on)
    write(context, context.settings.with_changes(voice=voice))
    context.changes.publish(Change.SETTINGS)


def set_speed(context: SettingsContext, language_code: str, speed: float) -> None:
    """The speed the target language is spoken at, from the next sentence."""
    from dataclasses import replace

    from tutor.services.settings import write

    voice = context.settings.voice
    chosen = replace(voice.voice_for(language_code), speed=clamp_speed(speed))
    write(context, context.settings.with_changes(voice=voice.with_voice(language_code, chosen)))
    context.changes.publish(Change.SETTINGS)


def audio_cache(data_dir: Path) -> AudioCache:
    return AudioCache.in_data_folder(data_dir)


def forget_removed_audio(data_dir: Path, sessions: SessionStore) -> int:
    """Remove the speech audio of sessions no longer there (purged at start); how many
    sessions' audio went. Call it after `purge_deleted`: a session deleted and not yet
    purged waits for an undo, and so does its audio."""
    return audio_cache(data_dir).forget_sessions(
        lambda session_id: sessions.live_session(session_id) is not None
    )
