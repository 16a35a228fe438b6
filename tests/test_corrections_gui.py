"""Corrections as a learner meets them: marks on their words, a card on click, any failure
said plainly, and everything still there after a restart."""

from __future__ import annotations

import functools
import json
import sqlite3

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QToolTip

from tests.gui_helpers import (
    close_app,
    session_of,
    start_app,
    type_and_send,
    wait_until_idle,
)
from tests.gui_helpers import open_practice as open_any_practice
from tests.openai_server import ScriptedReply, coach_json, coach_reply
from tutor.domain.corrections import CorrectionState

GOED = "Yesterday I goed to the park"
WENT = "Yesterday I went to the park"
WHY = "«Go» es irregular: el pasado es «went»."
GOED_ITEM = ("goed", "went", WHY, "grammar")


# The conversations here are in English for a Spanish speaker, as the marks below are.
open_practice = functools.partial(open_any_practice, language="en", native="es")


def find(window, text: str, after: int = 0) -> QTextCursor:
    cursor = window.chat.document().find(text, after, QTextDocument.FindFlag.FindCaseSensitively)
    assert not cursor.isNull(), f"{text!r} is not in the conversation"
    return cursor


def point_of(window, cursor: QTextCursor) -> QPoint:
    """The middle of the found text, in viewport coordinates."""
    start = QTextCursor(cursor)
    start.setPosition(cursor.selectionStart() + 1)
    return window.chat.cursorRect(start).center()


def learner_message(window):
    return next(m for m in reversed(window.practice.messages) if m.role.value == "user")


