"""Listening in the window, as a learner does it: "▶ Listen" on a reply (the sentence
heard highlighted, "■ Stop" while it speaks), replies read aloud as they stream (the
first sentence heard before the reply has ended), Esc that silences speech first,
Ctrl+Shift+L, and problems said on the notice bar while the text practice goes on.

System voices are QtTextToSpeech's mock engine (Finnish has voices there, Spanish none).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui_helpers import (
    close_app,
    practice_argv,
    start_app,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import OpenAITestServer, ScriptedReply
from tests.test_simpler_gui import click_link
from tutor.domain.conversation import MessageState
from tutor.ui.chat.voice_controller import VoiceController
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.main_window import MainWindow
from tutor.ui.voice.speaker import Speaker

OPENING = "Hyvää päivää! Mitä kuuluu tänään? Minä olen Liisa."
REPLY = "Kiitos hyvää. Asun Helsingissä. Pidän kahvista. Entä sinä?"


def start(qtbot, server, data_dir, keyring_backend, language="fi", opening=OPENING):
    server.enqueue(ScriptedReply(opening))
    argv = practice_argv(data_dir, server, language=language)
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    # Finnish's word lists (the fit meter's) load on the first reply: a few seconds.
    wait_until_idle(qtbot, window, timeout=30_000)
    context.speech_engine = "mock"  # before the speaker is made, at first use
    return window, context


@pytest.fixture
def finnish(qtbot, server, data_dir, keyring_backend) -> Iterator[tuple[MainWindow, AppContext]]:
    window, context = start(qtbot, server, data_dir, keyring_backend)
    yield window, context
    voice(window).stop()
    close_app(qtbot, window, context)


def voice(window: MainWindow) -> VoiceController:
    return window.conversation.voice


def highlighted(window: MainWindow) -> list[str]:
    return [s.cursor.selectedText() for s in window.chat.extraSelections()]


def test_listen_says_the_reply_and_highlights_the_sentence_heard(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext]
) -> None:
    window, _context = finnish
    text = window.chat.toPlainText()
    assert "▶ Listen" in text
    click_link(qtbot, window.chat, "▶ Listen")
    qtbot.waitUntil(lambda: voice(window).is_speaking)
    qtbot.waitUntil(lambda: highlighted(window) == ["Hyvää päivää!"], timeout=1000)
    assert "■ Stop" in window.chat.toPlainText()
    qtbot.waitUntil(lambda: highlighted(window) == ["Mitä kuuluu tänään?"], timeout=5000)
    qtbot.waitUntil(lambda: not voice(window).is_speaking, timeout=10_000)
    assert highlighted(window) == []
    assert "▶ Listen" in window.chat.toPlainText()


def test_stop_on_the_link_silences_it(qtbot: QtBot, finnish: tuple[MainWindow, AppContext]) -> None:
    window, _context = finnish
    click_link(qtbot, window.chat, "▶ Listen")
    qtbot.waitUntil(lambda: "■ Stop" in window.chat.toPlainText())
    click_link(qtbot, window.chat, "■ Stop")
    assert not voice(window).is_speaking
    assert highlighted(window) == []
    assert "▶ Listen" in window.chat.toPlainText()


def test_a_reply_read_aloud_is_heard_before_it_has_arrived(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext], server: OpenAITestServer
) -> None:
    window, context = finnish
    qtbot.mouseClick(voice(window).toggle, Qt.MouseButton.LeftButton)
    assert context.settings.voice.read_aloud
    server.enqueue(ScriptedReply(REPLY, token_delay=0.12))
    heard: list[tuple[float, bool]] = []
    voice(window).speaker.sentence_started.connect(
        lambda *_a: heard.append((time.perf_counter(), window.practice.is_busy))
    )
    type_and_send(qtbot, window, "Hei! Mitä kuuluu?")
    qtbot.waitUntil(lambda: bool(heard), timeout=5000)
    assert heard[0][1], "the first sentence is heard while the reply still streams"
    assert highlighted(window) == ["Kiitos hyvää."]
    wait_until_idle(qtbot, window, timeout=10_000)
    qtbot.waitUntil(lambda: not voice(window).is_speaking, timeout=15_000)
    assert len(heard) == 4


def test_esc_silences_speech_first_then_stops_the_reply(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext], server: OpenAITestServer
) -> None:
    window, _context = finnish
    voice(window).read_aloud_action.trigger()
    server.enqueue(ScriptedReply(REPLY + " " + REPLY, token_delay=0.15))
    type_and_send(qtbot, window, "Hei!")
    qtbot.waitUntil(lambda: voice(window).is_speaking, timeout=5000)
    qtbot.keyClick(window.composer, Qt.Key.Key_Escape)
    assert not voice(window).is_speaking
    assert window.practice.is_busy, "the first Esc silences speech; the reply goes on"
    assert highlighted(window) == []
    qtbot.keyClick(window.composer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.practice.is_busy)
    assert window.practice.messages[-1].state is MessageState.CUT_OFF
    qtbot.wait(300)
    assert not voice(window).is_speaking, "a stopped reply is not read further"


def test_ctrl_shift_l_says_the_last_reply_again(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext]
) -> None:
    window, _context = finnish
    assert voice(window).replay_action in window.menus.session_menu.actions()
    window.composer.setFocus()
    both = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.composer, Qt.Key.Key_L, both)
    qtbot.waitUntil(lambda: highlighted(window) == ["Hyvää päivää!"])
    assert voice(window).speaker.message_id == window.practice.messages[-1].id


def test_speed_from_the_toggles_menu_is_kept_per_language(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext]
) -> None:
    window, context = finnish
    menu = voice(window).speed_menu
    menu.aboutToShow.emit()
    slow = next(a for a in menu.actions() if a.text() == "0.75×")
    slow.trigger()
    assert context.settings.voice.voice_for("fi").speed == 0.75
    click_link(qtbot, window.chat, "▶ Listen")
    qtbot.waitUntil(lambda: highlighted(window) == ["Hyvää päivää!"])
    speaker = voice(window).speaker
    assert isinstance(speaker, Speaker)
    assert speaker.system.rate == pytest.approx(-0.5)


def test_no_voice_for_the_language_is_said_and_practice_goes_on(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = start(
        qtbot, server, data_dir, keyring_backend, language="es", opening="¡Hola! ¿Qué tal?"
    )
    try:
        click_link(qtbot, window.chat, "▶ Listen")
        qtbot.waitUntil(lambda: window.notice.isVisible())
        assert "No system voice speaks Spanish" in window.notice.label.text()
        assert "espeak-ng" in window.notice.label.text()
        assert not voice(window).is_speaking
        type_and_send(qtbot, window, "Muy bien")
        server.wait_for_partner_requests(2)
        wait_until_idle(qtbot, window)
        assert window.practice.messages[-1].state is MessageState.COMPLETE
    finally:
        close_app(qtbot, window, context)


def test_no_sound_output_for_server_voices_is_said(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext], server: OpenAITestServer
) -> None:
    from tutor.domain.voice_settings import LanguageVoice

    window, context = finnish
    voice_settings = context.settings.voice.with_voice("fi", LanguageVoice("server", "af_sky"))
    context.settings = context.settings.with_changes(voice=voice_settings)
    click_link(qtbot, window.chat, "▶ Listen")
    # The test process has no sound server (QtMultimedia finds none): nothing is asked.
    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "No sound output was found" in window.notice.label.text()
    assert server.speech.requests == []


def test_words_that_are_no_message_are_said_without_touching_the_conversation(
    qtbot: QtBot, finnish: tuple[MainWindow, AppContext]
) -> None:
    """A look-up card's ▶ (tutor/ui/help) says its word through the same speaker."""
    window, _context = finnish
    heard: list[tuple[int, int, int]] = []
    voice(window).speaker.sentence_started.connect(lambda *a: heard.append(a))
    voice(window).say("kahvi", "fi")
    qtbot.waitUntil(lambda: bool(heard))
    assert heard[0][1:] == (0, 5)
    assert highlighted(window) == []
    assert "■ Stop" not in window.chat.toPlainText()
