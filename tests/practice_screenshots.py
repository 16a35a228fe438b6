"""Render "Practise my mistakes" in one interface language: the scenario picker with the
button, the scenario written from a notebook of past-tense mistakes, the practice session
with its goals (one ticked by a right past tense), and the report's targets
(/tmp/practice-shots/practice-<language>-<screen>.png; the best go to docs/screenshots).

Run: QT_QPA_PLATFORM=offscreen python -m tests.practice_screenshots en ja ar
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui_helpers import is_checking, practice_argv, type_text
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply
from tests.practice_endpoint import coach_with_uses, practice_coach_reply
from tests.practice_notebook import write_mistakes
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.ui.shell.interface_language import install_interface_language
from tutor.ui.shell.style import apply_style

PARTNER = (
    "¡Hola! ¡Qué bien verte! ¿Qué tal el fin de semana? ¿Qué hiciste?",
    "¡Qué divertido! ¿Y qué comiste en el mercado?",
    "¡Mmm, qué rico! ¿Y el domingo?",
)


def render_practice(language: str, data_dir: Path, out_dir: Path) -> list[Path]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, language)
    apply_style(app, "system")
    saved: list[Path] = []
    with OpenAITestServer() as server:
        server.default_coach_reply = practice_coach_reply
        argv = practice_argv(data_dir, server, native=language)
        options = parse_arguments(argv)
        context, _ = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        window.resize(1000, 720)
        practice = window.practice
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        write_mistakes(context.sessions, context.corrections)

        window.new_button.click()
        picker = window.dialogs.scenario_picker
        assert picker is not None
        wait_for(picker.isVisible)
        picker.practice.button.setFocus()
        saved.append(_save(picker, out_dir, language, "picker"))
        picker.practice.button.click()
        dialog = picker.practice.dialog
        assert dialog is not None
        wait_for(lambda: dialog.start_button.isVisible())
        saved.append(_save(dialog, out_dir, language, "scenario"))

        server.enqueue(*(ScriptedReply(text=line) for line in PARTNER))
        dialog.start_button.click()
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        _send(window, "El sábado fui al mercado con mi hermana.")
        server.enqueue_coach(
            coach_with_uses(
                "Comí paella y bebí una limonada.",
                [("como", "comí", "Pretérito: comí.", "grammar")],
                [(1, False)],
            )
        )
        _send(window, "Como paella y bebí una limonada.")
        saved.append(_save(window, out_dir, language, "session"))
        window.report_action.trigger()
        report = window.dialogs.report_dialog
        assert report is not None
        wait_for(lambda: not report.summary_pending)
        saved.append(_save(report, out_dir, language, "report"))
        report.close()
        window.close()
        context.tasks.wait_for_done(3000)
        context.sessions.close()
    return saved


def _send(window, text: str) -> None:
    type_text(window.composer, text)
    QTest.keyClick(window.composer, Qt.Key.Key_Return)
    wait_for(lambda: not window.practice.is_busy and not is_checking(window))


def _save(widget: QWidget, out_dir: Path, language: str, screen: str) -> Path:
    for _ in range(5):
        QApplication.processEvents()
    path = out_dir / f"practice-{language}-{screen}.png"
    widget.grab().save(str(path))
    return path


if __name__ == "__main__":
    out = Path("/tmp/practice-shots")
    out.mkdir(parents=True, exist_ok=True)
    for code in sys.argv[1:] or ["en", "ja"]:
        with tempfile.TemporaryDirectory() as data:
            for shot in render_practice(code, Path(data), out):
                print(f"wrote {shot}")
