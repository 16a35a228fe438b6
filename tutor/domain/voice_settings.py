"""How Tutor speaks and listens: the voice per target language, the speech and
transcription servers, and the switches of a spoken conversation.

Lenient when read, like the correction style: a voice setting is a preference, and a bad
value (a file edited by hand, a voice since uninstalled) is not worth losing the settings
file for; it falls back to its default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

VoiceEngine = Literal["system", "server"]
VOICE_ENGINES: tuple[VoiceEngine, ...] = ("system", "server")
SLOWEST_SPEED = 0.5
FASTEST_SPEED = 1.25
"""Slow playback is what beginners ask for most; faster than 1.25× helps nobody learn."""
SPEED_STEPS = (0.5, 0.6, 0.75, 0.9, 1.0, 1.1, 1.25)
LONGEST_RECORDING_SECONDS = 60
"""A recording stops by itself after this long: a turn of conversation, not a speech."""


@dataclass(frozen=True)
class LanguageVoice:
    """How one target language is spoken."""

    engine: VoiceEngine = "system"
    voice: str = ""
    """The system voice's name, or the server's voice id; empty means the first voice the
    engine has for the language (system) or the server's default (server)."""
    speed: float = 1.0
    """Playback rate, SLOWEST_SPEED to FASTEST_SPEED."""


@dataclass(frozen=True)
class SpeechServer:
    """Where speech is made or transcribed. An empty address means the chat server (and
    its key); another address has its own key in the keyring."""

    base_url: str = ""
    model: str = ""
    """Empty means the default for the job (domain.voice_settings.DEFAULT_*_MODEL)."""

    @property
    def is_chat_server(self) -> bool:
        return not self.base_url.strip()


DEFAULT_SPEECH_MODEL = "gpt-4o-mini-tts"
DEFAULT_SPEECH_VOICE = "alloy"
DEFAULT_TRANSCRIPTION_MODEL = "whisper-1"


@dataclass(frozen=True)
class VoiceSettings:
    read_aloud: bool = False
    """Speak each reply sentence by sentence as it streams in."""
    talk_mode: bool = False
    """Hands free: the reply is spoken, then the microphone is ready again, and a
    transcript is sent as soon as it arrives."""
    send_transcript_at_once: bool = False
    """Send a transcript as a message without stopping in the composer (talk mode always
    does)."""
    keep_recordings: bool = True
    """Keep the learner's recording with their message, to hear it beside the partner."""
    microphone: str = ""
    """The QAudioDevice id of the microphone; empty means the system's default."""
    languages: dict[str, LanguageVoice] = field(default_factory=dict)
    """By target language code (Language.code)."""
    speech_server: SpeechServer = field(default_factory=SpeechServer)
    transcription_server: SpeechServer = field(default_factory=SpeechServer)

    def voice_for(self, language_code: str) -> LanguageVoice:
        return self.languages.get(language_code, LanguageVoice())

    def with_voice(self, language_code: str, voice: LanguageVoice) -> VoiceSettings:
        return replace(self, languages={**self.languages, language_code: voice})

    @property
    def sends_transcript_at_once(self) -> bool:
        return self.talk_mode or self.send_transcript_at_once


def clamp_speed(value: float) -> float:
    return min(FASTEST_SPEED, max(SLOWEST_SPEED, value))


def voice_settings_from_dict(data: Any) -> VoiceSettings:
    """VoiceSettings from parsed JSON; anything unusable falls back to its default."""
    if not isinstance(data, dict):
        return VoiceSettings()
    default = VoiceSettings()
    languages: dict[str, LanguageVoice] = {}
    raw_languages = data.get("languages")
    if isinstance(raw_languages, dict):
        for code, raw in raw_languages.items():
            if isinstance(code, str) and 0 < len(code) <= 35 and isinstance(raw, dict):
                languages[code] = _language_voice(raw)
    return VoiceSettings(
        read_aloud=_flag(data.get("read_aloud"), default.read_aloud),
        talk_mode=_flag(data.get("talk_mode"), default.talk_mode),
        send_transcript_at_once=_flag(
            data.get("send_transcript_at_once"), default.send_transcript_at_once
        ),
        keep_recordings=_flag(data.get("keep_recordings"), default.keep_recordings),
        microphone=_short_text(data.get("microphone")),
        languages=languages,
        speech_server=_server(data.get("speech_server")),
        transcription_server=_server(data.get("transcription_server")),
    )


def _language_voice(data: dict[str, Any]) -> LanguageVoice:
    engine = data.get("engine")
    speed = data.get("speed")
    return LanguageVoice(
        engine=engine if engine in VOICE_ENGINES else "system",
        voice=_short_text(data.get("voice")),
        speed=(
            clamp_speed(float(speed))
            if isinstance(speed, (int, float)) and not isinstance(speed, bool)
            else 1.0
        ),
    )


def _server(data: Any) -> SpeechServer:
    if not isinstance(data, dict):
        return SpeechServer()
    return SpeechServer(
        base_url=_short_text(data.get("base_url")), model=_short_text(data.get("model"))
    )


def _flag(value: Any, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _short_text(value: Any) -> str:
    return value if isinstance(value, str) and len(value) <= 1024 else ""
