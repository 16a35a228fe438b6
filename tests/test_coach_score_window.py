"""Settings → Corrections → Measure this model, clicked through like a learner against the
project's test server: the plan, a progress bar that moves, the figures, Cancel keeping a
partial card, a refused key and a dead server said plainly, the model's figures shown
where it is chosen, and the precision-first style saved without strict."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.coach_score_endpoint import ITALIAN_CORRECTIONS, ITALIAN_FIGURES, CoachScoreScript
from tests.gui_helpers import close_app, practice_argv, start_app, type_text, wait_until_idle
from tests.openai_server import OpenAITestServer, ScriptedReply, coach_json, no_mistakes_reply
from tests.openai_server import _learner_wrote as learner_wrote
from tutor.ui.setup.score_dialog import MeasureDialog
from tutor.ui.setup.setup_dialogs import SettingsDialog
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.main_window import MainWindow

SMALL_FILE = Path(__file__).parent / "data" / "coach_score_small.tsv"
# The coach's fixes for SMALL_FILE: three of its six labelled tokens found (ha, bello,
# parla), one correct word changed (molto), "va a il" left: precision 3/4, recall 3/6,
# F0.5 = 1.25 * 0.75 * 0.5 / (0.25 * 0.75 + 0.5) = 0.68.
FIXES = {"io ha": "io ho", "è bello": "è bella", "Loro parla": "Loro parlano", "molto": "tanto"}


def shown(label: QLabel) -> str:
    """A label's text as read, without the isolates that keep names in their place."""
    return "".join(char for char in label.text() if char not in "\u2066\u2067\u2068\u2069")


def fixing_coach(delay: float = 0.0) -> Callable[[dict[str, Any]], ScriptedReply]:
    def reply(body: dict[str, Any]) -> ScriptedReply:
        corrected = learner_wrote(body) or ""
        for wrong, right in FIXES.items():
            corrected = corrected.replace(wrong, right)
        return ScriptedReply(tokens=[coach_json(corrected)], token_delay=delay)

    return reply


def slow_coach(delay: float) -> Callable[[dict[str, Any]], ScriptedReply]:
    def reply(body: dict[str, Any]) -> ScriptedReply:
        answer = no_mistakes_reply(body)
        return ScriptedReply(tokens=[answer.text], token_delay=delay)

    return reply


@pytest.fixture
def app(qtbot, server, data_dir, keyring_backend) -> Iterator[tuple[MainWindow, AppContext]]:
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window, timeout=30_000)  # the word lists load first, once
    yield window, context
    close_app(qtbot, window, context)


def open_corrections(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.show_tab(dialog.corrections_form)
    return dialog


def press_measure(qtbot: QtBot, settings: SettingsDialog) -> MeasureDialog:
    qtbot.mouseClick(settings.corrections_form.figures.measure_button, Qt.MouseButton.LeftButton)
    measure = settings.coach_scores.dialog
    assert measure is not None
    qtbot.waitExposed(measure)
    return measure


def set_spin(qtbot: QtBot, spin: Any, value: int) -> None:
    """Select the number and type another, as a learner does."""
    spin.setFocus()
    spin.selectAll()
    type_text(spin.lineEdit(), str(value))
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    assert spin.value() == value


def choose_file(qtbot: QtBot, measure: MeasureDialog, path: Path) -> None:
    """ "A file…" in the texts box; in the file dialog, the file's folder, its name
    typed, and Open."""
    sources = measure.choose.sources
    sources.setCurrentIndex(sources.count() - 1)
    assert sources.currentText() == "A file…"
    picker = measure.findChild(QFileDialog)
    assert picker is not None
    qtbot.waitExposed(picker)
    name = picker.findChild(QLineEdit, "fileNameEdit")
    assert name is not None
    picker.setDirectory(str(path.parent))  # as if browsed there
    name.setFocus()
    type_text(name, path.name)
    buttons = picker.findChild(QDialogButtonBox)
    assert buttons is not None
    qtbot.mouseClick(
        buttons.button(QDialogButtonBox.StandardButton.Open), Qt.MouseButton.LeftButton
    )


def test_the_italian_sample_measured_from_settings_shows_the_expected_figures(
    qtbot: QtBot, server: OpenAITestServer, app: tuple[MainWindow, AppContext]
) -> None:
    window, context = app
    server.default_coach_reply = CoachScoreScript(ITALIAN_CORRECTIONS)
    settings = open_corrections(qtbot, window)
    figures = settings.corrections_form.figures
    assert figures.lines.text() == "Not measured yet."
    measure = press_measure(qtbot, settings)
    assert measure.choose.sources.currentText() == "Italian learner essays (MERLIN)"
    assert not measure.choose.file_language.isVisible()  # a shipped sample knows its own
    plan = shown(measure.choose.plan)
    assert plan.startswith("50 sentences checked by tutor-test-small: 50 requests (2 at a time)")
    assert plan.endswith("tokens, price unknown for this server.")
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.pages.currentWidget() is measure.result_page, timeout=20_000)
    expected = [ITALIAN_FIGURES[name] for name in ("precision", "recall", "f05")]
    assert [label.text() for label in measure.result_page.figures] == expected
    assert "50 sentences" in measure.result_page.details.text()
    assert "Best published F0.5 on these texts: 82.15%" in measure.result_page.reference.text()
    assert len(server.coach_requests()) == 50
    assert figures.lines.text().startswith(
        "On Italian learner texts: precision 83%, recall 12%, measured "
    )
    (card,) = context.coach_scores.for_model(server.base_url, "tutor-test-small", style="all")
    assert card.complete and card.sentences == 50


