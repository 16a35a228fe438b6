"""Render a partner who remembers in one interface language: a Spanish session where the
learner says their name, city and an exam day, ended and read for facts (written in the
learner's own language, as the coach's model is asked to), one fact added by hand; then
"What your partner knows about you" (docs/screenshots/memory-<language>-facts.png) and
the next session's system message with the facts (memory-<language>-system.png).

Run: QT_QPA_PLATFORM=offscreen python -m tests.memory_screenshots en ja ar
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui_helpers import is_checking, practice_argv, type_text
from tests.memory_endpoint import facts_reply
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.domain.memory import FactKind
from tutor.services import memory
from tutor.ui.shell.interface_language import install_interface_language
from tutor.ui.shell.style import apply_style

LEARNER = (
    "Hola, me llamo Lucía y vivo en Sevilla.",
    "Trabajo como enfermera. El viernes tengo un examen de español.",
)
FACTS = {
    "en": ("Is called Lucía", "Lives in Seville", "Works as a nurse", "Has a Spanish exam",
           "Has two cats"),
    "ja": ("名前はルシア", "セビリアに住んでいる", "看護師として働いている",
           "スペイン語の試験がある", "猫を2匹飼っている"),
    "ar": ("اسمها لوسيا", "تسكن في إشبيلية", "تعمل ممرضة", "لديها امتحان في الإسبانية",
           "لديها قطتان"),
}  # fmt: skip


def render_memory(language: str, data_dir: Path, out_dir: Path) -> list[Path]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, language)
    apply_style(app, "system")
    name, home, work, exam, cats = FACTS[language]
    friday = date.today() + timedelta(days=(4 - date.today().weekday() - 1) % 7 + 1)
    saved: list[Path] = []
    with OpenAITestServer() as server:
        server.enqueue_task(
            "remember",
            facts_reply(
                {"kind": "name", "text": name},
                {"kind": "home", "text": home},
                {"kind": "work", "text": work},
                {"kind": "plan", "text": exam, "date": friday.isoformat()},
            ),
        )
        argv = practice_argv(data_dir, server, native=language)
        options = parse_arguments(argv)
        context, _ = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        window.resize(1000, 720)
        practice = window.practice
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        for line in LEARNER:
            type_text(window.composer, line)
            QTest.keyClick(window.composer, Qt.Key.Key_Return)
            wait_for(lambda: not practice.is_busy and not is_checking(window))
        reader = window.conversation.memory.reader
        window.end_action.trigger()
        wait_for(lambda: not reader.busy and len(context.learner_facts.facts()) == 4)
        if window.report_dialog is not None:
            window.report_dialog.close()
        memory.add_fact(context, cats, FactKind.FAMILY, None)
        window.conversation.memory.show_facts()
        facts = window.conversation.memory.facts_window
        assert facts is not None
        facts.select(home)
        saved.append(_save(facts, out_dir, language, "facts"))
        facts.close()
        window.new_session()
        wait_for(lambda: not practice.is_busy and len(practice.messages) == 1)
        window.show_system_message()
        dialog = window.system_dialog
        assert dialog is not None
        dialog.resize(720, 560)
        bar = dialog.text.verticalScrollBar()
        bar.setValue(bar.maximum())  # the facts come last
        saved.append(_save(dialog, out_dir, language, "system"))
        dialog.close()
        window.close()
        context.tasks.wait_for_done(3000)
        context.sessions.close()
    return saved


def _save(widget: QWidget, out_dir: Path, language: str, screen: str) -> Path:
    for _round in range(3):
        QApplication.processEvents()
    path = out_dir / f"memory-{language}-{screen}.png"
    widget.grab().save(str(path))
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1]) if sys.argv[1:2] and "/" in sys.argv[1] else Path("docs/screenshots")
    codes = [code for code in sys.argv[1:] if "/" not in code] or list(FACTS)
    out.mkdir(parents=True, exist_ok=True)
    for code in codes:
        with tempfile.TemporaryDirectory() as data:
            for shot in render_memory(code, Path(data), out):
                print(f"wrote {shot}")
