"""Render Tutor's real window mid-conversation, for the README and for looking at.

Used by tests/test_screenshots.py (into a temporary folder) and by
scripts/screenshots (into docs/screenshots/). The replies come from the local test
server, scripted per language; the window, the store and the streaming are the app's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui_helpers import is_checking, type_text
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply, coach_json
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.ui.shell.main_window import MainWindow


@dataclass(frozen=True)
class Conversation:
    language: str
    level: str
    partner: tuple[str, ...]
    """The partner's lines; the last one is caught while it streams."""
    learner: tuple[str, ...]
    coach: tuple[str, ...]
    """The coach's JSON answer to each learner line."""


CONVERSATIONS = {
    "es": Conversation(
        "es",
        "A2",
        (
            "¡Hola! Me llamo Lucía. ¿Cómo te llamas y de dónde eres?",
            "¡Encantada, Tom! Manchester es famosa por el fútbol. ¿Te gusta el fútbol o "
            "prefieres otro deporte?",
            "¡Qué divertido! ¿En qué posición juegas? Yo prefiero el tenis: juego los "
            "domingos por la mañana con mi hermana.",
        ),
        (
            "Hola Lucía, me llamo Tom. Yo es de Manchester, en Inglaterra.",
            "Me gusta mucho el futbol. Los sábados juego con mis amigos en la parque.",
        ),
        (
            coach_json(
                "Hola Lucía, me llamo Tom. Soy de Manchester, en Inglaterra.",
                [
                    (
                        "Yo es",
                        "Soy",
                        "With «yo», ser is «soy»; the «yo» is usually left out.",
                        "grammar",
                    )
                ],
            ),
            coach_json(
                "Me gusta mucho el fútbol. Los sábados juego con mis amigos en el parque.",
                [
                    ("futbol", "fútbol", "Fútbol has a written accent on the u.", "spelling"),
                    ("la parque", "el parque", "Parque is masculine: el parque.", "grammar"),
                ],
            ),
        ),
    ),
    "ja": Conversation(
        "ja",
        "A2",
        (
            "こんにちは！はじめまして、ゆきです。週末は何をしましたか？",
            "いいですね！京都で何を見ましたか？お寺に行きましたか？",
            "金閣寺は本当にきれいですよね。京都の食べ物はどうでしたか？何がおいしかったですか？",
        ),
        (
            "こんにちは。週末は友達と京都を行きました。",
            "はい、金閣寺を見ました。とてもきれいでした。",
        ),
        (
            coach_json(
                "こんにちは。週末は友達と京都に行きました。",
                [("を", "に", "A destination takes に (or へ), not を.", "grammar")],
            ),
            coach_json("はい、金閣寺を見ました。とてもきれいでした。"),
        ),
    ),
    "ar": Conversation(
        "ar",
        "A2",
        (
            "مرحبا! أنا سلمى. كيف حالك اليوم؟ ماذا تحب أن تفعل في عطلة نهاية الأسبوع؟",
            "هذا جميل! ما هو آخر كتاب قرأته؟",
            "رائع! هل زرت القاهرة من قبل؟ أنا أحب المشي قرب النيل في المساء.",
        ),
        (
            "أنا بخير، شكرا. أحب القراءة والمشي في الحديقة.",
            "قرأت رواية جميل عن مدينة القاهرة.",
        ),
        (
            coach_json("أنا بخير، شكرا. أحب القراءة والمشي في الحديقة."),
            coach_json(
                "قرأت رواية جميلة عن مدينة القاهرة.",
                [
                    (
                        "جميل",
                        "جميلة",
                        "رواية is feminine, so its adjective is too: جميلة.",
                        "grammar",
                    )
                ],
            ),
        ),
    ),
}


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        time.sleep(0.005)


def render(conversation: Conversation, data_dir: Path, out: Path) -> MainWindow:
    """Play the conversation in a fresh window and save a PNG of it mid-reply."""
    app = QApplication.instance() or QApplication([])
    assert app is not None
    with OpenAITestServer() as server:
        *done, streaming = conversation.partner
        server.enqueue(*(ScriptedReply(text=line) for line in done))
        server.enqueue(ScriptedReply(text=streaming, token_delay=0.05))
        server.enqueue_coach(*(ScriptedReply(text=answer) for answer in conversation.coach))
        options = parse_arguments(
            [
                "--data-dir",
                str(data_dir),
                "--language",
                conversation.language,
                "--level",
                conversation.level,
                "--native",
                "en",
                "--base-url",
                server.base_url,
                "--model",
                "llama3.2:3b",
            ]
        )
        context, _ = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        window.resize(1040, 700)
        practice = window.practice
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        for line in conversation.learner:
            type_text(window.composer, line)
            QTest.keyClick(window.composer, Qt.Key.Key_Return)
            wait_for(lambda: practice.is_busy)
            if line is not conversation.learner[-1]:
                wait_for(lambda: not practice.is_busy)
        wait_for(lambda: not is_checking(window))
        # Catch the last reply about two thirds of the way in.
        wait_for(lambda: _streamed(window) > 0)
        wait_for(lambda: _streamed(window) > len(streaming) * 2 // 3)
        window.grab().save(str(out))
        practice.stop()
        window.close()
        context.tasks.wait_for_done(3000)
        context.sessions.close()
        return window


def _streamed(window: MainWindow) -> int:
    reply = window.practice._reply
    return len(reply.text) if reply is not None else 0