def test_measuring_on_a_file_shows_the_plan_then_the_figures_and_keeps_them(
    qtbot: QtBot, server: OpenAITestServer, app: tuple[MainWindow, AppContext]
) -> None:
    window, context = app
    server.default_coach_reply = fixing_coach()
    settings = open_corrections(qtbot, window)
    figures = settings.corrections_form.figures
    assert figures.lines.text() == "Not measured yet."
    measure = press_measure(qtbot, settings)
    assert "tutor-test-small" in measure.heading.text()
    # The shipped Italian sample comes first, with its licence and a plan for 50.
    assert measure.choose.sources.currentText() == "Italian learner essays (MERLIN)"
    assert "CC BY-SA 4.0" in measure.choose.attribution.text()
    assert shown(measure.choose.plan).startswith("50 sentences checked by tutor-test-small")
    assert "price unknown for this server" in shown(measure.choose.plan)
    choose_file(qtbot, measure, SMALL_FILE)
    qtbot.waitUntil(lambda: measure.choose.sources.currentText() != "A file…")
    assert shown(measure.choose.plan).startswith("5 sentences checked by tutor-test-small")
    # A learner's own file is taken to be in the language they learn, until they say.
    language = measure.choose.file_language
    assert language.isVisible() and language.currentData() == "es"
    language.setCurrentIndex(language.findData("it"))
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.pages.currentWidget() is measure.result_page, timeout=10_000)
    big = [label.text() for label in measure.result_page.figures]
    assert big == ["75.0%", "50.0%", "68.2%"]
    assert "5 sentences" in measure.result_page.details.text()
    assert "5 requests" in measure.result_page.details.text()
    assert "0 failed" in measure.result_page.details.text()
    assert not measure.result_page.partial.isVisible()
    assert "written essays, not a chat" in measure.result_page.meaning.text()
    assert "No published figure" in measure.result_page.reference.text()  # the learner's file
    (card,) = context.coach_scores.for_model(server.base_url, "tutor-test-small")
    assert card.complete and card.sentences == 5 and card.style == "all"
    assert (card.counts.true_positives, card.counts.false_positives) == (3, 1)
    assert card.counts.false_negatives == 3
    # Where the model is chosen, its figures now show.
    assert figures.lines.text().startswith("On Italian learner texts: precision 75%, recall 50%")


def test_the_progress_bar_moves_and_the_reference_shows(
    qtbot: QtBot, server: OpenAITestServer, app: tuple[MainWindow, AppContext]
) -> None:
    window, context = app
    server.default_coach_reply = slow_coach(0.05)
    settings = open_corrections(qtbot, window)
    measure = press_measure(qtbot, settings)
    set_spin(qtbot, measure.choose.sentences, 12)
    set_spin(qtbot, measure.choose.parallel, 1)
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    assert measure.pages.currentWidget() is measure.running
    bar = measure.running.bar
    assert bar.maximum() == 12
    qtbot.waitUntil(lambda: 0 < bar.value() < 12, timeout=10_000)
    assert "of 12 sentences" in measure.running.figures.text()
    qtbot.waitUntil(lambda: measure.pages.currentWidget() is measure.result_page, timeout=20_000)
    # A coach that marks nothing: no precision to speak of, and no mistake found.
    assert [label.text() for label in measure.result_page.figures] == ["—", "0.0%", "—"]
    assert "Best published F0.5 on these texts: 82.15%" in measure.result_page.reference.text()
    assert "MERLIN" in measure.result_page.attribution.text()
    assert context.settings.score_parallel_requests == 1  # kept for the next run


