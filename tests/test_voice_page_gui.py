"""Settings → Voice, clicked through like a learner: the voices of the language, the
speed, read aloud, a Test that is heard (QtTextToSpeech's mock engine, the test
server's speech), the speech server's voices and key, and each problem in words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.gui_helpers import close_app, practice_argv, start_app, type_text, wait_until_idle
from tests.openai_server import OpenAITestServer
from tests.speech_endpoint import KOKORO_VOICES
from tutor.domain.voice_settings import LanguageVoice
from tutor.ui.setup.setup_dialogs import SettingsDialog
from tutor.ui.setup.voice_page import VoicePage
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.main_window import MainWindow


@pytest.fixture
def finnish(qtbot, server, data_dir, keyring_backend) -> Iterator[tuple[MainWindow, AppContext]]:
    argv = practice_argv(data_dir, server, language="fi")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window, timeout=30_000)  # Finnish's word lists load first
    context.speech_engine = "mock"
    yield window, context
    close_app(qtbot, window, context)


def open_voice_page(qtbot: QtBot, window: MainWindow) -> tuple[SettingsDialog, VoicePage]:
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.show_tab(dialog.voice_page)
    return dialog, dialog.voice_page


def choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    combo.setCurrentIndex(index)


def test_the_languages_voices_a_test_heard_and_the_choice_saved(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext]
) -> None:
    window, context = finnish
    dialog, page = open_voice_page(qtbot, window)
    assert page.language.currentData() == "fi"
    assert page.system_engine.isChecked()
    qtbot.waitUntil(lambda: page.voice.count() == 2)
    assert [page.voice.itemText(i) for i in range(2)] == ["Kari", "Anneli"]
    choose(page.voice, "Anneli")
    choose(page.speed, "0.75×")
    page.read_aloud.click()
    qtbot.mouseClick(page.test_button, qtbot_left())
    qtbot.waitUntil(lambda: page.test_result.text() == "Heard: this voice works.", timeout=10_000)
    assert not page.test_problem.isVisible()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    voice = context.settings.voice
    assert voice.read_aloud
    assert voice.voice_for("fi") == LanguageVoice("system", "Anneli", 0.75)


def test_a_language_without_a_system_voice_says_what_to_install(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext]
) -> None:
    window, _context = finnish
    _dialog, page = open_voice_page(qtbot, window)
    qtbot.waitUntil(lambda: page.voice.count() == 2)
    choose(page.language, "Español (Spanish)")
    assert page.voice.count() == 0
    assert "No system voice speaks Spanish" in page.voice_note.text()
    assert "espeak-ng" in page.voice_note.text()
    qtbot.mouseClick(page.test_button, qtbot_left())
    qtbot.waitUntil(lambda: page.test_problem.isVisible())
    assert "No system voice speaks Spanish" in page.test_problem.text()
    assert page.test_button.isEnabled()


def test_server_voices_listed_tested_and_the_key_kept(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext], keyring_backend
) -> None:
    window, context = finnish
    speech = OpenAITestServer(api_key="sk-speech-server-key").start()
    try:
        speech.speech.audio_seconds = 0.1
        dialog, page = open_voice_page(qtbot, window)
        page.server_engine.click()
        assert page.list_voices.isVisible()
        type_text(page.address, speech.base_url)
        type_text(page.model, "kokoro")
        type_text(page.key, "sk-wrong-key-000")
        qtbot.mouseClick(page.list_voices, qtbot_left())
        qtbot.waitUntil(lambda: "refused the API key" in page.voice_note.text(), timeout=5000)
        page.key.clear()
        type_text(page.key, "sk-speech-server-key")
        qtbot.mouseClick(page.list_voices, qtbot_left())
        qtbot.waitUntil(lambda: page.voice.count() == len(KOKORO_VOICES), timeout=5000)
        choose(page.voice, "af_sky")
        qtbot.mouseClick(page.test_button, qtbot_left())
        # The test process has no sound server: the missing output is said before
        # anything is asked (tests/test_speaker.py plays server speech on a clock).
        qtbot.waitUntil(lambda: page.test_problem.isVisible(), timeout=5000)
        assert "No sound output was found" in page.test_problem.text()
        assert speech.speech.requests == []
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        saved = context.settings.voice
        assert saved.speech_server.base_url == speech.base_url
        assert saved.speech_server.model == "kokoro"
        assert saved.voice_for("fi") == LanguageVoice("server", "af_sky", 1.0)
        assert context.keys.get(speech.base_url) == "sk-speech-server-key"
        chat = context.server_address()
        assert chat is not None and context.keys.get(chat[0]) != "sk-speech-server-key"
    finally:
        speech.stop()


def test_a_bad_address_is_refused_on_its_tab(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext]
) -> None:
    window, context = finnish
    dialog, page = open_voice_page(qtbot, window)
    dialog.show_tab(dialog.provider_form)
    type_text(page.address, "localhost:8880")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible()
    assert "must start with http://" in dialog.error.text()
    assert dialog.tabs.currentWidget() is dialog._pages[page]
    assert context.settings.voice.speech_server.base_url == ""


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