def test_a_wrong_word_is_struck_through_with_the_fix_beside_it_and_its_why(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    type_and_send(qtbot, window, GOED)
    wait_until_idle(qtbot, window)

    goed = find(window, "goed")
    went = find(window, "went", goed.selectionEnd())
    struck = QTextCursor(goed)
    struck.setPosition(goed.selectionStart() + 1)
    assert struck.charFormat().fontStrikeOut()
    fixed = QTextCursor(went)
    fixed.setPosition(went.selectionStart() + 1)
    assert not fixed.charFormat().fontStrikeOut()
    assert fixed.charFormat().isAnchor()
    assert "1 correction" in window.chat.toPlainText()

    # Hover: the tooltip names the change and says why, in the learner's language.
    where = point_of(window, goed)
    QApplication.sendEvent(
        window.chat.viewport(),
        QHelpEvent(QEvent.Type.ToolTip, where, window.chat.viewport().mapToGlobal(where)),
    )
    qtbot.waitUntil(lambda: "goed → went" in QToolTip.text())
    assert WHY in QToolTip.text()
    assert "Grammar" in QToolTip.text()

    # Click: a card with the same, and a way to disagree.
    qtbot.mouseClick(window.chat.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: window.mark_card is not None and window.mark_card.isVisible())
    card = window.mark_card
    assert card is not None
    assert card.change.text() == "goed → went"
    assert card.explanation.text() == WHY and card.explanation.isVisible()
    assert card.category.text() == "Grammar"


def test_the_keyboard_reaches_a_mark_and_opens_its_card(qtbot, server, data_dir, keyring_backend):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    type_and_send(qtbot, window, GOED)
    wait_until_idle(qtbot, window)

    window.chat.setFocus()
    for _link in range(8):  # past the links features put beside the replies' times
        qtbot.keyClick(window.chat, Qt.Key.Key_Tab)
        if window.chat.textCursor().selectedText() == "goed":
            break
    assert (
        window.chat.textCursor().charFormat().isAnchor() or window.chat.textCursor().hasSelection()
    )
    qtbot.keyClick(window.chat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.mark_card is not None and window.mark_card.isVisible())
    assert window.mark_card is not None
    assert window.mark_card.change.text() == "goed → went"
    assert window.mark_card.dismiss_button.hasFocus()


def test_a_message_without_mistakes_says_so(qtbot, server, data_dir, keyring_backend):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    type_and_send(
        qtbot, window, "I went to the park yesterday."
    )  # the server's default: no mistakes
    wait_until_idle(qtbot, window)
    assert "✓ No mistakes" in window.chat.toPlainText()
    correction = learner_message(window).correction
    assert correction is not None and correction.state is CorrectionState.CHECKED


def test_checking_shows_while_the_coach_works_and_never_holds_up_the_partner(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_coach(ScriptedReply(hang=True))
    server.enqueue(ScriptedReply(text="Nice! Which park?"))
    type_and_send(qtbot, window, GOED)
    qtbot.waitUntil(lambda: "Nice! Which park?" in window.chat.toPlainText())
    qtbot.waitUntil(lambda: not window.practice.is_busy)
    assert "checking…" in window.chat.toPlainText()
    assert window.composer.isEnabled()

    # The check starts once the partner's request has left: it may reach the server
    # after an instant reply is done.
    qtbot.waitUntil(lambda: len(server.coach_requests()) == 1)
    server.release_hanging()  # the coach's connection drops: a failed check
    qtbot.waitUntil(lambda: "Not checked" in window.chat.toPlainText(), timeout=5000)
    assert "Check again" in window.chat.toPlainText()


def test_a_failed_check_says_why_and_check_again_marks_the_message(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_coach(ScriptedReply(status=500))
    type_and_send(qtbot, window, GOED)
    wait_until_idle(qtbot, window)
    text = window.chat.toPlainText()
    assert "Not checked: The server had a problem (500)" in text
    assert "Yesterday I goed to the park" in text  # the message itself is whole

    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    link = find(window, "Check again")
    qtbot.mouseClick(window.chat.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, link))
    wait_until_idle(qtbot, window)
    correction = learner_message(window).correction
    assert correction is not None and correction.state is CorrectionState.CHECKED
    assert "1 correction" in window.chat.toPlainText()
    stored = context.corrections.correction(learner_message(window).id)
    assert stored is not None and stored.mistake_count == 1


@pytest.mark.parametrize(
    "answers",
    [
        ["", "", ""],
        ["null", "[]", "{}"],
        ['{"corrected": 5}', '{"items": "goed"}', "```json\n{broken"],
        [coach_json(WENT, [GOED_ITEM])[:20]] * 3,
        ['{"corrected": "' + "x" * 20000 + '"}'] * 3,
    ],
)
def test_no_coach_answer_however_malformed_upsets_the_interface(
    qtbot, server, data_dir, keyring_backend, answers
):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_coach(*[ScriptedReply(text=answer) for answer in answers])
    server.enqueue(ScriptedReply(text="Tell me more!"))
    type_and_send(qtbot, window, GOED)
    wait_until_idle(qtbot, window)
    text = window.chat.toPlainText()
    assert "Tell me more!" in text
    assert "Not checked: The coach could not check this message" in text
    assert "Check again" in text


def test_items_about_words_not_written_are_dropped_but_the_real_fix_is_marked(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    wrong = ("runned", "ran", "Irregular.", "grammar")
    server.enqueue_coach(coach_reply(WENT, [wrong, GOED_ITEM]))
    type_and_send(qtbot, window, GOED)
    wait_until_idle(qtbot, window)
    correction = learner_message(window).correction
    assert correction is not None
    assert [(m.original, m.corrected) for m in correction.marks] == [("goed", "went")]
    assert "runned" not in window.chat.toPlainText()


def test_marks_and_dismissals_survive_a_restart(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    type_and_send(qtbot, window, GOED)
    wait_until_idle(qtbot, window)
    session_id = session_of(window).id

    qtbot.mouseClick(
        window.chat.viewport(),
        Qt.MouseButton.LeftButton,
        pos=point_of(window, find(window, "goed")),
    )
    qtbot.waitUntil(lambda: window.mark_card is not None and window.mark_card.isVisible())
    assert window.mark_card is not None
    qtbot.mouseClick(window.mark_card.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "✓ No mistakes" in window.chat.toPlainText())
    close_app(qtbot, window, context)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    assert session_of(window).id == session_id
    correction = learner_message(window).correction
    assert correction is not None and correction.marks[0].dismissed
    assert correction.mistake_count == 0
    goed = find(window, "goed")
    plain = QTextCursor(goed)
    plain.setPosition(goed.selectionStart() + 1)
    assert not plain.charFormat().fontStrikeOut()  # dismissed: shown as written

    # Taken back: struck through again, and counted.
    qtbot.mouseClick(window.chat.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, goed))
    qtbot.waitUntil(lambda: window.mark_card is not None and window.mark_card.isVisible())
    assert window.mark_card is not None
    assert window.mark_card.dismiss_button.text() == "Count it again"
    qtbot.mouseClick(window.mark_card.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "1 correction" in window.chat.toPlainText())
    close_app(qtbot, window, context)


def test_a_check_cut_by_closing_tutor_offers_check_again_on_the_next_start(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue_coach(ScriptedReply(hang=True))
    type_and_send(qtbot, window, GOED)
    qtbot.waitUntil(lambda: not window.practice.is_busy)
    window.close()
    context.sessions.close()
    server.release_hanging()
    context.tasks.wait_for_done(5000)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    text = window.chat.toPlainText()
    assert "Not checked: Tutor closed before this message was checked." in text
    assert "Check again" in text


def test_the_correction_style_menu_shapes_the_next_check_and_is_saved(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    window.scope_actions[next(iter(window.scope_actions))].trigger()
    meaning = next(s for s in window.scope_actions if s.value == "meaning")
    window.scope_actions[meaning].trigger()
    window.strict_action.trigger()
    type_and_send(qtbot, window, "I go park")
    wait_until_idle(qtbot, window)
    system = server.coach_requests()[-1]["messages"][0]["content"]
    assert "change or block the meaning" in system
    assert '"phrasing"' in system
    saved = json.loads(context.paths.settings.read_text())
    assert saved["corrections"] == {
        "scope": "meaning",
        "explanations": True,
        "strict": True,
        "precise": False,
    }


def test_the_coach_can_use_its_own_model_chosen_in_settings(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.show_tab(dialog.corrections_form)
    dialog.corrections_form.coach_model.setFocus()
    qtbot.keyClicks(dialog.corrections_form.coach_model, "tutor-test-large")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    type_and_send(qtbot, window, GOED)
    wait_until_idle(qtbot, window)
    assert server.coach_requests()[-1]["model"] == "tutor-test-large"
    assert server.partner_requests()[-1]["model"] == "tutor-test-small"


def test_a_server_without_json_schema_is_remembered_after_the_first_turn(
    qtbot, server, data_dir, keyring_backend
):
    server.refused_response_formats = {"json_schema"}
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    type_and_send(qtbot, window, "I like parks.")
    wait_until_idle(qtbot, window)
    type_and_send(qtbot, window, "And I like trees.")
    wait_until_idle(qtbot, window)
    kinds = [r.get("response_format", {}).get("type") for r in server.coach_requests()]
    assert kinds == ["json_schema", "json_object", "json_object"]
    assert window.chat.toPlainText().count("✓ No mistakes") == 2


def test_marks_arriving_mid_reply_leave_the_streaming_reply_whole(
    qtbot, server, data_dir, keyring_backend
):
    window, _ = open_practice(qtbot, server, data_dir, keyring_backend)
    reply = "Oh nice, which park did you go to, and was it sunny there yesterday afternoon?"
    server.enqueue(ScriptedReply(text=reply, token_delay=0.03))
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    type_and_send(qtbot, window, GOED)
    qtbot.waitUntil(lambda: learner_message(window).correction.state is CorrectionState.CHECKED)
    assert window.practice.is_busy  # the marks came while the reply was still streaming
    wait_until_idle(qtbot, window)
    text = window.chat.toPlainText()
    assert text.count(reply) == 1
    assert text.index("goed") < text.index("went") < text.index(reply)
    assert "1 correction" in text


def test_a_message_never_checked_offers_a_check(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    type_and_send(qtbot, window, GOED)
    wait_until_idle(qtbot, window)
    message_id = learner_message(window).id
    close_app(qtbot, window, context)
    # As a message written before Tutor had a coach: no correction at all.
    connection = sqlite3.connect(data_dir / "tutor.sqlite3")
    connection.execute("DELETE FROM corrections WHERE message_id = ?", (message_id,))
    connection.commit()
    connection.close()

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    assert "Not checked." in window.chat.toPlainText()
    server.enqueue_coach(coach_reply(WENT, [GOED_ITEM]))
    link = find(window, "Check")
    qtbot.mouseClick(window.chat.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, link))
    wait_until_idle(qtbot, window)
    assert "1 correction" in window.chat.toPlainText()
    close_app(qtbot, window, context)