def test_cancel_midway_keeps_a_partial_card(
    qtbot: QtBot, server: OpenAITestServer, app: tuple[MainWindow, AppContext]
) -> None:
    window, context = app
    server.default_coach_reply = slow_coach(0.1)
    settings = open_corrections(qtbot, window)
    measure = press_measure(qtbot, settings)
    set_spin(qtbot, measure.choose.parallel, 1)
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.running.bar.value() >= 2, timeout=10_000)
    qtbot.mouseClick(measure.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.pages.currentWidget() is measure.result_page, timeout=10_000)
    assert measure.result_page.partial.isVisible()
    assert "Stopped early" in measure.result_page.partial.text()
    (card,) = context.coach_scores.for_model(server.base_url, "tutor-test-small")
    assert not card.complete and 2 <= card.sentences < 50
    lines = settings.corrections_form.figures.lines.text()
    assert f"(partial: {card.sentences} sentences)" in lines


def test_closing_the_dialog_midway_cancels_and_keeps_the_card(
    qtbot: QtBot, server: OpenAITestServer, app: tuple[MainWindow, AppContext]
) -> None:
    window, context = app
    server.default_coach_reply = slow_coach(0.1)
    settings = open_corrections(qtbot, window)
    measure = press_measure(qtbot, settings)
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.running.bar.value() >= 1, timeout=10_000)
    qtbot.keyClick(measure, Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: len(context.coach_scores.for_model(server.base_url, "tutor-test-small")) == 1,
        timeout=10_000,
    )
    (card,) = context.coach_scores.for_model(server.base_url, "tutor-test-small")
    assert not card.complete
    requests = len(server.coach_requests())
    assert requests < 50  # it stopped, not ran on behind the closed dialog
    qtbot.waitUntil(lambda: "partial" in settings.corrections_form.figures.lines.text())


def test_a_refused_key_is_said_plainly_and_nothing_is_kept(
    qtbot: QtBot, server: OpenAITestServer, app: tuple[MainWindow, AppContext]
) -> None:
    window, context = app
    server.enqueue_coach(
        *[ScriptedReply(status=401, error_message="Incorrect API key provided.")] * 4
    )
    settings = open_corrections(qtbot, window)
    measure = press_measure(qtbot, settings)
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.choose.error.isVisible(), timeout=10_000)
    assert measure.pages.currentWidget() is measure.choose  # every choice still there
    assert "key" in measure.choose.error.text().lower()
    assert "Traceback" not in measure.choose.error.text()
    assert context.coach_scores.for_model(server.base_url, "tutor-test-small") == []
    assert measure.start_button.isEnabled()


def test_a_dead_server_is_said_plainly(qtbot: QtBot, app: tuple[MainWindow, AppContext]) -> None:
    window, _context = app
    settings = open_corrections(qtbot, window)
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/v1"
    settings.show_tab(settings.provider_form)
    address = settings.provider_form.base_url
    address.selectAll()
    type_text(address, dead)
    settings.show_tab(settings.corrections_form)
    assert settings.corrections_form.figures.lines.text() == "Not measured yet."
    measure = press_measure(qtbot, settings)
    assert dead in measure.heading.text()
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.choose.error.isVisible(), timeout=20_000)
    assert "127.0.0.1" in measure.choose.error.text()
    assert "Traceback" not in measure.choose.error.text()


def test_a_bad_file_is_said_plainly_and_the_texts_stay(
    qtbot: QtBot, tmp_path: Path, app: tuple[MainWindow, AppContext]
) -> None:
    window, _context = app
    bad = tmp_path / "essays.tsv"
    bad.write_text("Ciao\tc\nmondo\tmaybe\n", encoding="utf-8")
    measure = press_measure(qtbot, open_corrections(qtbot, window))
    choose_file(qtbot, measure, bad)
    qtbot.waitUntil(lambda: measure.choose.error.isVisible())
    assert "essays.tsv" in measure.choose.error.text()
    assert measure.choose.sources.currentText() == "Italian learner essays (MERLIN)"
    assert measure.start_button.isEnabled()


