"""Render the fit meter as a learner meets it: a conversation whose replies fit, are a
bit hard and are too hard for the learner's level, the hard words underlined, and the
meter's tooltip. For looking at (python -m tests.level_fit_screenshots writes
docs/screenshots/fit-<interface>-<target>.png and its -tooltip.png) and for
tests/test_level_fit_gui.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from tests.gui_helpers import is_checking, type_text
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply, coach_json
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.ui.shell.interface_language import install_interface_language


@dataclass(frozen=True)
class FitConversation:
    language: str
    native: str
    level: str
    partner: tuple[str, ...]
    learner: tuple[str, ...]


SPANISH = FitConversation(
    "es",
    "ja",
    "A1",
    (
        "¡Hola! Me llamo Lucía. Vivo en Madrid con mi familia. ¿Y tú? ¿Dónde vives?",
        "¡Qué bien! Osaka es una ciudad muy grande. ¿Te gusta la comida de tu ciudad?",
        "A mí me fascinan los mercados: el bullicio, los puestos abarrotados de "
        "especias y el regateo incesante de los comerciantes. ¿Qué opinas?",
    ),
    ("Hola, Lucía. Vivo en Osaka, en Japón.", "Sí, me gusta mucho la comida."),
)
JAPANESE = FitConversation(
    "ja",
    "en",
    "A2",
    (
        "こんにちは！ゆきです。週末は何をしましたか？",
        "いいですね！京都で何を見ましたか？お寺に行きましたか？",
        "金閣寺の絢爛たる佇まいは、幽玄な庭園と相まって、訪れる者を魅了してやみません。",
    ),
    ("週末は友達と京都に行きました。", "はい、金閣寺を見ました。"),
)


def render_fit(conversation: FitConversation, interface: str, out: Path, data_dir: Path) -> Path:
    """Play the conversation in a fresh window in `interface`, save the window and the
    last meter's tooltip as PNGs; returns the window's PNG."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, interface)
    with OpenAITestServer() as server:
        server.enqueue(*(ScriptedReply(text=line) for line in conversation.partner))
        server.enqueue_coach(
            *(ScriptedReply(text=coach_json(line)) for line in conversation.learner)
        )
        learner = ["--language", conversation.language, "--level", conversation.level]
        server_args = ["--base-url", server.base_url, "--model", "llama3.2:3b"]
        options = parse_arguments(
            ["--data-dir", str(data_dir), *learner, "--native", conversation.native, *server_args]
        )
        context, _ = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        window.resize(1040, 640)
        practice = window.practice
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        for line in conversation.learner:
            type_text(window.composer, line)
            QTest.keyClick(window.composer, Qt.Key.Key_Return)
            wait_for(lambda: practice.is_busy)
            wait_for(lambda: not practice.is_busy)
        wait_for(lambda: not is_checking(window))
        replies = [m for m in practice.messages if m.role.value == "assistant"]
        wait_for(lambda: all(context.level_fits.fit(m) for m in replies))
        wait_for(lambda: bool(window.chat.extraSelections()))
        QApplication.processEvents()
        window.grab().save(str(out))
        last = window.conversation.level_fit.actions(replies[-1])[0]
        QToolTip.showText(window.mapToGlobal(QPoint(400, 300)), last.tooltip, window)
        wait_for(lambda: any(w.isVisible() and w.inherits("QLabel") for w in app.topLevelWidgets()))
        tip = next(w for w in app.topLevelWidgets() if w.isVisible() and w.inherits("QLabel"))
        tip.grab().save(str(out.with_name(out.stem + "-tooltip.png")))
        QToolTip.hideText()
        window.close()
        context.tasks.wait_for_done(3000)
        context.sessions.close()
    install_interface_language(app, "en")
    return out


if __name__ == "__main__":
    import tempfile

    folder = Path("docs/screenshots")
    for conversation, interface in ((JAPANESE, "en"), (SPANISH, "ja")):
        with tempfile.TemporaryDirectory() as data:
            name = folder / f"fit-{interface}-{conversation.language}.png"
            print("wrote", render_fit(conversation, interface, name, Path(data)))
