"""What the window says in words and numbers: a count in the singular when it is one,
and numbers as the interface language writes them ("1.234" in German)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui_helpers import (
    close_app,
    conversation_text,
    open_practice,
    session_of,
    start_app,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply
from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.message_text import MAX_MESSAGE_CHARS
from tutor.ui.chat.chat_view import EARLIER_PAGE, OPENING_WINDOW, ChatView


def test_the_status_line_counts_a_reply_of_one_token_in_the_singular(
    qtbot, server, data_dir, keyring_backend, interface_language
):
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend)
    server.enqueue(ScriptedReply(text="Sí.", prompt_tokens=1234, completion_tokens=1))
    type_and_send(qtbot, window, "¿Vale?")
    wait_until_idle(qtbot, window)
    assert window.statusBar().currentMessage().endswith("last reply: 1,234 + 1 token")

    interface_language("de")
    server.enqueue(ScriptedReply(text="Claro.", prompt_tokens=1234, completion_tokens=5678))
    type_and_send(qtbot, window, "¿Seguro?")
    wait_until_idle(qtbot, window)
    status = window.statusBar().currentMessage()
    assert "1.234" in status and "5.678" in status  # German groups digits with a dot
    assert "1,234" not in status


def test_one_earlier_message_is_offered_in_the_singular(qtbot, server, data_dir, keyring_backend):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    session_id = session_of(window).id
    for i in range(OPENING_WINDOW):  # with the partner's opening line: one more than shown
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        context.sessions.add_message(session_id, role, f"Mensaje número {i}.")
    close_app(qtbot, window, context)

    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    shown = conversation_text(window)
    assert "Show 1 earlier message\n" in shown
    assert "Show 1 earlier messages" not in shown


def test_the_earlier_messages_link_writes_its_numbers_in_the_interface_language(
    qtbot, interface_language
):
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    total = OPENING_WINDOW + EARLIER_PAGE + 1200
    messages = [
        ChatMessage(i + 1, 1, Role.USER if i % 2 else Role.ASSISTANT, f"Nachricht {i}", when)
        for i in range(total)
    ]
    interface_language("de")
    chat = ChatView()
    qtbot.addWidget(chat)
    chat.show_messages(messages)
    first_line = chat.document().firstBlock().text()
    assert "1.500" in first_line  # not shown: 1,500 in English
    assert "1,500" not in first_line


def test_the_review_count_writes_its_number_in_the_interface_language(
    qtbot, server, data_dir, keyring_backend, interface_language
):
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend)
    window.due_count.show(1)
    assert window.review_button.toolTip().startswith("1 card to review")
    interface_language("de")
    window.due_count.show(2500)
    assert "2.500" in window.review_button.text()
    assert "2.500" in window.review_button.toolTip()
    assert "2.500" in window.menus.review_action.text()


def _time_line(window) -> str:
    """The first message's header up to its time (features' links follow it after a ·)."""
    return conversation_text(window).splitlines()[0].split("  ·  ")[0]


def test_message_times_are_written_as_the_interface_language_writes_them(
    qtbot, server, data_dir, keyring_backend, interface_language
):
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend)
    opening = window.practice.messages[0]
    local = opening.created_at.astimezone()
    header = _time_line(window)
    assert header.endswith(("AM", "PM"))  # English's clock, as CLDR writes it

    interface_language("ko")
    window.conversation.redraw()
    header = _time_line(window)
    assert ("오전" if local.hour < 12 else "오후") in header

    interface_language("de")
    window.conversation.redraw()
    header = _time_line(window)
    assert header.endswith(local.strftime("%H:%M"))  # German's 24-hour clock


def test_a_paste_cut_to_the_limit_says_its_numbers_in_the_interface_language(
    qtbot, server, data_dir, keyring_backend, interface_language
):
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend)
    interface_language("de")
    QApplication.clipboard().setText("a" * 12345)
    window.composer.setFocus()
    qtbot.keyClick(window.composer, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(window.composer.toPlainText()) == MAX_MESSAGE_CHARS
    notice = window.notice.label.text()
    assert "12.345" in notice and "8.000" in notice
    assert "12,345" not in notice


def test_the_session_title_reads_in_the_interface_direction(
    qtbot, server, data_dir, keyring_backend, interface_language
):
    """A title that starts with the language's own name ("Español") still reads right to
    left in an Arabic interface: its first strong letter would make it left to right."""
    interface_language("ar")
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend)
    title = window.session_title.text()
    assert title.startswith("\u200f")  # RLM
    assert "Español" in title
