"""Render help with what to say in one interface language: a café scenario where the
partner's second reply is said more simply, the hint panel under it, and the answer to
"? I'd like the bill" (docs/screenshots/help-<language>-<screen>.png). The learner's own
language is the interface's, so the notes are scripted in it, as the coach's model
would write them.

Run: QT_QPA_PLATFORM=offscreen python -m tests.say_screenshots en de
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui_helpers import is_checking, practice_argv, type_text
from tests.help_say_endpoint import options_reply
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.ui.shell.interface_language import install_interface_language
from tutor.ui.shell.style import apply_style

PARTNER = (
    "¡Buenos días! Bienvenido a la Cafetería Sol. ¿Qué le pongo?",
    "Por supuesto. Hoy también tenemos una tarta de almendras recién horneada que combina "
    "de maravilla con un cortado; ¿le apetece probarla?",
)
LEARNER = "Un café con leche, por favor."
SIMPLER = "Claro. Hoy tenemos tarta de almendras. Es muy buena con café. ¿Quiere probarla?"
HINTS = (
    "Sí, por favor. Un trozo pequeño.",
    "No, gracias. Solo el café.",
    "¿Cuánto cuesta la tarta?",
)
SAYS = ("La cuenta, por favor.", "¿Me trae la cuenta, por favor?", "¿Cuánto le debo?")
NOTES = {
    "en": (
        "I'd like the bill, please",
        ("Yes, please. A small piece.", "No, thank you. Just the coffee.", "How much is the cake?"),
        (
            "Short and polite: right in any café or restaurant.",
            "A polite request to the waiter (usted).",
            "“How much do I owe you?”: usual at the counter.",
        ),
    ),
    "de": (
        "Ich möchte bitte zahlen",
        ("Ja, bitte. Ein kleines Stück.", "Nein, danke. Nur den Kaffee.", "Was kostet der Kuchen?"),
        (
            "Kurz und höflich: passt in jedem Café und Restaurant.",
            "Eine höfliche Bitte an den Kellner (usted).",
            "„Was schulde ich Ihnen?“: üblich an der Theke.",
        ),
    ),
    "ar": (
        "أريد الحساب من فضلك",
        ("نعم، من فضلك. قطعة صغيرة.", "لا، شكرًا. القهوة فقط.", "كم سعر الكعكة؟"),
        (
            "قصيرة ومهذبة: تناسب أي مقهى أو مطعم.",
            "طلب مهذب من النادل (usted).",
            "«كم أدين لك؟»: شائعة عند المنضدة.",
        ),
    ),
}


def render_help(language: str, data_dir: Path, out_dir: Path) -> list[Path]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, language)
    apply_style(app, "system")  # as main() does: the panel's border, the notes' colour
    meaning, hint_notes, say_notes = NOTES[language]
    saved: list[Path] = []
    with OpenAITestServer() as server:
        server.enqueue(*(ScriptedReply(text=line) for line in PARTNER))
        server.enqueue_task("simplify", ScriptedReply(text=json.dumps({"simpler": SIMPLER})))
        server.enqueue_task("hint", options_reply(list(zip(HINTS, hint_notes, strict=True))))
        server.enqueue_task("say", options_reply(list(zip(SAYS, say_notes, strict=True))))
        argv = practice_argv(data_dir, server, "--scenario", "cafe-order", native=language)
        options = parse_arguments(argv)
        context, _ = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        window.resize(1000, 720)
        practice = window.practice
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        type_text(window.composer, LEARNER)
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        wait_for(lambda: not practice.is_busy and not is_checking(window))
        window.conversation.simpler.ask(practice.messages[-1].id)
        wait_for(lambda: SIMPLER in window.chat.toPlainText())
        panel = window.conversation.assist.panel
        window.conversation.assist.hint_button.click()
        wait_for(lambda: bool(panel.use_buttons))
        saved.append(_save(window, out_dir, language, "hint"))
        panel.close_panel()
        type_text(window.composer, "? " + meaning)
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        wait_for(lambda: panel.isVisible() and bool(panel.use_buttons))
        saved.append(_save(window, out_dir, language, "say"))
        window.close()
        context.tasks.wait_for_done(3000)
        context.sessions.close()
    return saved


def _save(window: QWidget, out_dir: Path, language: str, screen: str) -> Path:
    QApplication.processEvents()
    path = out_dir / f"help-{language}-{screen}.png"
    window.grab().save(str(path))
    return path


if __name__ == "__main__":
    out = Path("docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    for code in sys.argv[1:] or list(NOTES):
        with tempfile.TemporaryDirectory() as data:
            for shot in render_help(code, Path(data), out):
                print(f"wrote {shot}")
