"""Settings' "Microphone and transcription" group: its choices saved, a separate
transcription server's key kept under its own keyring entry and used, the microphone
test's verdicts, and a bad address refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from tests.gui_helpers import close_app, open_practice
from tests.openai_server import OpenAITestServer
from tests.spoken_audio import LiveFeed, espeak_pcm
from tutor.app import build_context
from tutor.cli.arguments import parse_arguments
from tutor.services.speaking import transcription_key_entry, transcription_server
from tutor.ui.setup.microphone_group import MicrophoneGroup

SPEECH = espeak_pcm("Hola, me llamo Ana.")


@pytest.fixture(autouse=True)
def _feeds_stopped() -> Iterator[None]:
    yield
    LiveFeed.stop_all()


@pytest.fixture
def context(data_dir, keyring_backend):
    built, _notice = build_context(
        parse_arguments(["--data-dir", str(data_dir)]), {}, key_backend=keyring_backend
    )
    yield built
    built.sessions.close()


def test_the_choices_are_saved_and_a_separate_servers_key_has_its_own_entry(
    qtbot, context, keyring_backend
):
    group = MicrophoneGroup(context)
    qtbot.addWidget(group)
    assert group.microphone.itemText(0) == "The system's default microphone"
    assert not group.key.isEnabled()  # the chat server's key is used
    group.address.setText("http://127.0.0.1:9/v1")
    assert group.key.isEnabled()
    group.key.setText("sk-transcribe")
    group.model.setText("whisper-large-v3")
    group.send_at_once.setChecked(True)
    group.keep_recordings.setChecked(False)
    assert group.problem() is None
    assert group.save() is None
    voice = context.settings.voice
    assert voice.transcription_server.base_url == "http://127.0.0.1:9/v1"
    assert voice.transcription_server.model == "whisper-large-v3"
    assert voice.send_transcript_at_once and not voice.keep_recordings
    assert keyring_backend.get_password("Tutor", transcription_key_entry("http://127.0.0.1:9/v1"))
    assert keyring_backend.get_password("Tutor", "http://127.0.0.1:9/v1") is None
    server = transcription_server(context)
    assert (server.api_key, server.model) == ("sk-transcribe", "whisper-large-v3")
    saved_again = context.settings_file.load().settings.voice
    assert saved_again == voice


def test_an_address_without_a_scheme_is_refused_in_words(qtbot, context):
    group = MicrophoneGroup(context)
    qtbot.addWidget(group)
    group.address.setText("localhost:8000/v1")
    assert "http://" in (group.problem() or "")
    with pytest.raises(ValueError, match="http://"):
        group.chosen(context.settings.voice)


def test_the_microphone_test_shows_the_level_and_its_verdict(qtbot, context):
    group = MicrophoneGroup(context)
    qtbot.addWidget(group)
    levels: list[float] = []
    group.recorder.level_changed.connect(levels.append)
    with qtbot.waitSignal(group.recorder.finished, timeout=8000):
        group.meter.show()
        group.recorder.start_from(LiveFeed(SPEECH, then_silence=2.0))
    assert max(levels) > -30
    assert "Heard you" in group.test_result.text() or "sound output" in group.test_result.text()
    with qtbot.waitSignal(group.recorder.finished, timeout=8000):
        group.recorder.start_from(LiveFeed(bytes(100_000)))
    assert "Almost silent" in group.test_result.text() or "sound output" in group.test_result.text()
    group.recorder.start_from(LiveFeed(SPEECH))
    group.stop()
    assert not group.recorder.is_recording and group.test_button.isEnabled()


def test_without_a_microphone_the_test_says_so(qtbot, context, monkeypatch):
    from tutor.ui.widgets import microphones

    class NoDevices:
        @staticmethod
        def audioInputs() -> list[object]:  # noqa: N802
            return []

        @staticmethod
        def defaultAudioInput():  # noqa: N802
            from PySide6.QtMultimedia import QAudioDevice

            return QAudioDevice()

    monkeypatch.setattr(microphones, "QMediaDevices", NoDevices)
    group = MicrophoneGroup(context)
    qtbot.addWidget(group)
    qtbot.mouseClick(group.test_button, Qt.MouseButton.LeftButton)
    assert "no microphone" in group.test_result.text() and group.test_button.isEnabled()


def test_a_separate_transcription_server_is_used_with_its_key(
    qtbot, server, data_dir, keyring_backend
):
    with OpenAITestServer(api_key="sk-transcribe") as other:
        window, context = open_practice(qtbot, server, data_dir, keyring_backend)
        group = MicrophoneGroup(context)
        qtbot.addWidget(group)
        group.address.setText(other.base_url)
        group.key.setText("sk-transcribe")
        group.save()
        other.transcriptions.enqueue("desde otro servidor")
        parts = window.conversation.speaking
        feed = LiveFeed(SPEECH)
        parts.controller.audio_source = lambda: feed
        qtbot.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: feed.exhausted, timeout=8000)
        qtbot.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.composer.toPlainText() == "desde otro servidor", timeout=5000
        )
        assert other.transcriptions.requests[0].authorization == "Bearer sk-transcribe"
        assert server.transcriptions.requests == []
        close_app(qtbot, window, context)


def test_in_settings_voice_the_group_is_saved_with_the_page_and_its_key_kept(
    qtbot, server, data_dir, keyring_backend
):
    from PySide6.QtWidgets import QDialogButtonBox

    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.show_tab(dialog.voice_page)
    group = dialog.voice_page.microphone_group
    assert group.isVisibleTo(dialog)
    group.address.setText("http://127.0.0.1:9/v1")
    group.key.setText("sk-transcribe-settings")
    group.send_at_once.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    voice = context.settings.voice
    assert voice.transcription_server.base_url == "http://127.0.0.1:9/v1"
    assert voice.send_transcript_at_once
    assert context.keys.get(transcription_key_entry("http://127.0.0.1:9/v1")) == (
        "sk-transcribe-settings"
    )
    window.open_settings()
    again = window.settings_dialog
    assert again is not None
    again.voice_page.microphone_group.address.setText("localhost:9")
    again.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert again.isVisible() and "http://" in again.error.text()
    again.reject()
    close_app(qtbot, window, context)
