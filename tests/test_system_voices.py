"""The real system voices on Linux: QtTextToSpeech's speechd engine, through a private
speech-dispatcher with espeak-ng (tests/speech_dispatcher.py), lists voices for the
languages learners practise and speaks a sentence. The interface flows use the `mock`
engine; this is the one check that the real engine works on a machine set up by
scripts/bootstrap."""

from __future__ import annotations

import array
import time
import wave

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtTextToSpeech import QTextToSpeech

from tests.speech_dispatcher import SpeechDispatcher
from tests.system_packages import skip_unless_installed


def _ready_engine(qtbot, running: SpeechDispatcher) -> QTextToSpeech:
    assert "speechd" in QTextToSpeech.availableEngines()
    engine = QTextToSpeech("speechd")
    qtbot.waitUntil(lambda: engine.state() != QTextToSpeech.State.Synthesizing, timeout=10_000)
    assert engine.state() == QTextToSpeech.State.Ready, (
        f"{engine.state()}: {engine.errorString()}\n{running.log()}"
    )
    return engine


def test_the_system_engine_has_voices_for_spanish_japanese_korean_and_speaks_spanish(
    qtbot, speech_dispatcher: SpeechDispatcher
):
    engine = _ready_engine(qtbot, speech_dispatcher)
    # As Settings → Voice finds a language's voices: its locales, then their voices.
    for language in (QLocale.Language.Spanish, QLocale.Language.Japanese, QLocale.Language.Korean):
        locales = [locale for locale in engine.availableLocales() if locale.language() == language]
        assert locales, f"no {language.name} among {len(engine.availableLocales())} locales"
        engine.setLocale(locales[0])
        assert engine.locale() == locales[0]
        voices = engine.availableVoices()
        assert voices, f"no {language.name} voice"
        assert {voice.locale().language() for voice in voices} == {language}

    engine.setLocale(QLocale("es_ES"))
    assert engine.voice().locale().language() == QLocale.Language.Spanish
    states: list[QTextToSpeech.State] = []
    errors: list[str] = []
    engine.stateChanged.connect(states.append)
    engine.errorOccurred.connect(lambda _reason, text: errors.append(text))
    engine.say("Hola, ¿cómo estás? Me gustaría un café con leche.")
    qtbot.waitUntil(lambda: QTextToSpeech.State.Speaking in states, timeout=10_000)
    # Audio goes to libao's null driver, which does not wait: the sentence ends at once.
    qtbot.waitUntil(lambda: engine.state() == QTextToSpeech.State.Ready, timeout=10_000)
    assert errors == [], speech_dispatcher.log()
    assert QTextToSpeech.State.Error not in states


def test_without_speech_dispatcher_the_system_engine_says_so(qtbot, tmp_path, monkeypatch):
    """No server at the address (none running, none spawned): an error, no voices. On a
    desktop libspeechd starts the user's speech-dispatcher itself; SPEECHD_ADDRESS set
    to a socket that is not there turns that off."""
    if "speechd" not in QTextToSpeech.availableEngines():
        skip_unless_installed("QtTextToSpeech's speechd plugin needs libspeechd2 (bootstrap)")
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{tmp_path / 'none.sock'}")
    engine = QTextToSpeech("speechd")
    qtbot.waitUntil(lambda: engine.state() != QTextToSpeech.State.Synthesizing, timeout=10_000)
    assert engine.state() == QTextToSpeech.State.Error
    assert "speech-dispatcher" in engine.errorString()
    assert engine.availableLocales() == []


def test_an_engine_without_the_language_keeps_its_own_voice():
    """setLocale() to a language the engine has no voice for changes nothing, silently:
    Settings → Voice must look in availableLocales() to say "no voice for Korean"."""
    engine = QTextToSpeech("mock")
    korean = QLocale("ko_KR")
    assert korean.language() not in {locale.language() for locale in engine.availableLocales()}
    before = engine.locale()
    engine.setLocale(korean)
    assert engine.locale() == before
    assert all(v.locale().language() != korean.language() for v in engine.availableVoices())


@pytest.fixture
def _asked_for_slow(request: pytest.FixtureRequest) -> None:
    """Skips before the servers start, unless the run asked for slow tests."""
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("slow (about 7 s): run with -m slow")


@pytest.mark.slow
@pytest.mark.usefixtures("_asked_for_slow")
def test_a_system_voice_speaks_aloud_in_real_time(
    qtbot, speech_dispatcher_with_sound, pulse_audio, tmp_path
):
    """Through speech-dispatcher's PulseAudio output to the private server's speakers:
    the sentence is heard, and Speaking lasts as long as the speech."""
    engine = _ready_engine(qtbot, speech_dispatcher_with_sound)
    engine.setLocale(QLocale("es_ES"))
    heard = tmp_path / "speakers.wav"
    recorder = pulse_audio.record_speakers(heard)
    states: list[tuple[float, QTextToSpeech.State]] = []
    engine.stateChanged.connect(lambda state: states.append((time.monotonic(), state)))
    try:
        engine.say("Hola, ¿cómo estás?")
        qtbot.waitUntil(
            lambda: QTextToSpeech.State.Speaking in dict(states).values(), timeout=10_000
        )
        qtbot.waitUntil(lambda: engine.state() == QTextToSpeech.State.Ready, timeout=20_000)
    finally:
        recorder.terminate()
        recorder.wait(timeout=10)
    assert engine.state() == QTextToSpeech.State.Ready, speech_dispatcher_with_sound.log()
    started = next(at for at, state in states if state == QTextToSpeech.State.Speaking)
    ended = next(at for at, state in states if at > started and state == QTextToSpeech.State.Ready)
    # About 1.5 s aloud; the silent fixture's null driver ends it in a few milliseconds.
    assert ended - started > 0.8, f"spoke for {ended - started:.2f} s"
    with wave.open(str(heard), "rb") as reader:
        samples = array.array("h")
        samples.frombytes(reader.readframes(reader.getnframes()))
    loud = sum(1 for sample in samples if abs(sample) > 3000)
    assert loud > 1000, f"{loud} loud samples of {len(samples)}: the speech was not heard"
