"""Listening (tutor/ui/voice/speaker.py): a message said sentence by sentence with the
system's voices (QtTextToSpeech's mock engine) or a server's (the test server's speech
endpoint), a streamed reply heard before it has ended, stopping at once, a replay from
the cache, and every fault in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.fake_audio import ClockPlayer
from tests.openai_server import OpenAITestServer
from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.voice_settings import LanguageVoice, SpeechServer, VoiceSettings
from tutor.llm.connection import ServerConfig, Timeouts
from tutor.services.voice import SpeechServerChoice
from tutor.store.audio_cache import AudioCache
from tutor.ui.voice.server_voice import ServerVoice
from tutor.ui.voice.speaker import Speaker
from tutor.ui.voice.system_voice import SystemVoice, rate_for

FINNISH = "Hyvää päivää. Mitä kuuluu? Kiitos hyvää."


def message(text: str = FINNISH, message_id: int = 5) -> ChatMessage:
    return ChatMessage(message_id, 2, Role.ASSISTANT, text, datetime.now(UTC))


class Voices:
    """The voice settings a test changes as it goes."""

    def __init__(self) -> None:
        self.settings = VoiceSettings()


@pytest.fixture
def voices() -> Iterator[Voices]:
    yield Voices()
    for speaker in MADE:
        speaker.system.shutdown()
    MADE.clear()


MADE: list[Speaker] = []


def make_speaker(
    qtbot: QtBot,
    voices: Voices,
    tmp_path: Path,
    server: OpenAITestServer | None = None,
    *,
    output: bool = True,
    key: str | None = None,
) -> Speaker:
    def choice() -> SpeechServerChoice | None:
        if server is None:
            return None
        return SpeechServerChoice(ServerConfig(server.base_url, "kokoro", key), True)

    ClockPlayer.made.clear()
    server_voice = ServerVoice(
        choice,
        AudioCache.in_data_folder(tmp_path),
        timeouts=Timeouts(connect=1.0, read=1.0),
        player=ClockPlayer,
        output_check=lambda: output,
    )
    speaker = Speaker(lambda: voices.settings, SystemVoice("mock"), server_voice)
    MADE.append(speaker)
    return speaker


def test_a_message_is_said_sentence_by_sentence(
    qtbot: QtBot, voices: Voices, tmp_path: Path
) -> None:
    speaker = make_speaker(qtbot, voices, tmp_path)
    heard: list[tuple[int, int, int]] = []
    speaker.sentence_started.connect(lambda *a: heard.append(a))
    with qtbot.waitSignal(speaker.speaking_changed, check_params_cb=lambda on: on):
        speaker.speak_message(message(), "fi")
    assert speaker.is_speaking and speaker.message_id == 5
    with qtbot.waitSignal(speaker.idle, timeout=10_000):
        pass
    assert heard == [(5, 0, 13), (5, 14, 26), (5, 27, 40)]
    assert not speaker.is_speaking


def test_the_engine_speaks_in_the_languages_voice_at_its_speed(
    qtbot: QtBot, voices: Voices, tmp_path: Path
) -> None:
    voices.settings = VoiceSettings().with_voice("fi", LanguageVoice("system", "Anneli", 0.75))
    speaker = make_speaker(qtbot, voices, tmp_path)
    with qtbot.waitSignal(speaker.sentence_started):
        speaker.speak_message(message(), "fi")
    assert speaker.system.voice_name == "Anneli"
    assert speaker.system.rate == pytest.approx(-0.5)
    assert ("Anneli", "fi_FI") in speaker.system.voices("fi")


def test_speed_maps_to_the_engines_rate() -> None:
    assert rate_for(0.5) == -1.0
    assert rate_for(0.75) == -0.5
    assert rate_for(1.0) == 0.0
    assert rate_for(1.25) == 0.25


def test_a_language_without_a_voice_says_what_to_install(
    qtbot: QtBot, voices: Voices, tmp_path: Path
) -> None:
    speaker = make_speaker(qtbot, voices, tmp_path)
    with qtbot.waitSignal(speaker.problem) as problem:
        speaker.speak_message(message("Hola. ¿Qué tal?"), "es")
    assert "No system voice speaks Spanish" in problem.args[0]
    assert "espeak-ng" in problem.args[0]
    assert not speaker.is_speaking


def test_a_streamed_reply_is_heard_before_it_ends(
    qtbot: QtBot, voices: Voices, tmp_path: Path
) -> None:
    speaker = make_speaker(qtbot, voices, tmp_path)
    heard: list[tuple[int, int, int]] = []
    speaker.sentence_started.connect(lambda *a: heard.append(a))
    speaker.start_stream(9, "fi", session_id=2)
    speaker.feed_stream(9, "Hyvää")
    speaker.feed_stream(9, "Hyvää päivää.")
    assert heard == [] and not speaker.is_speaking  # not sure yet that it has ended
    speaker.feed_stream(9, "Hyvää päivää. Mi")
    qtbot.waitUntil(lambda: heard == [(9, 0, 13)])
    speaker.feed_stream(9, "Hyvää päivää. Mitä kuuluu")
    with qtbot.waitSignal(speaker.idle, timeout=10_000):
        speaker.end_stream(9)
    assert heard == [(9, 0, 13), (9, 14, 25)]


def test_stop_silences_at_once_and_a_stopped_stream_is_not_read_further(
    qtbot: QtBot, voices: Voices, tmp_path: Path
) -> None:
    speaker = make_speaker(qtbot, voices, tmp_path)
    speaker.start_stream(9, "fi")
    speaker.feed_stream(9, "Hyvää päivää. Mitä kuuluu? ")
    qtbot.waitUntil(lambda: speaker.is_speaking)
    with qtbot.waitSignal(speaker.speaking_changed, check_params_cb=lambda on: not on):
        speaker.stop()
    speaker.feed_stream(9, "Hyvää päivää. Mitä kuuluu? Kiitos. Hei. ")
    speaker.end_stream(9)
    qtbot.wait(300)
    assert not speaker.is_speaking


def test_replay_says_the_last_message_again(qtbot: QtBot, voices: Voices, tmp_path: Path) -> None:
    speaker = make_speaker(qtbot, voices, tmp_path)
    assert not speaker.replay_last()
    speaker.remember(message("Hei. Moi."), "fi")
    heard: list[tuple[int, int, int]] = []
    speaker.sentence_started.connect(lambda *a: heard.append(a))
    with qtbot.waitSignal(speaker.idle, timeout=10_000):
        assert speaker.replay_last()
    assert heard == [(5, 0, 4), (5, 5, 9)]


# ---- server voices


def server_voices(voices: Voices) -> None:
    voices.settings = VoiceSettings(
        speech_server=SpeechServer("http://speech", "kokoro")
    ).with_voice("es", LanguageVoice("server", "ef_dora", 0.75))


def test_server_voices_ask_the_server_then_replay_from_the_cache(
    qtbot: QtBot, voices: Voices, tmp_path: Path, server: OpenAITestServer
) -> None:
    server_voices(voices)
    server.speech.seconds_per_character = 0.05
    speaker = make_speaker(qtbot, voices, tmp_path, server)
    heard: list[tuple[int, int, int]] = []
    speaker.sentence_started.connect(lambda *a: heard.append(a))
    with qtbot.waitSignal(speaker.idle, timeout=10_000):
        speaker.speak_message(message("Hola. ¿Qué tal?"), "es")
    assert heard == [(5, 0, 5), (5, 6, 15)]
    requests = server.speech.requests
    assert [(r.model, r.voice, r.input, r.speed) for r in requests] == [
        ("kokoro", "ef_dora", "Hola.", 0.75),
        ("kokoro", "ef_dora", "¿Qué tal?", 0.75),
    ]
    assert {r.response_format for r in requests} == {"pcm"}
    played = b"".join(bytes(p.audio) for p in ClockPlayer.made)
    assert len(played) == round((5 + 9) * 0.05 * 24_000) * 2  # 0.7 s of 16-bit audio
    with qtbot.waitSignal(speaker.idle, timeout=10_000):
        speaker.replay_last()
    assert len(server.speech.requests) == 2, "a replay costs nothing"
    assert speaker.server.cache_hits == 2
    assert b"".join(bytes(p.audio) for p in ClockPlayer.made[2:]) == played


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("key", "refused the API key (401)"),
        ("404", "does not make speech"),
        ("500", "had a problem (500)"),
        ("hang", "did not answer in time"),
        ("down", "Nothing answers at"),
        ("output", "No sound output was found"),
    ],
)
def test_each_server_fault_is_said(
    qtbot: QtBot,
    voices: Voices,
    tmp_path: Path,
    server: OpenAITestServer,
    fault: str,
    words: str,
) -> None:
    server_voices(voices)
    key = None
    if fault == "key":
        server.api_key = "sk-the-right-one"
        key = "sk-a-wrong-one-1234"
    elif fault == "404":
        server.speech.enabled = False
    elif fault == "500":
        server.speech.fail_next(500)
    elif fault == "hang":
        server.speech.hang_next()
    elif fault == "down":
        server.stop()
    speaker = make_speaker(qtbot, voices, tmp_path, server, output=fault != "output", key=key)
    with qtbot.waitSignal(speaker.problem, timeout=5_000) as problem:
        speaker.speak_message(message("Hola. ¿Qué tal?"), "es")
    assert words in problem.args[0]
    assert not speaker.is_speaking
    server.release_hanging()
