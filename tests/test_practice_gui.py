"""A learner's whole path, driven through the real window like a person would."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

from PySide6.QtCore import QPoint, Qt

from tests.gui_helpers import (
    close_app,
    conversation_text,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    type_text,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply
from tutor.domain.conversation import MessageState, Role
from tutor.domain.prompts import OPENING_CUE
from tutor.ui.chat.chat_view import OPENING_WINDOW


def start_free_conversation(qtbot, window) -> None:
    """New session: the button opens the scenario picker; choose free conversation there."""
    before = window.practice.session
    qtbot.mouseClick(window.new_button, Qt.MouseButton.LeftButton)
    picker = window.scenario_picker
    assert picker is not None and picker.isVisible()
    qtbot.mouseClick(picker.free_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.practice.session is not before)
    wait_until_idle(qtbot, window)


def test_partner_opens_and_reply_streams_after_enter(qtbot, server, data_dir, keyring_backend):
    server.enqueue(ScriptedReply(text="¡Hola! ¿Cómo te llamas?"))
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    assert "¡Hola! ¿Cómo te llamas?" in conversation_text(window)
    assert window.composer.hasFocus()

    server.enqueue(ScriptedReply(text="Mucho gusto, Ana. ¿De dónde eres?"))
    type_and_send(qtbot, window, "Me llamo Ana")
    wait_until_idle(qtbot, window)

    shown = conversation_text(window)
    assert shown.index("Me llamo Ana") < shown.index("Mucho gusto, Ana. ¿De dónde eres?")
    assert window.composer.toPlainText() == ""
    request = server.partner_requests()[-1]
    assert request["stream"] is True
    assert request["stream_options"] == {"include_usage": True}
    assert request["model"] == "tutor-test-small"
    roles = [(m["role"], m["content"]) for m in request["messages"]]
    assert roles[0][0] == "system" and "Spanish" in roles[0][1] and "A2" in roles[0][1]
    assert roles[1:] == [
        ("user", OPENING_CUE),
        ("assistant", "¡Hola! ¿Cómo te llamas?"),
        ("user", "Me llamo Ana"),
    ]
    stored = context.sessions.messages(session_of(window).id)
    assert [(m.role, m.state) for m in stored] == [
        (Role.ASSISTANT, MessageState.COMPLETE),
        (Role.USER, MessageState.COMPLETE),
        (Role.ASSISTANT, MessageState.COMPLETE),
    ]
    assert stored[-1].usage is not None and stored[-1].usage.completion_tokens > 0
    assert stored[-1].finish_reason == "stop"
    assert stored[-1].model == "tutor-test-small"


def test_shift_enter_adds_a_line_without_sending(qtbot, server, data_dir, keyring_backend):
    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    requests_before = len(server.partner_requests())
    type_text(window.composer, "primera línea")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_text(window.composer, "segunda línea")
    assert window.composer.toPlainText() == "primera línea\nsegunda línea"
    assert len(server.partner_requests()) == requests_before


def test_learner_message_is_committed_before_the_request_leaves(
    qtbot, server, data_dir, keyring_backend
):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue(ScriptedReply(hang=True))
    type_and_send(qtbot, window, "¿Qué hora es?")
    server.wait_for_partner_requests(2)
    with sqlite3.connect(context.paths.database) as other_reader:
        rows = other_reader.execute("SELECT role, text, state FROM messages ORDER BY id").fetchall()
    assert ("user", "¿Qué hora es?", "complete") in rows
    assert rows[-1] == ("assistant", "", "streaming")
    window.practice.stop()
    server.release_hanging()


def test_stop_keeps_what_arrived_marked_as_cut_off(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    words = [f" palabra{i}" for i in range(40)]
    server.enqueue(ScriptedReply(tokens=words, token_delay=0.1))
    type_and_send(qtbot, window, "Cuéntame una historia larga")
    qtbot.waitUntil(lambda: "palabra2" in conversation_text(window), timeout=5000)
    assert window.send_button.text() == "Stop"

    qtbot.keyClick(window.composer, Qt.Key.Key_Escape)

    assert not window.practice.is_busy
    assert window.send_button.text() == "Send"
    reply = window.practice.messages[-1]
    assert reply.state is MessageState.CUT_OFF
    assert reply.text.startswith("palabra0 palabra1 palabra2")
    assert "palabra39" not in reply.text
    assert "You stopped this reply." in conversation_text(window)
    qtbot.wait(400)  # late pieces of the stopped request must not reach the view or the file
    stored = context.sessions.message(reply.id)
    assert stored.state is MessageState.CUT_OFF and stored.text == reply.text
    assert "palabra39" not in conversation_text(window)


def test_stop_button_also_stops(qtbot, server, data_dir, keyring_backend):
    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue(ScriptedReply(tokens=[" uno", " dos", " tres"] * 20, token_delay=0.1))
    type_and_send(qtbot, window, "Cuenta hasta sesenta")
    qtbot.waitUntil(lambda: "dos" in conversation_text(window), timeout=5000)
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert window.practice.messages[-1].state is MessageState.CUT_OFF


def test_length_limit_is_said(qtbot, server, data_dir, keyring_backend):
    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue(ScriptedReply(text="Esta respuesta se corta en", finish_reason="length"))
    type_and_send(qtbot, window, "Habla mucho")
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].state is MessageState.CUT_OFF
    assert "length limit" in conversation_text(window)


def test_server_error_keeps_message_and_retry_recovers(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue(ScriptedReply(status=500, error_message="model crashed"))
    type_and_send(qtbot, window, "Hola otra vez")
    wait_until_idle(qtbot, window)

    assert window.notice.isVisible()
    assert "server had a problem (500)" in window.notice.label.text()
    assert window.notice.retry.isVisible()
    assert "Hola otra vez" in conversation_text(window)
    assert window.practice.messages[-1].state is MessageState.FAILED

    server.enqueue(ScriptedReply(text="Perdón, ya estoy aquí."))
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert not window.notice.isVisible()
    stored = context.sessions.messages(session_of(window).id)
    assert [m.state for m in stored][-2:] == [MessageState.COMPLETE, MessageState.COMPLETE]
    assert stored[-1].text == "Perdón, ya estoy aquí."
    assert "server had a problem" not in conversation_text(window)


def test_cut_stream_keeps_partial_reply(qtbot, server, data_dir, keyring_backend):
    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue(ScriptedReply(tokens=["Primera", " parte", " y", " más"], cut_after=2))
    type_and_send(qtbot, window, "Sigue")
    wait_until_idle(qtbot, window)
    reply = window.practice.messages[-1]
    assert reply.state is MessageState.CUT_OFF
    assert reply.text == "Primera parte"
    assert "connection broke" in conversation_text(window)


def test_too_long_message_is_refused_and_kept(qtbot, server, data_dir, keyring_backend):
    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    huge = "palabra " * 2000
    window.composer.setPlainText(huge)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert "limit is 8,000" in window.notice.label.text()
    assert window.composer.toPlainText() == huge
    assert len(server.partner_requests()) == 1


def test_reopening_shows_the_last_session_and_the_sidebar(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    type_and_send(qtbot, window, "Primera sesión")
    wait_until_idle(qtbot, window)
    first_id = session_of(window).id
    first_text = conversation_text(window)

    start_free_conversation(qtbot, window)
    type_and_send(qtbot, window, "Segunda sesión")
    wait_until_idle(qtbot, window)
    second_id = session_of(window).id
    assert window.session_list.session_ids() == [second_id, first_id]
    close_app(qtbot, window, context)

    # Restart on the same data dir, without flags: the last session is back.
    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    assert window.welcome is None
    assert window.composer.isEnabled()
    qtbot.waitUntil(window.composer.hasFocus, timeout=2000)
    assert session_of(window).id == second_id
    assert "Segunda sesión" in conversation_text(window)
    assert window.session_list.session_ids() == [second_id, first_id]

    # Reopen the first from the sidebar and continue it.
    item = window.session_list.item(1)
    rect = window.session_list.visualItemRect(item)
    qtbot.mouseClick(window.session_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session_of(window).id == first_id
    wait_until_idle(qtbot, window)  # the fit meter measures the replies off the GUI thread
    assert conversation_text(window) == first_text
    type_and_send(qtbot, window, "Vuelvo a la primera")
    wait_until_idle(qtbot, window)
    assert window.session_list.session_ids()[0] == first_id
    texts = [m.text for m in context.sessions.messages(first_id)]
    assert "Primera sesión" in texts and "Vuelvo a la primera" in texts


def test_interrupted_reply_is_marked_cut_off_on_restart(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    session_id = session_of(window).id
    # What a kill mid-stream leaves behind: a reply saved as 'streaming'.
    context.sessions.add_message(
        session_id, Role.ASSISTANT, "Medio men", state=MessageState.STREAMING
    )
    close_app(qtbot, window, context)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    last = window.practice.messages[-1]
    assert last.text == "Medio men" and last.state is MessageState.CUT_OFF
    assert "Tutor closed before this reply was complete." in conversation_text(window)


def test_system_message_can_be_viewed(qtbot, server, data_dir, keyring_backend):
    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    qtbot.mouseClick(window.system_button, Qt.MouseButton.LeftButton)
    dialog = window.system_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    assert text == session_of(window).system_message
    assert "Spanish" in text and "A2" in text
    dialog.reject()


def test_settings_dialog_changes_level_for_new_sessions(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.show_tab(dialog.learner_form)
    b2 = dialog.learner_form.levels.button(3)
    qtbot.mouseClick(b2, Qt.MouseButton.LeftButton, pos=QPoint(10, b2.height() // 2))
    assert b2.isChecked()
    dialog.show_tab(dialog.provider_form)
    assert dialog.provider_form.base_url.text() == server.base_url
    model_edit = dialog.provider_form.model.lineEdit()
    assert model_edit is not None
    model_edit.selectAll()
    qtbot.keyClicks(model_edit, "tutor-test-large")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()

    saved = json.loads(context.paths.settings.read_text())
    assert saved["learner"]["level"] == "B2"
    assert saved["provider"]["model"] == "tutor-test-large"
    close_app(qtbot, window, context)

    window, _ = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    start_free_conversation(qtbot, window)
    assert "B2" in session_of(window).system_message
    assert server.partner_requests()[-1]["model"] == "tutor-test-large"


def test_window_geometry_is_remembered(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    window.resize(720, 530)
    close_app(qtbot, window, context)
    window, _ = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    assert (window.width(), window.height()) == (720, 530)


def test_long_session_opens_with_its_newest_messages(qtbot, server, data_dir, keyring_backend):
    from PySide6.QtGui import QTextCursor

    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    session_id = session_of(window).id
    for i in range(350):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        context.sessions.add_message(session_id, role, f"Mensaje número {i}.")
    close_app(qtbot, window, context)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    chat = window.chat
    assert "Mensaje número 349." in conversation_text(window)
    assert "Mensaje número 10." not in conversation_text(window)
    hidden = 351 - OPENING_WINDOW  # the partner's opening line, then 350 more
    assert f"Show {hidden} earlier messages" in conversation_text(window)

    # A turn before asking for the rest, and a reply still streaming when asking.
    type_and_send(qtbot, window, "Antes de mirar atrás")
    wait_until_idle(qtbot, window)
    server.enqueue(ScriptedReply(tokens=[" uno", " dos", " tres", " cuatro"], token_delay=0.3))
    type_and_send(qtbot, window, "Cuenta despacio")
    qtbot.waitUntil(lambda: "uno" in conversation_text(window), timeout=3000)

    chat.verticalScrollBar().setValue(0)
    link = QTextCursor(chat.document())
    link.setPosition(3)
    qtbot.mouseClick(chat.viewport(), Qt.MouseButton.LeftButton, pos=chat.cursorRect(link).center())
    shown = conversation_text(window)
    assert f"Show {hidden} earlier messages" not in shown
    assert "Mensaje número 10." in shown and "Mensaje número 349." in shown
    assert "Antes de mirar atrás" in shown
    wait_until_idle(qtbot, window)
    assert conversation_text(window).count("uno dos tres cuatro") == 1

    # The conversation goes on as usual below the full history.
    type_and_send(qtbot, window, "Sigo aquí")
    wait_until_idle(qtbot, window)
    assert conversation_text(window).rstrip().endswith(window.practice.messages[-1].text)


def test_a_streaming_reply_is_saved_as_it_grows(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue(ScriptedReply(tokens=[f" trozo{i}" for i in range(40)], token_delay=0.08))
    type_and_send(qtbot, window, "Habla despacio")

    def saved_text() -> str:
        with sqlite3.connect(context.paths.database) as reader:
            row = reader.execute(
                "SELECT text, state FROM messages ORDER BY id DESC LIMIT 1"
            ).fetchone()
        assert row[1] == "streaming"
        return row[0]

    # What a crash would leave: the reply up to about a second ago, already on disk.
    qtbot.waitUntil(lambda: "trozo5" in saved_text(), timeout=5000)
    assert window.practice.is_busy
    window.practice.stop()


def test_long_conversations_are_trimmed_from_the_oldest(qtbot, server, data_dir, keyring_backend):
    settings = {"version": 1, "context_budget_tokens": 600}
    (data_dir / "settings.json").write_text(json.dumps(settings))
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    for i in range(6):
        type_and_send(qtbot, window, f"Frase larga número {i}: " + "bla " * 60)
        wait_until_idle(qtbot, window)
    sent = server.partner_requests()[-1]["messages"]
    # The session's system message (and what steers the partner's level, when the test
    # server's English echoes keep being too hard for a Spanish learner: level_fit.py).
    assert sent[0]["role"] == "system"
    assert sent[0]["content"].startswith(session_of(window).system_message)
    assert sent[1]["role"] == "user"
    assert sent[-1]["content"].startswith("Frase larga número 5")
    assert not any("número 0" in m["content"] for m in sent)
    # Trimmed from the request only: everything is still in the file.
    stored = context.sessions.messages(session_of(window).id)
    assert any("número 0" in m.text for m in stored)


def _end_is_shown(chat) -> bool:
    """The conversation's last line is inside the view."""
    from PySide6.QtGui import QTextCursor

    end = QTextCursor(chat.document())
    end.movePosition(QTextCursor.MoveOperation.End)
    return chat.viewport().rect().contains(chat.cursorRect(end))


