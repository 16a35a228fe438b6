"""What features add to a message (tutor/ui/chat/message_decorations.py): links beside
the time, notes beneath the text, highlights over it, and the places of words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from pytestqt.qtbot import QtBot

from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.ui.chat.chat_view import ChatView
from tutor.ui.chat.message_decorations import (
    MessageAction,
    MessageNote,
    action_link,
    parse_action_link,
    text_offset,
    text_units,
)

WHEN = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
REPLY = "🙂 Hola, ¿qué tal? Me gusta el café."


class Translation:
    """A decorator like the help feature's: a link, and a note once asked."""

    def __init__(self) -> None:
        self.shown: set[int] = set()

    def actions(self, message: ChatMessage) -> Sequence[MessageAction]:
        if message.role is not Role.ASSISTANT or message.state is not MessageState.COMPLETE:
            return ()
        label = "Hide translation" if message.id in self.shown else "Translate"
        return (
            MessageAction("translate", label),
            MessageAction("fit", "● fits", tooltip="<b>97%</b> known", link=False),
        )

    def notes(self, message: ChatMessage) -> Sequence[MessageNote]:
        if message.id not in self.shown:
            return ()
        return (MessageNote("Hello, how are you? I like coffee."),)


def _view(qtbot: QtBot) -> tuple[ChatView, Translation]:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    decorator = Translation()
    view.add_decorator(decorator)
    view.show_messages(
        [
            ChatMessage(1, 1, Role.ASSISTANT, REPLY, WHEN),
            ChatMessage(2, 1, Role.USER, "Bien, gracias", WHEN),
        ]
    )
    view.show()
    qtbot.waitExposed(view)
    return view, decorator


def _point_of(view: ChatView, position: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    return view.cursorRect(cursor).center() + QPoint(2, 0)


def test_links_and_notes_are_drawn_and_clicks_reach_the_feature(qtbot: QtBot) -> None:
    view, decorator = _view(qtbot)
    text = view.toPlainText()
    assert "Translate" in text and "● fits" in text
    assert text.count("Translate") == 1  # only the reply has it

    with qtbot.waitSignal(view.action_requested) as clicked:
        view.anchorClicked.emit(action_link("translate", 1))
    assert clicked.args == ["translate", 1]

    decorator.shown.add(1)
    view.redraw_message(1)
    text = view.toPlainText()
    assert "Hide translation" in text
    assert text.index(REPLY) < text.index("Hello, how are you?") < text.index("Bien, gracias")


def test_highlights_cover_the_words_asked_even_after_an_emoji(qtbot: QtBot) -> None:
    view, _decorator = _view(qtbot)
    start = REPLY.index("café")
    fmt = QTextCharFormat()
    fmt.setBackground(QColor("yellow"))
    view.set_highlights("speaking", [(1, start, start + len("café"))], fmt)
    view.set_highlights("hard-words", [(1, 0, 1), (99, 0, 1)], fmt)
    selections = view.extraSelections()
    assert [s.cursor.selectedText() for s in selections] == ["café", "🙂"]

    view.set_highlights("speaking", [], fmt)
    assert [s.cursor.selectedText() for s in view.extraSelections()] == ["🙂"]


def test_a_click_on_a_word_of_a_reply_says_which_word(qtbot: QtBot) -> None:
    view, _decorator = _view(qtbot)
    body = view.document().find("gusta").selectionStart()
    point = _point_of(view, body + 1)
    word = range(REPLY.index("gusta"), REPLY.index("gusta") + len("gusta") + 1)
    place = view.text_position(point)
    assert place is not None and place[0] == 1 and place[1] in word

    with qtbot.waitSignal(view.word_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert clicked.args[0] == 1 and clicked.args[1] in word

    learner = view.document().find("gracias").selectionStart()
    with qtbot.assertNotEmitted(view.word_clicked):
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(view, learner + 1)
        )


def test_a_selection_inside_one_message_is_given_as_offsets(qtbot: QtBot) -> None:
    view, _decorator = _view(qtbot)
    view.setTextCursor(view.document().find("el café"))
    assert view.selection_in_message() == (
        1,
        REPLY.index("el café"),
        REPLY.index("el café") + len("el café"),
    )
    across = QTextCursor(view.document())
    across.setPosition(view.document().find("café").selectionStart())
    across.setPosition(
        view.document().find("gracias").selectionEnd(), QTextCursor.MoveMode.KeepAnchor
    )
    view.setTextCursor(across)
    assert view.selection_in_message() is None


def test_streamed_text_has_places_while_it_arrives(qtbot: QtBot) -> None:
    view, _decorator = _view(qtbot)
    view.append_message(ChatMessage(3, 1, Role.ASSISTANT, "", WHEN, MessageState.STREAMING))
    view.append_text(3, "Primera frase. ")
    view.append_text(3, "Segunda.")
    assert view.message_text(3) == "Primera frase. Segunda."
    fmt = QTextCharFormat()
    fmt.setBackground(QColor("yellow"))
    view.set_highlights("speaking", [(3, 0, len("Primera frase."))], fmt)
    assert [s.cursor.selectedText() for s in view.extraSelections()] == ["Primera frase."]


def test_links_and_offsets_round_trip() -> None:
    assert parse_action_link(action_link("play", 12)) == ("play", 12)
    assert parse_action_link("tutor:act/play/x") is None
    assert parse_action_link("tutor:retry") is None
    text = "a😀b"
    assert [text_units(text, i) for i in range(4)] == [0, 1, 3, 4]
    assert [text_offset(text, u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]