def test_the_figures_follow_the_model_in_the_box(
    qtbot: QtBot, server: OpenAITestServer, app: tuple[MainWindow, AppContext]
) -> None:
    window, _context = app
    server.default_coach_reply = fixing_coach()
    settings = open_corrections(qtbot, window)
    form = settings.corrections_form
    measure = press_measure(qtbot, settings)
    choose_file(qtbot, measure, SMALL_FILE)
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.pages.currentWidget() is measure.result_page, timeout=10_000)
    qtbot.mouseClick(measure.close_button, Qt.MouseButton.LeftButton)
    measured = form.figures.lines.text()
    assert "precision 75%" in measured
    # The partner's model is the coach while the coach model is empty: its box says so.
    note = settings.coach_scores.model_note
    assert note.text() == "As the coach (Settings → Corrections):\n" + measured
    settings.show_tab(settings.provider_form)
    assert note.isVisible()
    settings.show_tab(form)
    form.coach_model.setFocus()
    type_text(form.coach_model, "tutor-test-large")
    assert form.figures.lines.text() == "Not measured yet."
    assert not note.isVisibleTo(settings)  # another model checks the messages now
    form.coach_model.clear()
    assert form.figures.lines.text() == measured
    # The partner's model, which is the coach while the coach model is empty.
    settings.show_tab(settings.provider_form)
    partner = settings.provider_form.model.lineEdit()
    assert partner is not None
    partner.selectAll()
    type_text(partner, "tutor-test-large")
    assert form.figures.lines.text() == "Not measured yet."
    partner.selectAll()
    type_text(partner, "tutor-test-small")
    assert form.figures.lines.text() == measured
    settings.show_tab(form)
    # Another style has figures of its own.
    qtbot.mouseClick(form.precise, Qt.MouseButton.LeftButton)
    assert form.figures.lines.text() == "Not measured yet."


def test_precision_first_saves_precise_and_excludes_strict(
    qtbot: QtBot, app: tuple[MainWindow, AppContext]
) -> None:
    window, context = app
    settings = open_corrections(qtbot, window)
    form = settings.corrections_form
    qtbot.mouseClick(form.strict, Qt.MouseButton.LeftButton)
    assert form.strict.isChecked()
    qtbot.mouseClick(form.precise, Qt.MouseButton.LeftButton)
    assert form.precise.isChecked() and not form.strict.isChecked()
    settings.buttons.button(settings.buttons.StandardButton.Save).click()
    style = context.settings.corrections
    assert style.precise and not style.strict
    # The Corrections menu shows it, and ticking strict there unticks it.
    assert window.menus.precise_action.isChecked()
    assert not window.menus.strict_action.isChecked()
    window.menus.strict_action.trigger()
    style = context.settings.corrections
    assert style.strict and not style.precise
    assert not window.menus.precise_action.isChecked()
    QApplication.processEvents()


def test_settings_destroyed_midway_stops_the_run_and_keeps_the_card(
    qtbot: QtBot, server: OpenAITestServer, app: tuple[MainWindow, AppContext]
) -> None:
    """As when the app quits: Settings and the dialog go without being closed."""
    window, context = app
    server.default_coach_reply = slow_coach(0.1)
    settings = open_corrections(qtbot, window)
    measure = press_measure(qtbot, settings)
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.running.bar.value() >= 1, timeout=10_000)
    settings.deleteLater()
    qtbot.waitUntil(
        lambda: len(context.coach_scores.for_model(server.base_url, "tutor-test-small")) == 1,
        timeout=10_000,
    )
    assert len(server.coach_requests()) < 50
    (card,) = context.coach_scores.for_model(server.base_url, "tutor-test-small")
    assert not card.complete


def test_every_control_of_the_measure_dialog_has_a_name(
    qtbot: QtBot, app: tuple[MainWindow, AppContext]
) -> None:
    from tests.test_accessibility import unnamed_controls

    window, _context = app
    measure = press_measure(qtbot, open_corrections(qtbot, window))
    assert unnamed_controls(measure) == []
    assert unnamed_controls(window.settings_dialog) == []  # type: ignore[arg-type]


def test_figures_that_cannot_be_kept_are_still_shown_with_the_reason(
    qtbot: QtBot,
    server: OpenAITestServer,
    app: tuple[MainWindow, AppContext],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, context = app
    server.default_coach_reply = fixing_coach()

    def full_disk(_card: object) -> int:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(context.coach_scores, "save", full_disk)
    measure = press_measure(qtbot, open_corrections(qtbot, window))
    choose_file(qtbot, measure, SMALL_FILE)
    qtbot.mouseClick(measure.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: measure.pages.currentWidget() is measure.result_page, timeout=10_000)
    assert [label.text() for label in measure.result_page.figures] == ["75.0%", "50.0%", "68.2%"]
    problem = measure.result_page.error.text()
    assert problem == (
        "These figures could not be kept (database or disk is full); they are shown here only."
    )


def test_measure_without_a_model_says_what_is_missing(
    qtbot: QtBot, app: tuple[MainWindow, AppContext]
) -> None:
    window, _context = app
    settings = open_corrections(qtbot, window)
    settings.show_tab(settings.provider_form)
    partner = settings.provider_form.model.lineEdit()
    assert partner is not None
    partner.clear()
    settings.show_tab(settings.corrections_form)
    figures = settings.corrections_form.figures
    qtbot.mouseClick(figures.measure_button, Qt.MouseButton.LeftButton)
    assert settings.coach_scores.dialog is None  # nothing to measure yet
    assert figures.problem.isVisible()
    assert figures.problem.text().startswith("Model:")
