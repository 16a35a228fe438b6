"""Render speaking in one interface language: a spoken message sent (it shows "🎤
spoken" and "▶ My recording"), and the next one being recorded (the microphone red, the
level meter and the time above the composer): docs/screenshots/speaking-<language>.png.

Real speech made by espeak-ng is fed as a microphone would, so no audio device is needed.

Run: QT_QPA_PLATFORM=offscreen python -m tests.speaking_screenshots en ja
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui_helpers import is_checking, practice_argv
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply
from tests.screenshots import wait_for
from tests.spoken_audio import LiveFeed, espeak_pcm
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.ui.shell.interface_language import install_interface_language
from tutor.ui.shell.style import apply_style

PARTNER = (
    "¡Buenos días! Bienvenido a la Cafetería Sol. ¿Qué le pongo?",
    "Muy bien, un café con leche. ¿Quiere algo para comer?",
)
SAID = "Un café con leche, por favor."


def render_speaking(language: str, data_dir: Path, out_dir: Path) -> Path:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, language)
    apply_style(app, "system")
    speech = espeak_pcm(SAID)
    with OpenAITestServer() as server:
        server.enqueue(*(ScriptedReply(text=line) for line in PARTNER))
        server.transcriptions.enqueue(SAID)
        argv = practice_argv(data_dir, server, "--scenario", "cafe-order", native=language)
        options = parse_arguments(argv)
        context, _ = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        window.resize(1000, 720)
        practice = window.practice
        parts = window.conversation.speaking
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        feed = LiveFeed(speech)
        parts.controller.audio_source = lambda: feed
        QTest.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
        wait_for(lambda: feed.exhausted)
        QTest.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
        wait_for(lambda: window.composer.toPlainText() == SAID)
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        wait_for(lambda: not practice.is_busy and not is_checking(window))
        wait_for(lambda: "▶" in window.chat.toPlainText())
        # The next turn, being said: the meter and the time at about two seconds.
        speaking = LiveFeed(espeak_pcm("Sí, una tostada con tomate, por favor.") * 2)
        parts.controller.audio_source = lambda: speaking
        QTest.mouseClick(parts.mic_button, Qt.MouseButton.LeftButton)
        wait_for(lambda: parts.strip.time.text().endswith("02"), timeout=10)
        wait_for(lambda: parts.strip.meter.fraction > 0.55, timeout=10)  # mid-word
        QApplication.processEvents()
        path = out_dir / f"speaking-{language}.png"
        window.grab().save(str(path))
        parts.controller.cancel()
        LiveFeed.stop_all()
        window.close()
        context.tasks.wait_for_done(3000)
        context.sessions.close()
    return path


if __name__ == "__main__":
    out = Path("docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    for code in sys.argv[1:] or ["en", "ja"]:
        with tempfile.TemporaryDirectory() as data:
            print(f"wrote {render_speaking(code, Path(data), out)}")
