""" "Practise my mistakes", used as a learner does: with a notebook full of past-tense
mistakes, the button in the scenario picker writes a scenario for them (kept under My
scenarios), Start begins it with its goals, a right past tense ticks its goal, and the
report counts the target's right and wrong uses. A scenario that fails the checks is
said with Try again and nothing is kept; with no mistakes the button says why it cannot
help yet."""

from __future__ import annotations

import json

import shiboken6
from PySide6.QtCore import Qt

from tests.gui_helpers import (
    close_app,
    open_practice,
    session_of,
    type_and_send,
    type_text,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply
from tests.practice_endpoint import (
    TASK,
    coach_with_uses,
    invalid_scenario,
    practice_coach_reply,
    scenario_for,
)
from tests.practice_notebook import PAST_TENSE, write_mistakes
from tutor.domain.corrections import Category
from tutor.domain.scenarios import Category as ScenarioCategory
from tutor.i18n.formats import format_list
from tutor.ui.shell.practice_mistakes import PracticeDialog

LEFT = Qt.MouseButton.LeftButton


def _open_picker(qtbot, window):
    qtbot.mouseClick(window.new_button, LEFT)
    picker = window.dialogs.scenario_picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    return picker


def _practise(qtbot, practice) -> PracticeDialog:
    assert practice.button.isEnabled(), practice.button.toolTip()
    qtbot.mouseClick(practice.button, LEFT)
    dialog = practice.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _mine(context) -> list:
    return [s for s in context.scenarios.scenarios() if s.category is ScenarioCategory.MINE]


def test_the_picker_writes_a_scenario_for_the_top_kind_and_the_session_counts_it(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    write_mistakes(context.sessions, context.corrections)
    picker = _open_picker(qtbot, window)
    dialog = _practise(qtbot, picker.practice)
    qtbot.waitUntil(lambda: dialog.start_button.isVisible())

    (scenario,) = _mine(context)
    assert scenario.targets[0].category is Category.GRAMMAR  # 5 past-tense mistakes
    assert {"fui", "comí", "fue", "tuve"} <= set(scenario.targets[0].forms)
    asked = server.task_requests(TASK)[0]
    assert asked["model"] == "tutor-test-small"  # the partner's model
    shown = dialog.preview.toPlainText()
    assert scenario.title in shown
    assert all(goal in shown for goal in scenario.goals)
    assert "What it practises" in shown and "fui" in shown

    server.default_coach_reply = practice_coach_reply
    qtbot.mouseClick(dialog.start_button, LEFT)
    wait_until_idle(qtbot, window, timeout=15000)
    session = session_of(window)
    assert session.scenario_id == scenario.id
    assert session.goals == scenario.goals
    assert session.practice_targets == scenario.targets
    assert window.goals_panel.isVisible()
    labels = window.goals_panel.goal_labels
    assert [label.text().count("☐") for label in labels] == [1] * len(scenario.goals)

    type_and_send(qtbot, window, "El sábado fui al mercado.")
    qtbot.waitUntil(lambda: "☑" in window.goals_panel.goal_labels[0].text())
    wait_until_idle(qtbot, window, timeout=15000)
    checked = server.coach_requests()[-1]
    assert "practice_targets" in checked["messages"][-1]["content"]

    server.enqueue_coach(
        coach_with_uses(
            "Ayer fui al cine.",
            [("va", "fui", "Pretérito de ir.", "grammar")],
            [(1, False)],
        )
    )
    type_and_send(qtbot, window, "Ayer va al cine.")
    wait_until_idle(qtbot, window, timeout=15000)

    window.report_action.trigger()
    report = window.dialogs.report_dialog
    assert report is not None
    qtbot.waitUntil(lambda: not report.summary_pending)
    text = report.view.toPlainText().replace("\u2068", "").replace("\u2069", "")  # isolates
    forms = format_list(scenario.targets[0].forms)  # "fui, tuve, and comí"
    assert f"Practised: {forms} (Grammar)" in text
    assert "1 of 2 uses right, 1 wrong" in text
    close_app(qtbot, window, context)


def test_an_invalid_scenario_is_said_with_try_again_and_nothing_is_kept(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    write_mistakes(context.sessions, context.corrections)
    picker = _open_picker(qtbot, window)
    server.enqueue_task(TASK, invalid_scenario())
    dialog = _practise(qtbot, picker.practice)
    qtbot.waitUntil(lambda: dialog.retry_button.isVisible())
    said = dialog.status.text()
    assert "The scenario the model wrote cannot be used" in said
    assert "Field 'goals'" in said
    assert not dialog.start_button.isVisible()
    assert _mine(context) == []

    qtbot.mouseClick(dialog.retry_button, LEFT)  # the next answer is a good one
    qtbot.waitUntil(lambda: dialog.start_button.isVisible())
    assert len(_mine(context)) == 1
    qtbot.mouseClick(dialog.close_button, LEFT)  # "Keep for later"
    assert len(_mine(context)) == 1
    assert picker.isVisible()
    close_app(qtbot, window, context)


def test_cancel_drops_the_answer_and_keeps_nothing(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    write_mistakes(context.sessions, context.corrections)
    picker = _open_picker(qtbot, window)
    # A good scenario, slowly: were it not dropped, it would be kept.
    asked = {"targets": [{"category": "grammar", "mistakes": [{"right": "fui"}]}] * 2}
    slow = ScriptedReply(text=json.dumps(scenario_for(asked)), token_delay=0.005)
    server.enqueue_task(TASK, slow)
    dialog = _practise(qtbot, picker.practice)
    assert dialog.busy.isVisible() and dialog.cancel_button.isVisible()
    assert "Grammar and Spelling" in dialog.status.text()
    qtbot.waitUntil(lambda: len(server.task_requests(TASK)) == 1)
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert not dialog.isVisible()
    context.tasks.wait_for_done(15000)
    qtbot.wait(100)  # the answer's queued signal has been delivered
    assert _mine(context) == []
    close_app(qtbot, window, context)


def test_with_no_mistakes_the_button_is_disabled_and_says_why(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    picker = _open_picker(qtbot, window)
    button = picker.practice.button
    assert not button.isEnabled()
    assert "No mistakes in your notebook yet" in button.toolTip()
    assert button.accessibleDescription() == button.toolTip()
    picker.reject()

    write_mistakes(context.sessions, context.corrections, PAST_TENSE[:2])
    window.show_notebook()
    notebook = window.dialogs.notebook_window
    assert notebook is not None
    practice = window.dialogs.notebook_practice
    assert practice is not None and not practice.button.isEnabled()
    assert practice.button.toolTip().startswith("Only 2 mistakes in your notebook")
    assert server.task_requests(TASK) == []
    close_app(qtbot, window, context)


def test_the_notebook_offers_it_too_and_starts_the_session(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    write_mistakes(context.sessions, context.corrections)
    window.show_notebook()
    notebook = window.dialogs.notebook_window
    assert notebook is not None
    qtbot.waitUntil(notebook.isVisible)
    practice = window.dialogs.notebook_practice
    dialog = _practise(qtbot, practice)
    qtbot.waitUntil(lambda: dialog.start_button.isVisible())
    qtbot.mouseClick(dialog.start_button, LEFT)
    wait_until_idle(qtbot, window, timeout=15000)
    (scenario,) = _mine(context)
    assert session_of(window).scenario_id == scenario.id
    assert not shiboken6.isValid(notebook) or not notebook.isVisible()  # closed
    close_app(qtbot, window, context)


def test_editing_a_practice_scenario_keeps_its_targets_and_shows_them(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    write_mistakes(context.sessions, context.corrections)
    picker = _open_picker(qtbot, window)
    dialog = _practise(qtbot, picker.practice)
    qtbot.waitUntil(lambda: dialog.start_button.isVisible())
    qtbot.mouseClick(dialog.close_button, LEFT)  # Keep for later
    (scenario,) = _mine(context)
    qtbot.waitUntil(lambda: picker.selected_scenario() is not None)
    assert picker.selected_scenario() == scenario  # the picker shows it in My scenarios
    assert "What it practises" in picker.preview.toPlainText()

    qtbot.mouseClick(picker.edit_button, LEFT)
    editor = picker.editor
    assert editor is not None
    editor.title.selectAll()
    type_text(editor.title, "My weekend")
    qtbot.mouseClick(editor.save_button, LEFT)
    qtbot.waitUntil(lambda: picker.editor is None)
    (changed,) = _mine(context)
    assert changed.title == "My weekend" and changed.version == 2
    assert changed.targets == scenario.targets
    close_app(qtbot, window, context)


def test_the_button_wakes_up_when_the_coach_finds_mistakes_and_esc_drops_the_answer(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    write_mistakes(context.sessions, context.corrections, PAST_TENSE[:2])
    window.show_notebook()
    practice = window.dialogs.notebook_practice
    assert practice is not None and not practice.button.isEnabled()
    server.enqueue_coach(
        coach_with_uses("Ayer fui al cine.", [("va", "fui", "Pretérito de ir.", "grammar")])
    )
    type_and_send(qtbot, window, "Ayer va al cine.")
    qtbot.waitUntil(practice.button.isEnabled)  # the third mistake was found

    asked = {"targets": [{"category": "grammar", "mistakes": [{"right": "fui"}]}]}
    server.enqueue_task(
        TASK, ScriptedReply(text=json.dumps(scenario_for(asked)), token_delay=0.005)
    )
    dialog = _practise(qtbot, practice)
    qtbot.waitUntil(lambda: len(server.task_requests(TASK)) == 1)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    context.tasks.wait_for_done(15000)
    qtbot.wait(100)
    assert _mine(context) == []
    close_app(qtbot, window, context)
