"""The review window as a learner uses it: corrected messages come back as cards, shown,
revealed and rated with the mouse or the keys; a sentence retried and checked."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui_helpers import practice_argv, start_app, type_and_send, type_text, wait_until_idle
from tests.openai_server import OpenAITestServer, ScriptedReply, coach_reply
from tutor.domain.conversation import Role, utc_now
from tutor.domain.review import Rating
from tutor.services.changes import Change, Changes
from tutor.store.review_cards import ReviewStore
from tutor.ui.review.review_window import ReviewWindow
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.main_window import MainWindow

# (what the learner writes, what the coach makes of it, the coach's item)
MISTAKES = [
    (
        "Yesterday I goed to the park",
        "Yesterday I went to the park",
        ("goed", "went", "Go is irregular: the past is went.", "grammar"),
    ),
    (
        "She have two brothers",
        "She has two brothers",
        ("have", "has", "With she, the verb takes -s.", "grammar"),
    ),
    (
        "I am agree with you",
        "I agree with you",
        ("am ", "", "Agree is a verb: no am before it.", "grammar"),
    ),
]


def review_store(context: AppContext) -> ReviewStore:
    return context.review


def corrected_conversation(
    qtbot: QtBot, server: OpenAITestServer, data_dir: Path, keyring_backend: Any, count: int
) -> tuple[MainWindow, AppContext, ReviewStore]:
    """Tutor with `count` learner messages the coach corrected, each made into a card."""
    window, context = start_app(
        qtbot,
        practice_argv(data_dir, server, language="en", native="es"),
        key_backend=keyring_backend,
    )
    wait_until_idle(qtbot, window)
    for text, corrected, item in MISTAKES[:count]:
        server.enqueue_coach(coach_reply(corrected, [item]))
        type_and_send(qtbot, window, text)
        wait_until_idle(qtbot, window)
    store = review_store(context)
    for message in window.practice.messages:
        if message.role is Role.USER and message.correction is not None:
            # Idempotent: once the app makes cards itself, this adds nothing.
            store.add_cards_for_message(message.id, message.text, message.correction, "en")
    assert store.due_count(utc_now()) == count
    return window, context, store


def open_review(qtbot: QtBot, context: AppContext, parent: MainWindow) -> ReviewWindow:
    review = ReviewWindow(context, parent)
    review.show()
    qtbot.waitExposed(review)
    review.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is review)
    return review


def review_button_counts(context: AppContext, window: MainWindow) -> list[int]:
    """The due count on the main window's Review button each time cards change (a rating
    says so on the hub, and the button follows it before this listener hears)."""
    counts: list[int] = []

    def heard(changes: Changes) -> None:
        if changes.touches(Change.CARDS):
            text = window.review_button.text()
            counts.append(int(text.removeprefix("Review (").rstrip(")")) if "(" in text else 0)

    context.changes.subscribe(heard)
    return counts


def press(qtbot: QtBot, review: ReviewWindow, key: Qt.Key) -> None:
    """A key as the keyboard sends it: to the widget that has the focus."""
    qtbot.keyClick(review.focusWidget() or review, key)


def struck_text(review: ReviewWindow, text: str) -> bool:
    cursor = review.answer.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not cursor.isNull(), f"{text!r} is not in the answer"
    inside = QTextCursor(cursor)
    inside.setPosition(cursor.selectionStart() + 1)
    return inside.charFormat().fontStrikeOut()


def test_three_corrected_sentences_are_reviewed_with_mouse_and_keys(
    qtbot, server, data_dir, keyring_backend, tmp_path
):
    window, context, store = corrected_conversation(qtbot, server, data_dir, keyring_backend, 3)
    review = open_review(qtbot, context, window)
    counts = review_button_counts(context, window)

    assert review.count_label.text() == "3 cards due"
    assert review.front.toPlainText() == MISTAKES[0][0]
    assert review.show_button.isVisible()
    assert not review.answer.isVisible() and not review.ratings.isVisible()
    # Rating keys do nothing before the answer is shown.
    press(qtbot, review, Qt.Key.Key_3)
    assert counts == [] and store.due_count(utc_now()) == 3
    review.grab().save(str(tmp_path / "review-front.png"))  # to look at: --basetemp

    # First card: the mouse.
    qtbot.mouseClick(review.show_button, Qt.MouseButton.LeftButton)
    assert review.answer.isVisible() and review.ratings.isVisible()
    assert not review.show_button.isVisible()
    answer = review.answer.toPlainText()
    assert answer.startswith(MISTAKES[0][1])
    assert MISTAKES[0][2][2] in answer
    assert struck_text(review, "goed") and not struck_text(review, "went")
    good = review.rating_buttons[Rating.GOOD]
    assert good.text() == "Good\n10 min"  # a new card: the second learning step
    assert review.rating_buttons[Rating.AGAIN].text() == "Again\n1 min"
    review.grab().save(str(tmp_path / "review-answer.png"))
    qtbot.mouseClick(good, Qt.MouseButton.LeftButton)
    assert counts == [2] and store.due_count(utc_now()) == 2
    assert review.count_label.text() == "2 cards due"

    # Second card: Space shows the answer, 3 rates it Good.
    assert review.front.toPlainText() == MISTAKES[1][0]
    press(qtbot, review, Qt.Key.Key_Space)
    assert review.revealed
    assert MISTAKES[1][1] in review.answer.toPlainText()
    assert struck_text(review, "ves")  # inside the word: "ha~~ve~~s"
    press(qtbot, review, Qt.Key.Key_3)
    assert counts == [2, 1] and store.due_count(utc_now()) == 1

    # Third card: Space, then Enter on the button the focus went to (Good).
    assert review.front.toPlainText() == MISTAKES[2][0]
    assert review.count_label.text() == "1 card due"
    press(qtbot, review, Qt.Key.Key_Space)
    assert MISTAKES[2][1] in review.answer.toPlainText()
    assert review.focusWidget() is review.rating_buttons[Rating.GOOD]
    press(qtbot, review, Qt.Key.Key_Return)
    assert counts == [2, 1, 0] and store.due_count(utc_now()) == 0

    assert review.card is None
    assert review.count_label.text() == "0 cards due"
    assert review.done_label.text().startswith("All done for now.\nNext card due in 10 min")
    assert [r.rating for r in store.reviews()] == [Rating.GOOD] * 3
    review.close()


def test_again_brings_the_card_back_within_the_sitting(qtbot, server, data_dir, keyring_backend):
    window, context, store = corrected_conversation(qtbot, server, data_dir, keyring_backend, 1)
    moments = [utc_now()]
    review = ReviewWindow(context, window, clock=lambda: moments[-1])
    qtbot.addWidget(review)
    review.reveal()
    review.rate(Rating.AGAIN)
    assert review.card is None
    assert "Next card due in 1 min" in review.done_label.text()

    moments.append(moments[0] + timedelta(minutes=2))
    review._next_card()  # what the window's timer does when the card comes due
    assert review.card is not None and review.front.toPlainText() == MISTAKES[0][0]
    assert [r.rating for r in store.reviews()] == [Rating.AGAIN]


def test_retry_this_sentence_is_checked_by_the_coach(
    qtbot, server, data_dir, keyring_backend, tmp_path
):
    window, context, store = corrected_conversation(qtbot, server, data_dir, keyring_backend, 1)
    review = open_review(qtbot, context, window)
    press(qtbot, review, Qt.Key.Key_R)
    assert review.retry_box.isVisible() and review.retry_edit.hasFocus()
    # In the box, digits and spaces are text, not ratings or "show answer".
    press(qtbot, review, Qt.Key.Key_Space)
    press(qtbot, review, Qt.Key.Key_3)
    assert review.retry_edit.text() == " 3"
    assert not review.revealed and store.due_count(utc_now()) == 1
    review.retry_edit.clear()

    # Right this time: the server's default coach answer is "no mistakes".
    type_text(review.retry_edit, MISTAKES[0][1])
    press(qtbot, review, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: review.retry_status.text() == "✓ No mistakes")
    sent = server.coach_requests()[-1]["messages"][-1]["content"]
    assert f'"learner_wrote": "{MISTAKES[0][1]}"' in sent
    assert review.check_button.isEnabled()
    assert not review.revealed  # checking is not rating: the card is still there
    assert review.front.toPlainText() == MISTAKES[0][0]

    # Wrong again: the marks, struck through, and why.
    server.enqueue_coach(coach_reply(MISTAKES[0][1], [MISTAKES[0][2]]))
    review.retry_edit.clear()
    type_text(review.retry_edit, MISTAKES[0][0])
    qtbot.mouseClick(review.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.retry_status.text() == "1 correction:")
    assert review.retry_marks.isVisible()
    marks = review.retry_marks.toPlainText()
    assert "Grammar: goed → went" in marks and MISTAKES[0][2][2] in marks
    review.grab().save(str(tmp_path / "review-retry.png"))

    # The server fails: said in words, and what was typed stays to try again.
    server.enqueue_coach(ScriptedReply(status=500))
    qtbot.mouseClick(review.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not checked" in review.retry_status.text())
    assert "The server had a problem (500)" in review.retry_status.text()
    assert not review.retry_marks.isVisible()
    assert review.retry_edit.text() == MISTAKES[0][0]
    assert review.check_button.isEnabled()

    # Checked again as it stands (the server's default answer: no mistakes).
    qtbot.mouseClick(review.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.retry_status.text() == "✓ No mistakes")
    review.close()


def test_an_answer_for_the_last_card_is_not_shown_on_the_next(
    qtbot, server, data_dir, keyring_backend
):
    window, context, _store = corrected_conversation(qtbot, server, data_dir, keyring_backend, 2)
    review = open_review(qtbot, context, window)
    server.enqueue_coach(ScriptedReply(hang=True))
    asked = len(server.coach_requests())
    review.open_retry()
    type_text(review.retry_edit, MISTAKES[0][1])
    review.check_retry()
    qtbot.waitUntil(lambda: len(server.coach_requests()) == asked + 1)
    assert review.retry_status.text() == "Checking…"
    review.reveal()
    review.rate(Rating.GOOD)
    assert review.front.toPlainText() == MISTAKES[1][0]
    server.release_hanging()
    assert context.tasks.wait_for_done(5000)
    QApplication.processEvents()  # the failure, queued meanwhile, arrives: and is dropped
    assert review.retry_status.text() == ""
    assert review.check_button.isEnabled()
    review.close()


def test_with_no_cards_the_window_says_how_they_come(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(
        qtbot, practice_argv(data_dir, server, language="en"), key_backend=keyring_backend
    )
    review_store(context)
    review = ReviewWindow(context, window)
    qtbot.addWidget(review)
    assert review.card is None
    assert review.count_label.text() == "0 cards due"
    assert review.done_label.text().startswith("No cards yet.")


def test_a_word_card_is_revealed_with_its_meaning(qtbot, server, data_dir, keyring_backend):
    window, context = start_app(
        qtbot, practice_argv(data_dir, server, language="es"), key_backend=keyring_backend
    )
    review_store(context).add_word("es", "la mochila", "the backpack")
    review = ReviewWindow(context, window)
    qtbot.addWidget(review)
    assert review.front.toPlainText() == "la mochila"
    assert review.category_label.text() == "Word"
    assert review.retry_button.text() == "Use it in a sentence"
    review.reveal()
    assert review.answer.toPlainText() == "the backpack"


def test_corrections_become_cards_and_the_main_window_shows_the_due_count(
    qtbot, server, data_dir, keyring_backend
):
    from tests.gui_helpers import practice_argv, start_app, type_and_send, wait_until_idle
    from tests.openai_server import coach_reply

    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    assert window.review_button.text() == "Review"
    server.enqueue_coach(coach_reply("Yo fui al parque", [("fue", "fui", "Yo: fui.", "grammar")]))
    type_and_send(qtbot, window, "Yo fue al parque")
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.review_button.text() == "Review (1)")
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    review = window.review_window
    assert review is not None and review.isVisible()


def test_a_word_selected_in_the_conversation_is_saved_as_a_card(
    qtbot, server, data_dir, keyring_backend
):
    from PySide6.QtGui import QTextCursor, QTextDocument

    from tests.gui_helpers import practice_argv, start_app, type_text, wait_until_idle
    from tutor.domain.conversation import utc_now

    server.enqueue(ScriptedReply(text="¿Te gusta el helado de fresa?"))
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    found = window.chat.document().find("fresa", 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull()
    window.chat.setTextCursor(QTextCursor(found))
    window.chat.word_save_requested.emit(window.chat.textCursor().selectedText())
    dialog = window.word_dialog
    assert dialog is not None
    dialog.setTextValue("")
    type_text(dialog.findChild(type(window.history.search)), "strawberry")
    dialog.accept()
    (card,) = [c for c in context.review.cards() if c.front == "fresa"]
    assert card.back == "strawberry" and card.language == "es"
    assert context.review.due_count(utc_now()) == 1
    assert window.review_button.text() == "Review (1)"