def test_the_newest_lines_stay_in_view_when_the_view_changes(
    qtbot, server, data_dir, keyring_backend
):
    """A long session opens at its end, and stays there when a notice makes the view
    shorter; a reader who scrolled up keeps their place."""
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    session_id = session_of(window).id
    for i in range(120):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        context.sessions.add_message(session_id, role, f"Mensaje número {i}. " * (1 + i % 5))
    close_app(qtbot, window, context)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    chat = window.chat
    assert _end_is_shown(chat)

    server.enqueue(ScriptedReply(status=500, error_message="model crashed"))
    type_and_send(qtbot, window, "Hola otra vez")
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(window.notice.isVisible)
    assert _end_is_shown(chat)

    chat.verticalScrollBar().setValue(200)
    window.resize(window.width(), window.height() - 80)
    qtbot.waitUntil(lambda: chat.verticalScrollBar().value() == 200, timeout=1000)
    assert not _end_is_shown(chat)


def _click_earlier_link(qtbot, chat) -> None:
    from PySide6.QtGui import QTextCursor

    chat.verticalScrollBar().setValue(0)
    link = QTextCursor(chat.document())
    link.setPosition(3)
    qtbot.mouseClick(chat.viewport(), Qt.MouseButton.LeftButton, pos=chat.cursorRect(link).center())


