"""Speaking in the window, as a learner does it: hold the microphone button (or F4) and
say a sentence (real speech made by espeak-ng, fed as a microphone would), release, read
the transcript in the composer, send it; the message shows it was spoken, its recording
plays and can be deleted; talk mode sends at once; every fault says what went wrong and
keeps the recording."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui_helpers import (
    close_app,
    conversation_text,
    open_practice,
    session_of,
    type_text,
    wait_until_idle,
)
from tests.openai_server import OpenAITestServer, coach_reply
from tests.spoken_audio import LiveFeed, espeak_pcm
from tests.transcription_endpoint import ScriptedTranscript
from tutor.domain.wav import wav_info
from tutor.store.recordings import RecordingStore
from tutor.ui.chat.message_decorations import action_link

SPEECH = espeak_pcm("Hola, me llamo Ana y vivo en Madrid.")


@pytest.fixture(autouse=True)
def _feeds_stopped() -> Iterator[None]:
    yield
    LiveFeed.stop_all()


HEARD = "hola me llamo ana y vivo en madrid"


def _window(qtbot, server, data_dir, keyring_backend, *extra):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend, *extra)
    parts = window.conversation.speaking
    return window, context, parts


def _say(qtbot, parts, pcm: bytes = SPEECH) -> LiveFeed:
    """Press and hold the microphone button while the speech plays, then let go."""
    feed = LiveFeed(pcm)
    parts.controller.audio_source = lambda: feed
    qtbot.mousePress(parts.mic_button, Qt.MouseButton.LeftButton)
    assert parts.controller.is_recording
    assert parts.strip.isVisible() and parts.strip.meter.isVisible()
    qtbot.wait(400)  # held, not clicked (HOLD_MS)
    qtbot.waitUntil(lambda: feed.exhausted, timeout=10_000)
    qtbot.mouseRelease(parts.mic_button, Qt.MouseButton.LeftButton)
    return feed


def test_hold_speak_release_the_transcript_lands_in_the_composer_then_is_sent_as_spoken(
    qtbot, server: OpenAITestServer, data_dir, keyring_backend
):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    server.transcriptions.enqueue(HEARD)
    levels: list[float] = []
    parts.controller.recorder.level_changed.connect(levels.append)
    _say(qtbot, parts)
    assert max(levels) > -30  # the meter moved with the voice
    qtbot.waitUntil(lambda: window.composer.toPlainText() == HEARD, timeout=5000)
    (request,) = server.transcriptions.requests
    info = wav_info(request.audio)
    assert info.is_speech_format and abs(info.duration - len(SPEECH) / 32000) < 0.05
    assert request.language == "es" and request.model == "whisper-1"
    assert not parts.strip.isVisible()

    server.enqueue_coach(
        coach_reply(
            "Hola, me llamo Ana y vivo en Madrid.",
            [("hola", "Hola,", "Capital and comma.", "punctuation")],
        )
    )
    coach_requests = len(server.coach_requests())
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_until_idle(qtbot, window)
    sent = [m for m in context.sessions.messages(session_of(window).id) if m.text == HEARD]
    assert len(sent) == 1 and sent[0].spoken
    asked = server.coach_requests()[coach_requests:]
    assert len(asked) == 1
    assert "said this message aloud" in asked[0]["messages"][0]["content"]
    assert json.loads(asked[0]["messages"][-1]["content"])["said_aloud"] is True
    shown = window.practice.messages
    checked = next(m for m in shown if m.id == sent[0].id)
    assert checked.correction is not None and checked.correction.marks == ()  # dropped
    text = conversation_text(window)
    assert "🎤 spoken" in text and "▶ My recording" in text
    store = RecordingStore.in_data_folder(data_dir)
    qtbot.waitUntil(lambda: store.has(sent[0].session_id, sent[0].id))
    assert store.path(sent[0].session_id, sent[0].id).read_bytes()[44:] == SPEECH
    close_app(qtbot, window, context)


def test_typed_messages_stay_typed_and_an_emptied_transcript_is_not_spoken(
    qtbot, server, data_dir, keyring_backend
):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    server.transcriptions.enqueue(HEARD)
    _say(qtbot, parts)
    qtbot.waitUntil(lambda: window.composer.toPlainText() == HEARD, timeout=5000)
    window.composer.clear()
    type_text(window.composer, "Escribo esto.")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_until_idle(qtbot, window)
    typed = [m for m in window.practice.messages if m.text == "Escribo esto."]
    assert len(typed) == 1 and not typed[0].spoken
    assert "🎤 spoken" not in conversation_text(window)
    close_app(qtbot, window, context)


def test_f4_held_records_and_its_auto_repeat_does_not_restart_it(
    qtbot, server, data_dir, keyring_backend
):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    server.transcriptions.enqueue(HEARD)
    feed = LiveFeed(SPEECH)
    opened: list[LiveFeed] = []

    def source() -> LiveFeed:
        opened.append(feed)
        return feed

    parts.controller.audio_source = source
    window.composer.setFocus()
    qtbot.keyPress(window.composer, Qt.Key.Key_F4)
    assert parts.controller.is_recording
    for _repeat in range(3):  # the key's auto-repeat while held: release and press pairs
        for kind in (QEvent.Type.KeyRelease, QEvent.Type.KeyPress):
            event = QKeyEvent(kind, Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier, "", True)
            QApplication.sendEvent(window.composer, event)
        qtbot.keyPress(window.composer, Qt.Key.Key_F4)  # and once more through shortcuts
    qtbot.waitUntil(lambda: feed.exhausted, timeout=10_000)
    assert len(opened) == 1 and parts.controller.is_recording
    assert window.composer.toPlainText() == ""  # F4 typed nothing
    qtbot.keyRelease(window.composer, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: window.composer.toPlainText() == HEARD, timeout=5000)
    assert len(server.transcriptions.requests) == 1
    close_app(qtbot, window, context)


def test_a_click_starts_and_a_second_click_stops(qtbot, server, data_dir, keyring_backend):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    server.transcriptions.enqueue(HEARD)
    feed = LiveFeed(SPEECH)
    parts.controller.audio_source = lambda: feed
    qtbot.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
    assert parts.controller.is_recording  # a click: it goes on
    qtbot.waitUntil(lambda: feed.exhausted, timeout=10_000)
    assert parts.controller.is_recording
    qtbot.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.composer.toPlainText() == HEARD, timeout=5000)
    close_app(qtbot, window, context)


def test_esc_drops_a_recording_and_the_next_esc_is_the_window_s_again(
    qtbot, server, data_dir, keyring_backend
):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    server.transcriptions.enqueue(HEARD)
    feed = LiveFeed(SPEECH)
    parts.controller.audio_source = lambda: feed
    qtbot.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
    assert parts.controller.is_recording
    qtbot.wait(300)
    window.composer.setFocus()
    qtbot.keyClick(window.composer, Qt.Key.Key_Escape)
    assert not parts.controller.is_recording
    assert not parts.strip.isVisible()
    qtbot.wait(300)
    assert server.transcriptions.requests == [] and window.composer.toPlainText() == ""
    assert parts.controller.kept_recording is None  # dropped, not kept for a retry
    # Recording again works, and goes to the server as before.
    _say(qtbot, parts)
    qtbot.waitUntil(lambda: window.composer.toPlainText() == HEARD, timeout=5000)
    close_app(qtbot, window, context)


def test_the_voice_menu_starts_and_stops_a_recording_and_names_f4(
    qtbot, server, data_dir, keyring_backend
):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    server.transcriptions.enqueue(HEARD)
    feed = LiveFeed(SPEECH)
    parts.controller.audio_source = lambda: feed
    speak = window.menus.voice_menu.actions()[0]
    assert speak.text().endswith("\tF4")
    speak.trigger()
    assert parts.controller.is_recording
    qtbot.waitUntil(lambda: feed.exhausted, timeout=10_000)
    speak.trigger()
    qtbot.waitUntil(lambda: window.composer.toPlainText() == HEARD, timeout=5000)
    close_app(qtbot, window, context)


def test_sent_at_once_when_the_setting_says_so(qtbot, server, data_dir, keyring_backend):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    from dataclasses import replace

    from tutor.services.speaking import change_voice

    change_voice(context, replace(context.settings.voice, send_transcript_at_once=True))
    server.transcriptions.enqueue(HEARD)
    partner_before = len(server.partner_requests())
    _say(qtbot, parts)
    qtbot.waitUntil(lambda: len(server.partner_requests()) > partner_before, timeout=5000)
    wait_until_idle(qtbot, window)
    assert window.composer.toPlainText() == ""
    spoken = [m for m in window.practice.messages if m.text == HEARD]
    assert len(spoken) == 1 and spoken[0].spoken
    close_app(qtbot, window, context)


def test_talk_mode_sends_at_once_then_listens_again_after_the_reply(
    qtbot, server, data_dir, keyring_backend
):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    # Each turn's speech starts when the microphone opens, then silence.
    parts.controller.audio_source = lambda: LiveFeed(SPEECH, then_silence=2.0)
    server.transcriptions.enqueue(HEARD, "y tú")
    qtbot.mouseClick(parts.talk_switch, Qt.MouseButton.LeftButton)
    assert context.settings.voice.talk_mode and window.menus.voice_menu.actions()[1].isChecked()
    assert parts.controller.is_recording  # talk mode listens at once
    # The turn ends at the silence after the speech, the transcript goes at once, the
    # reply comes (no speaker: at once), and the microphone listens again.
    qtbot.waitUntil(lambda: any(m.text == HEARD for m in window.practice.messages), timeout=10_000)
    qtbot.waitUntil(lambda: any(m.text == "y tú" for m in window.practice.messages), timeout=15_000)
    assert all(m.spoken for m in window.practice.messages if m.text in (HEARD, "y tú"))
    parts.set_talk_mode(False)
    assert not context.settings.voice.talk_mode and not parts.talk_switch.isChecked()
    close_app(qtbot, window, context)


def test_in_talk_mode_the_microphone_waits_for_the_speaker_to_finish_the_reply(
    qtbot, server, data_dir, keyring_backend
):
    from PySide6.QtCore import QObject, Signal

    class Speaker(QObject):  # the listening half's Speaker, as talk mode meets it
        idle = Signal()
        speaking_changed = Signal(bool)

    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    speaker = Speaker()
    parts.speaker_source = lambda: speaker
    opened: list[LiveFeed] = []

    def source() -> LiveFeed:
        opened.append(LiveFeed(SPEECH, then_silence=2.0))
        return opened[-1]

    parts.controller.audio_source = source
    server.transcriptions.enqueue(HEARD)
    parts.set_talk_mode(True)
    qtbot.waitUntil(lambda: any(m.text == HEARD for m in window.practice.messages), timeout=10_000)
    speaker.speaking_changed.emit(True)  # the reply is read aloud as it streams
    wait_until_idle(qtbot, window)
    qtbot.wait(1200)  # longer than the grace for a speaker that never starts
    assert len(opened) == 1 and not parts.controller.is_recording
    speaker.speaking_changed.emit(False)
    speaker.idle.emit()
    assert parts.controller.is_recording and len(opened) == 2
    parts.set_talk_mode(False)
    close_app(qtbot, window, context)


def test_the_recording_plays_from_the_message_and_is_deleted_per_message_and_session(
    qtbot, server, data_dir, keyring_backend, monkeypatch
):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    store = RecordingStore.in_data_folder(data_dir)
    for said in ("uno dos tres", "cuatro cinco"):
        server.transcriptions.enqueue(said)
        _say(qtbot, parts)
        qtbot.waitUntil(lambda said=said: window.composer.toPlainText() == said, timeout=5000)
        qtbot.keyClick(window.composer, Qt.Key.Key_Return)
        wait_until_idle(qtbot, window)
    first, second = [m for m in window.practice.messages if m.spoken]
    qtbot.waitUntil(lambda: store.kept_in(first.session_id) == {first.id, second.id})
    qtbot.waitUntil(lambda: conversation_text(window).count("▶ My recording") == 2)

    played: list[str] = []
    from tutor.ui.widgets import playback

    monkeypatch.setattr(playback.Playback, "play_file", lambda self, path: played.append(path.name))
    monkeypatch.setattr(playback.Playback, "_has_output", lambda self: True)
    window.chat.anchorClicked.emit(action_link("my-recording", first.id))
    assert played == [f"{first.id}.wav"]
    assert "■ Stop" in conversation_text(window)
    window.chat.anchorClicked.emit(action_link("my-recording", first.id))
    assert "■ Stop" not in conversation_text(window)

    window.chat.anchorClicked.emit(action_link("delete-recording", first.id))
    assert not store.has(first.session_id, first.id) and store.has(second.session_id, second.id)
    assert conversation_text(window).count("▶ My recording") == 1
    assert conversation_text(window).count("🎤 spoken") == 2  # still said aloud

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    menu_action = window.menus.voice_menu.actions()[2]
    menu_action.trigger()
    assert store.kept_in(first.session_id) == set()
    assert "▶ My recording" not in conversation_text(window)
    close_app(qtbot, window, context)


def test_no_recording_is_kept_when_the_learner_says_not_to(
    qtbot, server, data_dir, keyring_backend
):
    from dataclasses import replace

    from tutor.services.speaking import change_voice

    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    change_voice(context, replace(context.settings.voice, keep_recordings=False))
    server.transcriptions.enqueue(HEARD)
    _say(qtbot, parts)
    qtbot.waitUntil(lambda: window.composer.toPlainText() == HEARD, timeout=5000)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_until_idle(qtbot, window)
    assert "🎤 spoken" in conversation_text(window)
    assert "My recording" not in conversation_text(window)
    assert RecordingStore.in_data_folder(data_dir).kept_in(session_of(window).id) == set()
    close_app(qtbot, window, context)


FAULTS = [
    (ScriptedTranscript(status=401), "refused the API key"),
    (ScriptedTranscript(status=500, error_message="boom"), "had a problem"),
    (ScriptedTranscript(""), "heard nothing"),
    (ScriptedTranscript(hang=True), "did not answer in time"),
]


@pytest.mark.parametrize(("fault", "words"), FAULTS)
def test_a_failed_transcription_says_why_keeps_the_recording_and_retry_works(
    qtbot, data_dir, keyring_backend, fault, words
):
    with OpenAITestServer() as server:
        window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
        from tutor.llm.connection import Timeouts

        parts.controller.transcriber._timeouts = Timeouts(connect=1, read=1)
        server.transcriptions.enqueue(fault, HEARD)
        type_text(window.composer, "ya escrito")
        _say(qtbot, parts)
        qtbot.waitUntil(lambda: words in parts.strip.status.text(), timeout=8000)
        assert parts.strip.retry.isVisible() and parts.controller.kept_recording is not None
        assert window.composer.isEnabled() and window.composer.toPlainText() == "ya escrito"
        server.transcriptions.release()
        qtbot.mouseClick(parts.strip.retry, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.composer.toPlainText() == f"ya escrito {HEARD}", timeout=5000
        )
        retried = server.transcriptions.requests[-1]
        assert retried.audio == server.transcriptions.requests[0].audio
        assert parts.controller.kept_recording is None and not parts.strip.isVisible()
        close_app(qtbot, window, context)


def test_a_server_that_does_not_transcribe_says_so(qtbot, server, data_dir, keyring_backend):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    server.transcriptions.enabled = False
    _say(qtbot, parts)
    qtbot.waitUntil(lambda: "does not transcribe speech" in parts.strip.status.text(), timeout=5000)
    qtbot.mouseClick(parts.strip.discard, Qt.MouseButton.LeftButton)
    assert not parts.strip.isVisible() and parts.controller.kept_recording is None
    close_app(qtbot, window, context)


def test_a_server_that_is_down_says_so(qtbot, data_dir, keyring_backend):
    with OpenAITestServer() as down:
        address = down.base_url
    with OpenAITestServer() as server:
        from dataclasses import replace

        from tutor.domain.voice_settings import SpeechServer
        from tutor.services.speaking import change_voice

        window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
        voice = replace(context.settings.voice, transcription_server=SpeechServer(address))
        change_voice(context, voice)
        _say(qtbot, parts)
        qtbot.waitUntil(lambda: "Nothing answers" in parts.strip.status.text(), timeout=8000)
        assert address in parts.strip.status.text()
        close_app(qtbot, window, context)


def test_too_short_too_quiet_and_too_long(qtbot, server, data_dir, keyring_backend):
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    _say(qtbot, parts, SPEECH[:3200])  # a tenth of a second
    assert "too short" in parts.strip.status.text() and not parts.strip.retry.isVisible()
    _say(qtbot, parts, bytes(32000))  # a second of silence
    assert "could not hear a voice" in parts.strip.status.text()
    assert parts.strip.retry.isVisible() and server.transcriptions.requests == []
    parts.controller.recorder.longest_seconds = 1.0
    server.transcriptions.enqueue(HEARD)
    feed = LiveFeed(SPEECH)
    parts.controller.audio_source = lambda: feed
    qtbot.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.composer.toPlainText() == HEARD, timeout=5000)
    assert "stopped by itself after 1 second" in parts.strip.status.text()
    assert abs(server.transcriptions.requests[-1].duration - 1.0) < 0.01
    close_app(qtbot, window, context)


def test_no_microphone_is_said_and_text_practice_goes_on(
    qtbot, server, data_dir, keyring_backend, monkeypatch
):
    from tutor.ui.widgets import microphones

    class NoDevices:
        @staticmethod
        def audioInputs() -> list[object]:  # noqa: N802
            return []

    monkeypatch.setattr(microphones, "QMediaDevices", NoDevices)
    window, context, parts = _window(qtbot, server, data_dir, keyring_backend)
    qtbot.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
    assert "no microphone" in parts.strip.status.text()
    assert not parts.controller.is_recording and window.composer.isEnabled()
    type_text(window.composer, "Sigo escribiendo.")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_until_idle(qtbot, window)
    assert "Sigo escribiendo." in conversation_text(window)
    assert QApplication.instance() is not None
    close_app(qtbot, window, context)
