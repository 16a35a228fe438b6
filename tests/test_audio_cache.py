"""Speech audio kept per message (tutor/store/audio_cache.py): found again by message,
voice, speed and text; the least recently played go past the size limit; a removed
session's audio goes with it. And where speech is made (tutor/services/voice.py)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.memory_keyring import MemoryKeyring
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.providers import ProviderKind
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.settings import ProviderSettings, Settings
from tutor.domain.voice_settings import SpeechServer, VoiceSettings
from tutor.services.server import Overrides
from tutor.services.voice import forget_removed_audio, speech_server
from tutor.store.audio_cache import AudioCache, AudioKey
from tutor.store.database import open_database
from tutor.store.secrets import KeyStore
from tutor.store.sessions import SessionStore


def key(message_id: int = 7, **changes: object) -> AudioKey:
    values: dict[str, object] = dict(
        session_id=3, message_id=message_id, voice="ef_dora", speed=1.0, model="m", text="Hola."
    )
    values.update(changes)
    return AudioKey(**values)  # type: ignore[arg-type]


def test_audio_is_found_again_for_the_same_message_voice_speed_and_text(tmp_path: Path) -> None:
    cache = AudioCache.in_data_folder(tmp_path)
    assert cache.find(key()) is None
    stored = cache.store(key(), b"RIFF audio")
    assert cache.find(key()) == stored
    assert stored.read_bytes() == b"RIFF audio"
    assert stored.is_relative_to(tmp_path / "speech-audio" / "3")
    for other in (key(voice="em_alex"), key(speed=0.75), key(text="Hola!"), key(model="x")):
        assert cache.find(other) is None
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]  # no part files left


def test_past_the_limit_the_least_recently_played_go_first(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path / "audio", size_limit=2500)
    paths = [cache.store(key(n), bytes(1000)) for n in (1, 2)]
    for age, path in zip((300, 200), paths, strict=True):
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime - age))
    assert cache.find(key(1)) is not None  # played now: 2 is the oldest
    cache.store(key(3), bytes(1000))
    assert cache.find(key(2)) is None
    assert cache.find(key(1)) is not None and cache.find(key(3)) is not None
    assert cache.size() == 2000
    big = cache.store(key(4), bytes(5000))  # bigger than the limit: kept, others go
    assert big.exists() and cache.size() == 5000


def test_a_removed_sessions_audio_goes_with_it(tmp_path: Path) -> None:
    sessions = SessionStore(open_database(tmp_path / "db.sqlite3"))
    profile = LearnerProfile(target_language="es", level=Level.A2, native_language="en")
    kept, removed = (
        sessions.create_session(
            profile, FREE_CONVERSATION, base_url="http://x/v1", model="m", system_message="s"
        )
        for _ in range(2)
    )
    cache = AudioCache.in_data_folder(tmp_path)
    for session in (kept, removed):
        cache.store(key(session_id=session.id), b"audio")
    sessions.delete_session(removed.id)
    sessions.purge_deleted()
    assert forget_removed_audio(tmp_path, sessions) == 1
    assert cache.find(key(session_id=kept.id)) is not None
    assert cache.find(key(session_id=removed.id)) is None


def test_speech_is_made_on_the_chat_server_unless_another_is_named() -> None:
    keys = KeyStore(MemoryKeyring())
    keys.save("http://chat/v1", "sk-chat-key")
    keys.save("http://speech/v1", "sk-speech-key")
    settings = Settings(
        provider=ProviderSettings(ProviderKind.OPENAI, "http://chat/v1", "gpt-4o-mini")
    )
    choice = speech_server(Overrides(), settings, keys)
    assert choice is not None and not choice.separate
    assert (choice.config.base_url, choice.config.api_key) == ("http://chat/v1", "sk-chat-key")
    assert choice.config.model == "gpt-4o-mini-tts"
    voice = VoiceSettings(speech_server=SpeechServer("http://speech/v1", "kokoro"))
    choice = speech_server(Overrides(), settings.with_changes(voice=voice), keys)
    assert choice is not None and choice.separate
    assert (choice.config.base_url, choice.config.api_key) == ("http://speech/v1", "sk-speech-key")
    assert choice.config.model == "kokoro"
    assert speech_server(Overrides(), Settings(), keys) is None
