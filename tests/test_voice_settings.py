"""Voice settings survive the settings file, and a bad value costs only itself."""

from tutor.domain.settings import Settings, settings_from_dict
from tutor.domain.voice_settings import (
    FASTEST_SPEED,
    SLOWEST_SPEED,
    LanguageVoice,
    SpeechServer,
    VoiceSettings,
    voice_settings_from_dict,
)


def test_voice_settings_round_trip_through_the_file_format() -> None:
    voice = VoiceSettings(
        read_aloud=True,
        talk_mode=True,
        keep_recordings=False,
        microphone="mic-2",
        speech_server=SpeechServer("http://127.0.0.1:8880/v1", "kokoro"),
    ).with_voice("es", LanguageVoice("server", "nova", 0.75))
    settings = Settings(voice=voice)
    assert settings_from_dict(settings.to_dict()) == settings


def test_a_file_without_voice_settings_gets_the_defaults() -> None:
    data = Settings().to_dict()
    del data["voice"]
    assert settings_from_dict(data).voice == VoiceSettings()


def test_bad_values_fall_back_one_by_one() -> None:
    voice = voice_settings_from_dict(
        {
            "read_aloud": "yes",
            "talk_mode": True,
            "languages": {
                "es": {"engine": "telepathy", "voice": 3, "speed": 9},
                "ja": {"speed": 0.1},
                "": {"engine": "server"},
            },
            "speech_server": ["not", "an", "object"],
        }
    )
    assert voice.read_aloud is False
    assert voice.talk_mode is True
    assert voice.voice_for("es") == LanguageVoice("system", "", FASTEST_SPEED)
    assert voice.voice_for("ja").speed == SLOWEST_SPEED
    assert "" not in voice.languages
    assert voice.speech_server == SpeechServer()
    assert voice.voice_for("ko") == LanguageVoice()


def test_talk_mode_always_sends_the_transcript_at_once() -> None:
    assert VoiceSettings(talk_mode=True).sends_transcript_at_once
    assert VoiceSettings(send_transcript_at_once=True).sends_transcript_at_once
    assert not VoiceSettings().sends_transcript_at_once
