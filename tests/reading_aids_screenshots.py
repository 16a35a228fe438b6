"""Render the window with reading aids on: pinyin over Chinese, furigana over Japanese,
romanization over Korean, in an English interface and the Japanese session in a Chinese
one. `python -m tests.reading_aids_screenshots [folder]` writes
docs/screenshots/reading-<language>[-<interface>].png; tests/test_reading_aids_gui.py
renders one into a temporary folder.

The replies come from the local test server; the window, the store, the readings and
their painting are the app's.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui_helpers import is_checking, type_text
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply, coach_json
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.domain.conversation import Role
from tutor.ui.shell.interface_language import install_interface_language
from tutor.ui.shell.main_window import MainWindow


@dataclass(frozen=True)
class Conversation:
    language: str
    partner: tuple[str, ...]
    learner: tuple[str, ...]
    coach: tuple[str, ...]


CONVERSATIONS = {
    "zh": Conversation(
        "zh",
        (
            "你好！我叫王芳。很高兴认识你。你是哪国人？",
            "伦敦很漂亮！你为什么学习中文？你喜欢喝茶吗？",
            "太好了！我们周末一起去银行旁边的茶馆吧。那里的绿茶很好喝，还有很多点心。",
        ),
        ("我是英国人，我住在伦敦。", "我喜欢喝茶。我去了茶馆昨天。"),
        (
            coach_json("我是英国人，我住在伦敦。"),
            coach_json(
                "我喜欢喝茶。我昨天去了茶馆。",
                [("去了茶馆昨天", "昨天去了茶馆", "Time words come before the verb.", "grammar")],
            ),
        ),
    ),
    "ja": Conversation(
        "ja",
        (
            "こんにちは！はじめまして、ゆきです。週末は何をしましたか？",
            "いいですね！京都で何を見ましたか？お寺に行きましたか？",
            "金閣寺は本当にきれいですよね。京都の食べ物はどうでしたか？一人で行ったんですか？",
        ),
        ("こんにちは。週末は友達と京都を行きました。", "はい、金閣寺を見ました。"),
        (
            coach_json(
                "こんにちは。週末は友達と京都に行きました。",
                [("を", "に", "A destination takes に (or へ), not を.", "grammar")],
            ),
            coach_json("はい、金閣寺を見ました。"),
        ),
    ),
    "ko": Conversation(
        "ko",
        (
            "안녕하세요! 저는 민수예요. 만나서 반갑습니다. 이름이 뭐예요?",
            "톰 씨, 반가워요! 한국 음식을 좋아해요?",
            "저도 김치찌개를 정말 좋아해요. 이번 주말에 같이 식당에 갈까요? "
            "학교 앞에 맛있는 곳이 있어요.",
        ),
        ("안녕하세요. 제 이름은 톰이에요.", "네, 김치찌개를 좋아해요."),
        (coach_json("안녕하세요. 제 이름은 톰이에요."), coach_json("네, 김치찌개를 좋아해요.")),
    ),
}


def render(language: str, interface: str, data_dir: Path, out: Path) -> MainWindow:
    """Play the conversation at A1 (reading aids shown from the start) with the
    interface in `interface` (the learner's own language), and save a PNG once the
    last reply is read. English is put back after."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, interface)
    conversation = CONVERSATIONS[language]
    native = {"zh_Hans": "zh", "pt_BR": "pt"}.get(interface, interface)
    try:
        with OpenAITestServer() as server:
            server.enqueue(*(ScriptedReply(text=line) for line in conversation.partner))
            server.enqueue_coach(*(ScriptedReply(text=answer) for answer in conversation.coach))
            options = parse_arguments(
                [
                    *("--data-dir", str(data_dir), "--language", language),
                    *("--level", "A1", "--native", native),
                    *("--base-url", server.base_url, "--model", "llama3.2:3b"),
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
                wait_for(lambda: not practice.is_busy)
            wait_for(lambda: not is_checking(window))
            overlay = window.conversation.reading_aids.overlay
            last = next(m for m in reversed(practice.messages) if m.role is Role.ASSISTANT)
            wait_for(lambda: bool(overlay.readings_of(last.id)), timeout=20)
            QTest.qWait(100)  # the room made, the layout done
            window.grab().save(str(out))
            window.close()
            context.tasks.wait_for_done(3000)
            context.sessions.close()
            return window
    finally:
        install_interface_language(app, "en")


SHOTS = (("zh", "en"), ("ja", "en"), ("ko", "en"), ("ja", "zh_Hans"))


def main(folder: str = "docs/screenshots") -> None:
    app = QApplication.instance() or QApplication([])
    assert app is not None
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for language, interface in SHOTS:
        name = f"reading-{language}" + ("" if interface == "en" else f"-{interface}")
        with tempfile.TemporaryDirectory() as data:
            render(language, interface, Path(data), out / f"{name}.png")
        print(f"wrote {out / name}.png")


if __name__ == "__main__":
    main(*sys.argv[1:])
