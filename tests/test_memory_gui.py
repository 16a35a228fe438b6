"""A partner who remembers, driven through the real window against the test server: a
learner says their name and an exam day, ends the session, and the next session's
partner knows both; the facts window edits, deletes and forgets; memory off sends no
reading; a reading that fails says so quietly in the facts window."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from tests.gui_helpers import (
    close_app,
    open_practice,
    session_of,
    type_and_send,
    type_text,
    wait_until_idle,
)
from tests.memory_endpoint import next_weekday
from tests.openai_server import ScriptedReply
from tutor.domain.memory_block import HEADING
from tutor.ui.memory.facts_window import FactsWindow
from tutor.ui.memory.reading import CATCH_UP_MS


def _system_message(request: dict) -> str:
    return str(request["messages"][0]["content"])


def _tell_and_end(qtbot, window, context, *lines: str) -> None:
    for line in lines:
        type_and_send(qtbot, window, line)
        wait_until_idle(qtbot, window)
    window.end_action.trigger()  # "End session and see report"
    reader = window.conversation.memory.reader
    qtbot.waitUntil(lambda: not reader.busy, timeout=5000)
    if window.report_dialog is not None:
        window.report_dialog.close()


def _new_session(qtbot, window) -> None:
    before = window.practice.session
    qtbot.mouseClick(window.new_button, Qt.MouseButton.LeftButton)
    picker = window.scenario_picker
    assert picker is not None
    qtbot.mouseClick(picker.free_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.practice.session is not before)
    wait_until_idle(qtbot, window)


def _facts_window(qtbot, window) -> FactsWindow:
    window.conversation.memory.facts_action.trigger()  # Session → What your partner knows
    facts = window.conversation.memory.facts_window
    assert facts is not None
    qtbot.waitExposed(facts)
    return facts


def test_the_next_session_knows_the_name_and_the_exam(
    qtbot, server, data_dir, keyring_backend
) -> None:
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    assert HEADING not in _system_message(server.partner_requests()[-1])
    _tell_and_end(qtbot, window, context, "Hola, me llamo Lucía", "Tengo un examen el viernes")

    (reading,) = server.task_requests("remember")
    assert reading["model"] == "tutor-test-small"  # the coach's model
    report = context.reports.report(session_of(window).id)
    assert report is not None and report.figures.memory_tokens.total_tokens > 0
    window.report_action.trigger()  # the report again: the reading is counted in it
    assert window.report_dialog is not None
    assert "tokens to read what you shared" in window.report_dialog.view.toPlainText()
    window.report_dialog.close()

    _new_session(qtbot, window)
    system = _system_message(server.partner_requests()[-1])
    exam = next_weekday(datetime.now(UTC).astimezone().date(), 4)
    assert HEADING in system
    assert '"Is called Lucía"' in system
    assert f"plan, {exam.isoformat()} (Friday)" in system and '"Has an exam"' in system
    # No copy of a fact is kept with the new session: it is added at request time.
    assert "Lucía" not in session_of(window).system_message

    window.system_button.click()
    shown = window.system_dialog
    assert shown is not None
    assert '"Is called Lucía"' in shown.text.toPlainText()
    shown.close()
    close_app(qtbot, window, context)
    logged = context.paths.log_file.read_text(encoding="utf-8")
    assert "read for facts" in logged  # the reading is logged, by its counts only
    assert "Lucía" not in logged and "Has an exam" not in logged


def test_the_facts_window_edits_deletes_and_forgets(
    qtbot, server, data_dir, keyring_backend
) -> None:
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    _tell_and_end(qtbot, window, context, "Me llamo Lucía y vivo en Sevilla")
    facts = _facts_window(qtbot, window)
    assert sorted(facts.facts_shown()) == ["Is called Lucía", "Lives in Sevilla"]
    row = facts.tree.topLevelItem(facts.facts_shown().index("Lives in Sevilla"))
    assert row is not None and session_of(window).title in row.text(3)

    facts.select("Is called Lucía")
    qtbot.mouseClick(facts.edit_button, Qt.MouseButton.LeftButton)
    editor = facts.editor
    assert editor is not None
    editor.text.selectAll()
    type_text(editor.text, "Prefers to be called Lu")
    save = editor.buttons.button(editor.buttons.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Prefers to be called Lu" in facts.facts_shown())

    facts.select("Lives in Sevilla")
    qtbot.mouseClick(facts.delete_button, Qt.MouseButton.LeftButton)
    assert facts.facts_shown() == ["Prefers to be called Lu"]

    qtbot.mouseClick(facts.add_button, Qt.MouseButton.LeftButton)
    editor = facts.editor
    assert editor is not None
    save = editor.buttons.button(editor.buttons.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # nothing typed: refused, kept open
    assert editor.isVisible() and "needs a few words" in editor.error.text()
    type_text(editor.text, "Has two cats")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Has two cats" in facts.facts_shown())
    added = facts.tree.topLevelItem(facts.facts_shown().index("Has two cats"))
    assert added is not None and added.text(3) == "added by you"

    _new_session(qtbot, window)
    system = _system_message(server.partner_requests()[-1])
    assert '"Prefers to be called Lu"' in system and '"Has two cats"' in system
    assert "Sevilla" not in system

    exported = data_dir / "my-facts.json"
    facts.ask_export_path = lambda: exported  # type: ignore[method-assign]  # the file dialog
    qtbot.mouseClick(facts.export_button, Qt.MouseButton.LeftButton)
    assert "Saved 2 facts" in facts.note.text()
    assert "Has two cats" in exported.read_text(encoding="utf-8")

    qtbot.mouseClick(facts.forget_button, Qt.MouseButton.LeftButton)
    box = facts.confirm
    assert box is not None and "cannot be undone" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert len(facts.facts_shown()) == 2  # cancelled: nothing forgotten
    qtbot.mouseClick(facts.forget_button, Qt.MouseButton.LeftButton)
    assert facts.confirm is not None
    facts.forget_confirm_button.click()
    qtbot.waitUntil(lambda: facts.facts_shown() == [])
    assert facts.empty.isVisible()

    type_and_send(qtbot, window, "Hola otra vez")
    wait_until_idle(qtbot, window)
    assert HEADING not in _system_message(server.partner_requests()[-1])
    close_app(qtbot, window, context)


def test_memory_off_sends_no_reading_and_no_fact(qtbot, server, data_dir, keyring_backend) -> None:
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    _tell_and_end(qtbot, window, context, "Me llamo Lucía")
    facts = _facts_window(qtbot, window)
    facts.switch.setFocus()
    qtbot.keyClick(facts.switch, Qt.Key.Key_Space)  # memory off
    assert context.settings.memory is False and "Memory is off" in facts.note.text()
    assert context.settings_file.load().settings.memory is False

    _new_session(qtbot, window)
    assert HEADING not in _system_message(server.partner_requests()[-1])
    _tell_and_end(qtbot, window, context, "Vivo en Sevilla")
    assert len(server.task_requests("remember")) == 1  # only the one made before
    close_app(qtbot, window, context)


def test_a_failed_reading_is_quiet_and_loses_nothing(
    qtbot, server, data_dir, keyring_backend
) -> None:
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_task("remember", *(ScriptedReply(text="Lucía, I guess") for _ in range(3)))
    _tell_and_end(qtbot, window, context, "Me llamo Lucía")
    modal = QApplication.activeModalWidget()
    assert modal is None or not isinstance(modal, QMessageBox)  # no dialog in practice
    facts = _facts_window(qtbot, window)
    assert facts.facts_shown() == []
    assert facts.note.isVisible() and "could not read what you shared" in facts.note.text()

    window.conversation.memory.reader.read_session(session_of(window).id)  # read again
    reader = window.conversation.memory.reader
    qtbot.waitUntil(lambda: not reader.busy)
    qtbot.waitUntil(lambda: facts.facts_shown() == ["Is called Lucía"])
    assert not facts.note.isVisible()
    assert isinstance(facts, QDialog)
    close_app(qtbot, window, context)


def test_a_long_session_is_read_at_a_quiet_moment(
    qtbot, server, data_dir, keyring_backend, monkeypatch
) -> None:
    monkeypatch.setattr("tutor.ui.memory.reading.QUIET_EVERY", 2)
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    reader = window.conversation.memory.reader
    reader.idle.setInterval(50)  # the learner's minute of silence, shortened
    type_and_send(qtbot, window, "Me llamo Lucía")
    wait_until_idle(qtbot, window)
    qtbot.wait(200)
    assert server.task_requests("remember") == []  # one unread message: not worth it yet
    type_and_send(qtbot, window, "Trabajo como enfermera")
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(server.task_requests("remember")) == 1)
    qtbot.waitUntil(lambda: not reader.busy)
    texts = sorted(f.text for f in context.learner_facts.facts())
    assert texts == ["Is called Lucía", "Works as enfermera"]
    assert not session_of(window).has_ended  # practice goes on
    close_app(qtbot, window, context)


def test_settings_lead_to_the_facts_window(qtbot, server, data_dir, keyring_backend) -> None:
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    window.settings_action.trigger()
    settings = window.settings_dialog
    assert settings is not None
    button = settings.findChild(QPushButton, "factsButton")
    assert button is not None and button.text() == "What your partner knows…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    facts = settings.findChild(FactsWindow)
    assert facts is not None and facts.isVisible() and facts.empty.isVisible()
    facts.close()
    settings.reject()
    close_app(qtbot, window, context)


def test_leaving_a_session_for_another_reads_it(qtbot, server, data_dir, keyring_backend) -> None:
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    first = session_of(window)
    type_and_send(qtbot, window, "Me llamo Lucía")
    wait_until_idle(qtbot, window)
    assert server.task_requests("remember") == []
    _new_session(qtbot, window)  # without ending the first
    reader = window.conversation.memory.reader
    qtbot.waitUntil(lambda: len(server.task_requests("remember")) == 1)
    qtbot.waitUntil(lambda: not reader.busy)
    assert [f.text for f in context.learner_facts.facts()] == ["Is called Lucía"]
    window.open_session(first.id)  # only looked at again: nothing new to read
    wait_until_idle(qtbot, window)
    _new_session(qtbot, window)
    assert len(server.task_requests("remember")) == 1
    close_app(qtbot, window, context)


def test_a_session_left_open_when_tutor_closed_is_read_at_the_next_start(
    qtbot, server, data_dir, keyring_backend
) -> None:
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    type_and_send(qtbot, window, "Hola, me llamo Lucía")
    wait_until_idle(qtbot, window)
    close_app(qtbot, window, context)  # neither ended nor left: Tutor closed mid-session
    assert server.task_requests("remember") == []

    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    reader = window.conversation.memory.reader
    qtbot.waitUntil(lambda: len(server.task_requests("remember")) == 1, timeout=CATCH_UP_MS * 4)
    qtbot.waitUntil(lambda: not reader.busy, timeout=5000)
    (reading,) = server.task_requests("remember")
    assert "me llamo Lucía" in json.dumps(reading, ensure_ascii=False)
    type_and_send(qtbot, window, "¿Y tú, qué haces?")
    wait_until_idle(qtbot, window)
    assert '"Is called Lucía"' in _system_message(server.partner_requests()[-1])
    # Read once: nothing is left from before this start; this run's session is read
    # when it ends or is left, not by catching up.
    assert reader.catch_up() == 0
    assert len(server.task_requests("remember")) == 1
    close_app(qtbot, window, context)
