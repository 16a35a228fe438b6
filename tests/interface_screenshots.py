"""Render the windows a learner meets in one interface language: the welcome, the main
window mid-conversation, the session report and the review window, for looking at
(scripts/screenshots writes them to docs/screenshots/ui-<language>-<screen>.png) and
for tests/test_interface_screenshots.py, which checks they are translated and fit.

Everything is the app's own: the welcome of a first run, a session against the local
test server (partner, coach and summary answering), the report a learner opens when
the session ends, and the review window with the cards the coach's marks made.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.gui_helpers import is_checking, type_text
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply, coach_json
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.ui.setup.setup_dialogs import WelcomeWizard
from tutor.ui.shell.interface_language import install_interface_language

SCREENS = ("welcome", "main", "report", "review")

# The learner practises Spanish from their own language: the coach's explanation is
# scripted in English (the coach is the model's business, not the interface's).
PARTNER = (
    "¡Hola! Soy Lucía. ¿Qué hiciste el fin de semana?",
    "¡Qué bien! ¿Y con quién fuiste al parque?",
)
LEARNER = "El sábado yo fue al parque y comí un helado."
COACH = coach_json(
    "El sábado yo fui al parque y comí un helado.",
    [("fue", "fui", "'Ir' in the past for 'yo' is 'fui'.", "grammar")],
)


Look = Callable[[str, QWidget], None]

# What the test server's summary says, as a model asked to write in the learner's own
# language would (the learner's own language is the interface's in these pictures).
SUMMARIES = {
    "ko": "메시지를 분명하게 썼고 대화를 이어 갔어요.",
    "ja": "はっきりしたメッセージを書き、会話を続けられました。",
    "de": "Du hast klar geschrieben und das Gespräch am Laufen gehalten.",
    "ar": "كتبت رسالة واضحة وواصلت المحادثة.",
}


def render_interface(
    language: str, data_dir: Path, out_dir: Path, look: Look | None = None
) -> dict[str, Path]:
    """Save a PNG of each screen in SCREENS with the interface in `language`; returns
    where each went. `look` sees each screen's widget first (the tests read its texts).
    The learner's own language is the interface's. The language stays installed: the
    caller puts English back."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, language)
    out_dir.mkdir(parents=True, exist_ok=True)
    shots: dict[str, Path] = {}
    with OpenAITestServer(models=("llama3.2:3b", "nomic-embed-text")) as server:
        server.enqueue(*(ScriptedReply(text=line) for line in PARTNER))
        server.enqueue_coach(ScriptedReply(text=COACH))
        if language in SUMMARIES:
            summary = {"went_well": SUMMARIES[language], "patterns": []}
            server.enqueue_summary(ScriptedReply(text=json.dumps(summary, ensure_ascii=False)))
        options = parse_arguments(["--data-dir", str(data_dir)])
        environ = {"OPENAI_BASE_URL": server.base_url}
        context, _ = build_context(options, environ, key_backend=MemoryKeyring())
        window = launch(context, options)
        window.resize(1040, 700)
        wizard = window.welcome
        assert isinstance(wizard, WelcomeWizard)
        wait_for(lambda: bool(wizard.provider_form.model.currentText()))
        shots["welcome"] = _save(wizard, out_dir, language, "welcome", look)
        wizard.next()
        learner = wizard.learner_form
        learner.native.setCurrentIndex(learner.native.findData(language.split("_")[0]))
        wizard.accept()
        practice = window.practice
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        type_text(window.composer, LEARNER)
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        wait_for(lambda: not practice.is_busy and not is_checking(window))
        shots["main"] = _save(window, out_dir, language, "main", look)
        window.end_action.trigger()
        report = window.report_dialog
        assert report is not None
        wait_for(lambda: not report.summary_pending)
        shots["report"] = _save(report, out_dir, language, "report", look)
        report.close()
        window.show_review()
        review = window.review_window
        assert review is not None
        wait_for(review.isVisible)
        shots["review"] = _save(review, out_dir, language, "review", look)
        review.close()
        window.close()
        context.tasks.wait_for_done(3000)
        context.sessions.close()
    return shots


def _save(widget: QWidget, out_dir: Path, language: str, screen: str, look: Look | None) -> Path:
    QApplication.processEvents()
    if look is not None:
        look(screen, widget)
    path = out_dir / f"ui-{language}-{screen}.png"
    widget.grab().save(str(path))
    return path