def test_earlier_messages_come_a_page_at_a_time_in_place(qtbot, server, data_dir, keyring_backend):
    """A long history is drawn EARLIER_PAGE messages a click, above what is shown, with the
    reader's place kept; paged in to the first, it reads as the whole conversation drawn
    at once, and every message in it can still be found and rewritten."""
    from tutor.ui.chat.chat_view import EARLIER_PAGE, ChatView

    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    session_id = session_of(window).id
    total = OPENING_WINDOW + EARLIER_PAGE + 120
    for i in range(total - 1):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        context.sessions.add_message(session_id, role, f"Mensaje número {i}.")
    close_app(qtbot, window, context)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    chat = window.chat
    messages = window.practice.messages_to_show()
    assert len(messages) == total
    hidden = total - OPENING_WINDOW
    assert f"Show {EARLIER_PAGE} earlier messages ({hidden} not shown)" in conversation_text(window)

    first_shown = messages[hidden]
    _click_earlier_link(qtbot, chat)
    shown = conversation_text(window)
    assert f"Show {hidden - EARLIER_PAGE} earlier messages" in shown
    assert messages[hidden - EARLIER_PAGE].text in shown
    assert messages[hidden - EARLIER_PAGE - 1].text not in shown
    # The reader still sees the message that was at the top before the click.
    header = chat.document().find(first_shown.text)
    assert chat.viewport().rect().contains(chat.cursorRect(header))

    _click_earlier_link(qtbot, chat)
    paged = chat.document().toPlainText()
    assert "earlier messages" not in paged

    whole = ChatView()
    qtbot.addWidget(whole)
    for decorator in chat._writer.decorators:  # the features' links and notes, as shown
        whole.add_decorator(decorator)
    whole.show_messages(messages, limit=None)
    assert paged == whole.document().toPlainText()

    for message in (messages[0], messages[hidden - 1], messages[hidden]):
        assert chat.scroll_to_message(message.id)
    rewritten = messages[1]
    chat.update_message(replace(rewritten, text="Otra vez, ahora escrito de nuevo."))
    text = conversation_text(window)
    assert "Otra vez, ahora escrito de nuevo." in text and rewritten.text not in text
    assert messages[2].text in text and messages[0].text in text


