"""The real system voices on Linux: QtTextToSpeech's speechd engine, through a private
speech-dispatcher with espeak-ng (tests/speech_dispatcher.py), lists voices for the
languages learners practise and speaks a sentence. The interface flows use the `mock`
engine; this is the one check that the real engine works on a machine set up by
scripts/bootstrap."""

from __future__ import annotations

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
