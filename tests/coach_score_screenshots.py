"""Render Settings → Corrections with a measured coach model (and the Model server tab,
whose model is the coach), and the measure dialog's plan, run and result, in one
interface language
(docs/screenshots/coach-score-<language>-<screen>.png).

Run: QT_QPA_PLATFORM=offscreen python -m tests.coach_score_screenshots en ja ar
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from tests.coach_score_endpoint import ITALIAN_CORRECTIONS, CoachScoreScript
from tests.gui_helpers import practice_argv
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.ui.shell.interface_language import install_interface_language
from tutor.ui.shell.style import apply_style


def _coach(delay: float) -> Any:
    """The scripted coach of tests/coach_score_endpoint.py, answering after `delay`."""
    script = CoachScoreScript(ITALIAN_CORRECTIONS)

    def reply(body: dict[str, Any]) -> ScriptedReply:
        return ScriptedReply(tokens=[script(body).text], token_delay=delay)

    return reply


SCREENS = ("plan", "result", "running", "settings", "server")
Look = Callable[[str, QWidget], None]


def render_score(
    language: str, data_dir: Path, out_dir: Path, look: Look | None = None
) -> list[Path]:
    """The screens of SCREENS as PNGs; `look(screen, widget)` sees each one as shown."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, language)
    apply_style(app, "system")
    saved: list[Path] = []
    with OpenAITestServer() as server:
        server.default_coach_reply = _coach(0.0)
        argv = practice_argv(data_dir, server, language="it", native=language)
        options = parse_arguments(argv)
        context, _ = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        wait_for(lambda: not window.practice.is_busy and bool(window.practice.messages))
        window.open_settings()
        settings = window.settings_dialog
        assert settings is not None
        settings.show_tab(settings.corrections_form)
        settings.corrections_form.figures.measure_button.click()
        measure = settings.coach_scores.dialog
        assert measure is not None
        measure.choose.sentences.setValue(50)
        saved.append(_save(measure, out_dir, language, "plan", look))
        measure.start_button.click()
        wait_for(lambda: measure.pages.currentWidget() is measure.result_page, 30)
        saved.append(_save(measure, out_dir, language, "result", look))
        measure.again_button.click()
        server.default_coach_reply = _coach(0.15)
        measure.choose.sentences.setValue(50)
        measure.start_button.click()
        wait_for(lambda: measure.running.bar.value() >= 9, 30)
        saved.append(_save(measure, out_dir, language, "running", look))
        measure.cancel_button.click()
        wait_for(lambda: measure.pages.currentWidget() is measure.result_page, 30)
        measure.close_button.click()
        cards = context.coach_scores.for_model
        wait_for(lambda: len(cards(server.base_url, "tutor-test-small")) == 2)
        saved.append(_save(settings, out_dir, language, "settings", look))
        settings.show_tab(settings.provider_form)
        saved.append(_save(settings, out_dir, language, "server", look))
        settings.reject()
        window.close()
        context.tasks.wait_for_done(5000)
        context.sessions.close()
    return saved


def _save(widget: QWidget, out_dir: Path, language: str, screen: str, look: Look | None) -> Path:
    for _ in range(5):
        QApplication.processEvents()
    if look is not None:
        look(screen, widget)
    path = out_dir / f"coach-score-{language}-{screen}.png"
    widget.grab().save(str(path))
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1]) if sys.argv[1:] and "/" in sys.argv[1] else Path("docs/screenshots")
    codes = [code for code in sys.argv[1:] if "/" not in code] or ["en", "ja", "ar"]
    out.mkdir(parents=True, exist_ok=True)
    for code in codes:
        with tempfile.TemporaryDirectory() as data:
            for shot in render_score(code, Path(data), out):
                print(f"wrote {shot}")