def test_a_search_hit_far_back_draws_only_as_far_as_it(qtbot, server, data_dir, keyring_backend):
    from PySide6.QtCore import Qt as QtKeys

    from tutor.ui.chat.chat_view import EARLIER_PAGE

    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    session_id = session_of(window).id
    total = OPENING_WINDOW + 2 * EARLIER_PAGE + 50
    for i in range(total - 1):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        text = "Una jirafa en el zoológico." if i == 100 else f"Mensaje número {i}."
        context.sessions.add_message(session_id, role, text)
    close_app(qtbot, window, context)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    type_text(window.history.search, "jirafa")
    qtbot.waitUntil(
        lambda: (
            window.history.hits.count() == 1
            and window.history.hits.item(0).data(QtKeys.ItemDataRole.UserRole) is not None
        )
    )
    hit = window.history.hits.item(0)
    qtbot.mouseClick(
        window.history.hits.viewport(),
        QtKeys.MouseButton.LeftButton,
        pos=window.history.hits.visualItemRect(hit).center(),
    )
    chat = window.chat
    found = chat.document().find("Una jirafa en el zoológico.")
    assert not found.isNull()
    assert chat.viewport().rect().contains(chat.cursorRect(found))
    # Message 101 of the conversation: two pages back, not the whole of it.
    assert chat.has_earlier
    assert "Mensaje número 0." not in conversation_text(window)


def test_settings_that_cannot_be_saved_are_said_in_the_dialog_and_nothing_changes(
    qtbot, server, data_dir, keyring_backend, monkeypatch
):
    """A full disk or a read-only folder: the dialog stays open with its choices and says
    why; neither the settings in force, the file nor the keyring changed."""
    import errno

    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    before = context.paths.settings.read_text()
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.show_tab(dialog.provider_form)
    key = dialog.provider_form.api_key
    key.setFocus()
    qtbot.keyClicks(key, "sk-new-key-typed-here")

    def full_disk(settings):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(context.settings_file, "save", full_disk)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()  # not closed, not the last-resort error box
    said = dialog.error.text()
    assert "Your settings could not be saved (No space left on device)" in said
    assert key.text() == "sk-new-key-typed-here"  # the choices are still there
    assert context.paths.settings.read_text() == before
    assert keyring_backend.passwords == {}  # the key waits for the settings that name it
    monkeypatch.undo()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # room again: saved
    assert not dialog.isVisible()
    assert any(v == "sk-new-key-typed-here" for v in keyring_backend.passwords.values())
