"""Reading aids in the window: the switch beside the session's title turns pinyin over a
Chinese reply on and off, the text copies as written, the coach's marks stay, the
choice is kept with the session, a language without an aid has no switch, and a missing
library says which package it needs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from tests.gui_helpers import (
    close_app,
    open_practice,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import OpenAITestServer, ScriptedReply, coach_reply
from tutor.domain.conversation import Role
from tutor.domain.reading_aids import ReadingAnalyser, Unavailable
from tutor.ui.chat import reading_controls
from tutor.ui.shell.main_window import MainWindow

REPLY = "我们去银行吧。你喜欢喝茶吗？"
B1 = ("--level", "B1")  # the aids start hidden from B1 on


def _last_reply(window: MainWindow):
    return next(m for m in reversed(window.practice.messages) if m.role is Role.ASSISTANT)


def _painted(window: MainWindow) -> list[str]:
    """The readings the overlay drew on the last full paint of the conversation."""
    overlay = window.conversation.reading_aids.overlay
    window.chat.viewport().repaint()
    return [reading for reading, _rect in overlay.painted]


def _shows_pinyin(qtbot: QtBot, window: MainWindow) -> None:
    reply = _last_reply(window)
    overlay = window.conversation.reading_aids.overlay
    qtbot.waitUntil(lambda: bool(overlay.readings_of(reply.id)), timeout=10000)
    qtbot.waitUntil(lambda: "yín" in _painted(window), timeout=5000)


def test_the_switch_shows_pinyin_over_a_reply_and_hides_it_again(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    server.enqueue(ScriptedReply(text=REPLY))
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, *B1, language="zh")
    toggle = window.conversation.reading_aids.toggle
    assert toggle.isVisible() and toggle.isEnabled()
    assert toggle.text() == "Pinyin" and not toggle.isChecked()
    assert _painted(window) == []

    def looks(block) -> tuple[float, float, float]:
        """Its top margin, line height and place below the block before it."""
        layout = window.chat.document().documentLayout()
        below = layout.blockBoundingRect(block).top()
        below -= layout.blockBoundingRect(block.previous()).bottom()
        return (block.blockFormat().topMargin(), block.blockFormat().lineHeight(), below)

    as_written = looks(window.chat.document().find(REPLY).block())

    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)

    _shows_pinyin(qtbot, window)
    overlay = window.conversation.reading_aids.overlay
    reply = _last_reply(window)
    read = {REPLY[r.start : r.end]: r.text for r in overlay.readings_of(reply.id)}
    assert read["银行"] == "yínháng" and read["喜欢"] == "xǐhuān"
    painted = _painted(window)
    assert painted[:5] == ["wǒ", "men", "qù", "yín", "háng"]  # a syllable over each character
    # Each syllable stands above its character, not over another line.
    found = window.chat.document().find("银")
    place = QTextCursor(found)
    place.setPosition(found.selectionStart())
    character = window.chat.cursorRect(place)
    yin = next(rect for reading, rect in overlay.painted if reading == "yín")
    assert yin.bottom() <= character.top() + 2
    assert abs(yin.center().x() - (character.x() + window.chat.fontMetrics().height() / 2)) < 30
    assert window.menus.reading_action.isChecked()
    with_room = looks(window.chat.document().find(REPLY).block())
    assert all(made > written for made, written in zip(with_room, as_written, strict=True))

    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)

    assert not toggle.isChecked() and not window.menus.reading_action.isChecked()
    assert _painted(window) == []
    # The room made for the readings is taken back: the reply looks as it was written.
    assert looks(window.chat.document().find(REPLY).block()) == as_written
    assert overlay.readings_of(reply.id) == ()
    assert REPLY in window.chat.toPlainText()


def test_the_menu_switches_too_and_a_new_reply_is_read_once_complete(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, *B1, language="zh")
    window.menus.reading_action.trigger()
    assert window.conversation.reading_aids.toggle.isChecked()

    server.enqueue(ScriptedReply(tokens=["你好", "！", "我", "是", "老师", "。"], token_delay=0.05))
    type_and_send(qtbot, window, "你好")
    wait_until_idle(qtbot, window)

    qtbot.waitUntil(lambda: "lǎo" in _painted(window), timeout=10000)
    assert "nǐ" in _painted(window)


def test_copying_the_chinese_gives_the_characters_alone(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    server.enqueue(ScriptedReply(text=REPLY))
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, language="zh")
    assert window.conversation.reading_aids.toggle.isChecked()  # A2: shown from the start
    _shows_pinyin(qtbot, window)

    found = window.chat.document().find(REPLY, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull()
    window.chat.setTextCursor(found)
    window.chat.setFocus()
    qtbot.keyClick(window.chat, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)

    assert QApplication.clipboard().text() == REPLY
    assert window.chat.selection_in_message() == (_last_reply(window).id, 0, len(REPLY))


def test_the_menu_copies_a_selection_with_its_pinyin(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    server.enqueue(ScriptedReply(text=REPLY))
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, language="zh")
    _shows_pinyin(qtbot, window)
    found = window.chat.document().find("去银行")
    window.chat.setTextCursor(found)
    point = window.chat.cursorRect(found).center()

    QApplication.postEvent(  # a right click: the viewport gets it
        window.chat.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, point, window.chat.viewport().mapToGlobal(point)
        ),
    )

    def shown_menu() -> QMenu | None:
        menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu)]
        return next((m for m in menus if m.isVisible()), None)

    qtbot.waitUntil(lambda: shown_menu() is not None)
    menu = shown_menu()
    assert menu is not None
    copy = next(a for a in menu.actions() if a.text() == "Copy with pinyin")
    copy.trigger()
    menu.close()

    assert QApplication.clipboard().text() == "去银行\nqù yínháng"


def test_the_coach_marks_on_the_learners_chinese_stay_drawn(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    server.enqueue(ScriptedReply(text=REPLY))
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, language="zh")
    _shows_pinyin(qtbot, window)
    server.enqueue_coach(
        coach_reply("我昨天去了银行", [("去银行了", "去了银行", "了 follows the verb.", "grammar")])
    )
    type_and_send(qtbot, window, "我昨天去银行了")
    wait_until_idle(qtbot, window)

    # The coach's change moves 了: a 了 struck through at the end, one inserted after 去.
    document = window.chat.document()
    start = document.find("我昨天去").selectionStart()
    block = document.findBlock(start)
    cursor = QTextCursor(block)
    struck: list[str] = []
    for offset in range(1, block.length()):
        cursor.setPosition(block.position() + offset)
        if cursor.charFormat().fontStrikeOut():
            struck.append(block.text()[offset - 1])
    assert struck == ["了"]
    assert "corrections: click a mark" in window.chat.toPlainText()
    learner = next(m for m in reversed(window.practice.messages) if m.role is Role.USER)
    assert window.conversation.reading_aids.overlay.readings_of(learner.id) == ()


def test_the_choice_is_kept_when_the_session_opens_again(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    server.enqueue(ScriptedReply(text=REPLY))
    window, context = open_practice(qtbot, server, data_dir, keyring_backend, *B1, language="zh")
    chinese = session_of(window).id
    qtbot.mouseClick(window.conversation.reading_aids.toggle, Qt.MouseButton.LeftButton)
    _shows_pinyin(qtbot, window)
    window.new_session()  # another session, B1 too: hidden
    wait_until_idle(qtbot, window)
    assert not window.conversation.reading_aids.toggle.isChecked()
    close_app(qtbot, window, context)

    argv = practice_argv(data_dir, server, *B1, language="zh")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    window.open_session(chinese)

    assert window.conversation.reading_aids.toggle.isChecked()
    assert window.menus.reading_action.isChecked()
    _shows_pinyin(qtbot, window)


def test_a_spanish_session_has_no_reading_aids(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, language="es")
    assert not window.conversation.reading_aids.toggle.isVisible()
    assert not window.menus.reading_action.isEnabled()
    assert _painted(window) == []


def test_a_missing_library_disables_the_switch_and_names_its_package(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend, monkeypatch
) -> None:
    monkeypatch.setattr(reading_controls, "missing_package", lambda language: "pypinyin")
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, language="zh")
    toggle = window.conversation.reading_aids.toggle
    assert toggle.isVisible() and not toggle.isEnabled() and not toggle.isChecked()
    assert "pypinyin" in toggle.toolTip() and "Pinyin" in toggle.toolTip()
    assert not window.menus.reading_action.isEnabled()
    assert _painted(window) == []
    assert window.practice.messages  # the conversation goes on without them


def test_a_library_that_fails_to_load_turns_the_switch_off_and_says_so(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend, monkeypatch
) -> None:
    # Installed as far as Python can tell, but it will not load (a broken install).
    monkeypatch.setattr(
        ReadingAnalyser, "readings", lambda self, text, language: Unavailable("pypinyin")
    )
    server.enqueue(ScriptedReply(text=REPLY))
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend, language="zh")
    toggle = window.conversation.reading_aids.toggle

    qtbot.waitUntil(lambda: not toggle.isEnabled(), timeout=5000)
    assert not toggle.isChecked() and "pypinyin" in toggle.toolTip()
    assert _painted(window) == []
    assert REPLY in window.chat.toPlainText()


def test_a_choice_that_cannot_be_saved_is_said_and_the_switch_goes_back(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend, monkeypatch
) -> None:
    import sqlite3

    server.enqueue(ScriptedReply(text=REPLY))
    window, context = open_practice(qtbot, server, data_dir, keyring_backend, *B1, language="zh")

    def read_only(session_id: int, shown: bool) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(context.sessions, "set_reading_aids", read_only)
    toggle = window.conversation.reading_aids.toggle
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)

    assert not toggle.isChecked() and not window.menus.reading_action.isChecked()
    assert window.notice.isVisible()
    assert "The reading aids could not be switched" in window.notice.label.text()
    assert not session_of(window).reading_aids
    assert _painted(window) == []
