"""The reading overlay on a bare ChatView: each reading stands over its own characters,
on every line of a wrapped reply and after the window is narrowed; a reply drawn again
with other words (as "Say it more simply" does) is read again; earlier messages drawn
later get their readings; the text, and so a copy of it, never changes."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.reading_aids import ReadingAnalyser
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.reading_overlay import ReadingOverlay
from tutor.ui.shell.tasks import TaskRunner

WHEN = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
LONG = "我们周末一起去银行旁边的茶馆吧。那里的绿茶很好喝，还有很多好吃的点心。" * 3
ANALYSER = ReadingAnalyser()  # one for the module: jieba's dictionary loads once


def _view(qtbot: QtBot, *texts: str, language: str = "zh") -> tuple[ChatView, ReadingOverlay]:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(520, 600)
    view.show()
    overlay = ReadingOverlay(view, TaskRunner(), ANALYSER)
    overlay.set_language(language)
    overlay.set_shown(True)
    view.show_messages(
        [ChatMessage(i + 1, 1, Role.ASSISTANT, text, WHEN) for i, text in enumerate(texts)]
    )
    return view, overlay


def _read(qtbot: QtBot, overlay: ReadingOverlay, message_id: int, text: str) -> None:
    def done() -> None:
        readings = overlay.readings_of(message_id)
        assert readings and text[readings[0].start : readings[0].end] == text[: readings[0].end]
        assert readings[-1].end <= len(text)

    qtbot.waitUntil(done, timeout=10000)


def _stands_over_its_characters(view: ChatView, overlay: ReadingOverlay, text: str) -> int:
    """Each syllable painted just above the character it reads; how many lines held one."""
    view.viewport().repaint()
    painted = list(overlay.painted)
    readings = overlay.readings_of(1)
    characters = [r.start + i for r in readings for i in range(len(r.parts) or 1)]
    assert [text for text, _rect in painted] == [p for r in readings for p in r.parts or (r.text,)]
    tops = set()
    for (_reading, rect), offset in zip(painted, characters, strict=True):
        place = view.text_place(1, offset)
        assert place is not None
        cursor = QTextCursor(view.document())
        cursor.setPosition(place)
        left = view.cursorRect(cursor)
        cursor.setPosition(place + 1)
        right = view.cursorRect(cursor)
        if right.top() != left.top():  # the character ends its line
            right = left.translated(int(view.fontMetrics().height()), 0)
        assert rect.bottom() <= left.top() + 1, "over its line, not into it"
        assert left.top() - rect.bottom() < left.height(), "just above, not a line higher"
        assert abs(rect.center().x() - (left.x() + right.x()) / 2) <= rect.width() / 2 + 2
        tops.add(left.top())
    return len(tops)


def test_each_syllable_stands_over_its_character_on_every_line(qtbot: QtBot) -> None:
    view, overlay = _view(qtbot, LONG)
    _read(qtbot, overlay, 1, LONG)
    qtbot.waitUntil(lambda: bool(view.viewport().repaint() or overlay.painted), timeout=5000)

    lines = _stands_over_its_characters(view, overlay, LONG)

    assert lines >= 3  # the reply wraps, and every line has its readings
    view.resize(330, 600)  # narrower: the lines break elsewhere, the readings follow
    qtbot.waitUntil(lambda: _stands_over_its_characters(view, overlay, LONG) > lines)
    assert LONG in view.toPlainText()


def test_a_reply_drawn_again_with_other_words_is_read_again(qtbot: QtBot) -> None:
    view, overlay = _view(qtbot, "我去银行。")
    _read(qtbot, overlay, 1, "我去银行。")
    shown = view.shown_message(1)
    assert shown is not None

    view.update_message(shown.with_changes(text="你喜欢喝茶吗？"))

    qtbot.waitUntil(
        lambda: [r.text for r in overlay.readings_of(1)] == ["nǐ", "xǐhuān", "hēchá", "ma"],
        timeout=10000,
    )


def test_earlier_messages_drawn_later_are_read_too(qtbot: QtBot) -> None:
    texts = [f"第{i}个消息：你好！" for i in range(8)]
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(520, 600)
    overlay = ReadingOverlay(view, TaskRunner(), ANALYSER)
    overlay.set_language("zh")
    overlay.set_shown(True)
    messages = [ChatMessage(i + 1, 1, Role.ASSISTANT, t, WHEN) for i, t in enumerate(texts)]
    view.show_messages(messages, limit=3)
    qtbot.waitUntil(lambda: bool(overlay.readings_of(8)), timeout=10000)
    assert overlay.readings_of(1) == ()

    view.show_earlier(messages)

    qtbot.waitUntil(lambda: all(overlay.readings_of(m.id) for m in messages), timeout=10000)


def test_the_learners_own_messages_and_a_streaming_reply_are_not_read(qtbot: QtBot) -> None:
    from tutor.domain.conversation import MessageState

    view = ChatView()
    qtbot.addWidget(view)
    overlay = ReadingOverlay(view, TaskRunner(), ANALYSER)
    overlay.set_language("zh")
    overlay.set_shown(True)
    view.show_messages(
        [
            ChatMessage(1, 1, Role.USER, "我去银行。", WHEN),
            ChatMessage(2, 1, Role.ASSISTANT, "好的", WHEN),
            ChatMessage(3, 1, Role.ASSISTANT, "我们", WHEN, state=MessageState.STREAMING),
        ]
    )
    qtbot.waitUntil(lambda: bool(overlay.readings_of(2)), timeout=10000)
    assert overlay.readings_of(1) == () and overlay.readings_of(3) == ()
