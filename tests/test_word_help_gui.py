"""Help on what the partner says, as a learner uses it: "Translate" under a reply shows
the translation beneath it and hides it again, kept for the next start; a click on a word
opens its card (meaning, dictionary form from simplemma, part of speech, example), Add
to review makes a card the review shows; a selection is looked up from the context menu
or Ctrl+L; every failure is said plainly and leaves the conversation as it was."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.gui_helpers import (
    close_app,
    conversation_text,
    practice_argv,
    start_app,
    wait_until_idle,
)
from tests.help_endpoint import MALFORMED, translated
from tests.openai_server import OpenAITestServer, ScriptedReply
from tutor.domain.conversation import Role, utc_now
from tutor.ui.chat.chat_menu import conversation_menu
from tutor.ui.help.lookup_card import LookupCard
from tutor.ui.shell.main_window import MainWindow

PARTNER = "¡Hola! Ayer comí paella en la playa. ¿Y tú?"
TRANSLATION = translated(PARTNER, "English")


def _open(qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend):
    server.enqueue(ScriptedReply(text=PARTNER))
    argv = practice_argv(data_dir, server)
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    return window, context


def _find(window: MainWindow, text: str, after: int = 0) -> QTextCursor:
    found = window.chat.document().find(text, after, QTextDocument.FindFlag.FindCaseSensitively)
    assert not found.isNull(), f"{text!r} is not in the conversation"
    return found


def _click_text(qtbot: QtBot, window: MainWindow, text: str, after: int = 0) -> None:
    """A left click in the middle of the first `text` shown (a link, or a word)."""
    found = _find(window, text, after)
    middle = QTextCursor(found)
    middle.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    point = window.chat.cursorRect(middle).center()
    qtbot.mouseClick(window.chat.viewport(), Qt.MouseButton.LeftButton, pos=point)


def _card(window: MainWindow) -> LookupCard | None:
    return window.conversation.word_help.lookups.card


def _card_says(window: MainWindow, check: Callable[[LookupCard], bool]) -> Callable[[], bool]:
    def shown() -> bool:
        card = _card(window)
        return card is not None and card.isVisible() and check(card)

    return shown


def test_translate_under_a_reply_shows_it_beneath_hides_it_and_keeps_it(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    assert "Translate" in conversation_text(window)
    assert TRANSLATION not in conversation_text(window)

    _click_text(qtbot, window, "Translate")
    qtbot.waitUntil(lambda: TRANSLATION in conversation_text(window))
    text = conversation_text(window)
    assert text.index(PARTNER) < text.index(TRANSLATION)  # beneath the message
    assert "Hide translation" in text
    assert len(server.task_requests("translate")) == 1

    _click_text(qtbot, window, "Hide translation")
    qtbot.waitUntil(lambda: TRANSLATION not in conversation_text(window))
    assert "Translate" in conversation_text(window)

    # Shown again: kept, so no second request.
    _click_text(qtbot, window, "Translate")
    qtbot.waitUntil(lambda: TRANSLATION in conversation_text(window))
    assert len(server.task_requests("translate")) == 1

    # The reply drawn with other words (made simpler, say): the old translation is not
    # shown under it; Translate asks for the new words.
    reply = next(m for m in window.practice.messages if m.role is Role.ASSISTANT)
    window.chat.update_message(reply.with_changes(text="¡Hola! ¿Qué tal?"))
    assert TRANSLATION not in conversation_text(window)
    assert "Hide translation" not in conversation_text(window)
    window.chat.update_message(reply)
    assert TRANSLATION in conversation_text(window)
    close_app(qtbot, window, context)

    # Tutor started again on the same session: there it is, with no request.
    window, context = start_app(
        qtbot,
        ["--data-dir", str(data_dir), "--base-url", server.base_url, "--model", "m"],
        key_backend=keyring_backend,
    )
    qtbot.waitUntil(lambda: PARTNER in conversation_text(window))
    assert TRANSLATION in conversation_text(window)
    assert len(server.task_requests("translate")) == 1
    close_app(qtbot, window, context)


def test_ctrl_t_translates_the_last_reply_and_a_failure_offers_retry(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    messages_before = context.sessions.messages(window.practice.session.id)
    server.enqueue_task("translate", ScriptedReply(status=500))
    assert window.conversation.word_help.translate_action.shortcut() == QKeySequence("Ctrl+T")
    window.chat.setFocus()
    qtbot.keyClick(window.chat, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "The server had a problem (500)" in conversation_text(window))
    assert "Retry" in conversation_text(window)
    assert TRANSLATION not in conversation_text(window)
    assert context.sessions.messages(window.practice.session.id) == messages_before

    _click_text(qtbot, window, "Retry", _find(window, "in a moment.").selectionEnd())  # the link
    qtbot.waitUntil(lambda: TRANSLATION in conversation_text(window))
    assert "The server had a problem" not in conversation_text(window)
    close_app(qtbot, window, context)


def test_a_click_on_a_word_opens_its_card_and_add_to_review_makes_a_due_card(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    # The model repeats the word as its "lemma": simplemma's dictionary form wins.
    server.enqueue_task(
        "lookup",
        ScriptedReply(
            text='{"meaning": "I ate", "lemma": "comí", "part_of_speech": "verb", '
            '"example": "Hoy como pan.", "example_meaning": "Today I eat bread."}'
        ),
    )
    _click_text(qtbot, window, "comí")
    qtbot.waitUntil(_card_says(window, lambda card: card.meaning.text() == "I ate"))
    card = _card(window)
    assert card is not None
    assert card.word.text() == "comí"
    assert card.form.text() == "dictionary form: comer · verb"
    assert card.example.text() == "Hoy como pan."
    assert card.example_meaning.text() == "Today I eat bread."
    assert not card.play_word.isVisible()  # no voice here: no ▶
    assert card.add_button.hasFocus()  # the keyboard starts on the card

    qtbot.mouseClick(card.add_button, Qt.MouseButton.LeftButton)
    assert not card.add_button.isEnabled()
    assert "next review" in card.status.text()
    (made,) = context.review.cards()
    assert made.front == "Ayer ⟦comí⟧ paella en la playa." and made.back == "I ate\ncomer"
    assert context.review.due_count(utc_now()) == 1
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _card(window) is None)

    # The review window shows the sentence with the word in bold, then the meaning.
    qtbot.waitUntil(lambda: window.review_button.text() == "Review (1)")
    qtbot.mouseClick(window.review_button, Qt.MouseButton.LeftButton)
    review = window.review_window
    assert review is not None and review.isVisible()
    front = review.card_page.front
    assert front.toPlainText() == "Ayer comí paella en la playa."
    word = front.document().find("comí")
    at = QTextCursor(word)
    at.setPosition(word.selectionStart() + 1)
    assert at.charFormat().fontWeight() > 400
    assert review.card_page.category_label.text() == "Word"
    review.reveal()
    assert "I ate" in review.card_page.answer.toPlainText()
    assert "comer" in review.card_page.answer.toPlainText()
    review.close()

    # The same word again: the card opens from what was kept, with no request.
    _click_text(qtbot, window, "comí")
    qtbot.waitUntil(_card_says(window, lambda card: card.meaning.text() == "I ate"))
    assert len(server.task_requests("lookup")) == 1
    close_app(qtbot, window, context)


def test_a_malformed_answer_is_said_on_the_card_and_retry_asks_again(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    server.enqueue_task("lookup", MALFORMED, MALFORMED, MALFORMED)
    _click_text(qtbot, window, "playa")
    qtbot.waitUntil(_card_says(window, lambda card: card.retry_button.isVisible()))
    card = _card(window)
    assert card is not None
    assert card.status.text().startswith("The word could not be looked up:")
    assert "JSON" in card.status.text()
    assert not card.add_button.isVisible()
    assert context.review.cards() == []
    qtbot.mouseClick(card.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(_card_says(window, lambda card: card.meaning.text() == "beach"))
    close_app(qtbot, window, context)


def test_a_word_no_longer_in_the_message_is_said_without_a_request(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    reply = next(m for m in window.practice.messages if m.role is Role.ASSISTANT)
    start = PARTNER.index("comí")
    # The reply is drawn with other words between the choice and the look-up (a simpler
    # wording arrived, say).
    window.chat.update_message(reply.with_changes(text="¡Hola! Hoy no hay paella."))
    lookups = window.conversation.word_help.lookups
    lookups.look_up(reply.id, start, start + 4, "comí", QPoint(100, 100))
    qtbot.waitUntil(_card_says(window, lambda card: "not in this message" in card.status.text()))
    card = _card(window)
    assert card is not None and not card.retry_button.isVisible()
    assert card.status.text() == "“comí” is not in this message (any more): it may have changed."
    assert server.task_requests("lookup") == []
    close_app(qtbot, window, context)


def test_a_simpler_wording_is_translated_and_looked_up_as_shown(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    """ "Say it more simply" shows other words as the reply: those are what Translate
    translates and a click looks up; the partner's own words keep their translation."""
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    _click_text(qtbot, window, "Translate")
    qtbot.waitUntil(lambda: TRANSLATION in conversation_text(window))
    _click_text(qtbot, window, "Say it more simply")
    qtbot.waitUntil(lambda: "Más fácil" in conversation_text(window))
    simpler = next(line for line in conversation_text(window).splitlines() if "Más fácil" in line)
    assert TRANSLATION not in conversation_text(window)  # it translated the other words

    _click_text(qtbot, window, "Translate")
    qtbot.waitUntil(lambda: translated(simpler, "English") in conversation_text(window))
    assert len(server.task_requests("translate")) == 2

    _click_text(qtbot, window, "fácil")
    qtbot.waitUntil(_card_says(window, lambda card: card.meaning.text() == "meaning of fácil"))
    card = _card(window)
    assert card is not None
    card.close()

    _click_text(qtbot, window, "Show original")
    qtbot.waitUntil(lambda: TRANSLATION in conversation_text(window))  # kept, not asked
    assert len(server.task_requests("translate")) == 2
    close_app(qtbot, window, context)


def _menu_texts(window: MainWindow) -> tuple[QMenu, list[str]]:
    menu = conversation_menu(window.chat, QPoint(5, 5), window.chat.selection_actions)
    return menu, [action.text() for action in menu.actions()]


def test_a_selected_phrase_is_looked_up_from_the_menu_and_ctrl_l(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    window.chat.setTextCursor(_find(window, "la playa"))
    menu, texts = _menu_texts(window)
    assert "Look up “la playa”" in texts
    assert not any(text.startswith("Save") for text in texts)  # one flow: the card adds it
    next(a for a in menu.actions() if a.text() == "Look up “la playa”").trigger()
    qtbot.waitUntil(_card_says(window, lambda card: card.meaning.text() == "meaning of la playa"))
    card = _card(window)
    assert card is not None
    card.close()
    qtbot.waitUntil(lambda: _card(window) is None)

    window.chat.setTextCursor(_find(window, "paella"))
    window.chat.setFocus()
    qtbot.keyClick(window.chat, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(_card_says(window, lambda card: card.meaning.text() == "meaning of paella"))
    assert [task["word"] for task in _questions(server)] == ["la playa", "paella"]
    close_app(qtbot, window, context)


def _questions(server: OpenAITestServer) -> list[dict[str, str]]:
    from tests.openai_server import task_question

    return [task_question(body) for body in server.task_requests("lookup")]


def test_ctrl_l_without_a_selection_says_how_and_learner_words_are_saved_as_before(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    window.chat.setFocus()
    qtbot.keyClick(window.chat, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert "Select a word" in window.notice.label.text()
    assert _card(window) is None
    # The learner's own words: "Save to review…" with their meaning, as before.
    from tests.gui_helpers import type_and_send

    type_and_send(qtbot, window, "Yo como pan")
    wait_until_idle(qtbot, window)
    window.chat.setTextCursor(_find(window, "como pan"))
    _menu, texts = _menu_texts(window)
    assert "Save “como pan” to review…" in texts
    assert not any(text.startswith("Look up") for text in texts)
    close_app(qtbot, window, context)


def test_the_card_plays_the_word_and_example_where_a_voice_exists(qtbot: QtBot) -> None:
    from tutor.domain.word_help import Lookup, PartOfSpeech

    heard: list[tuple[str, str]] = []
    card = LookupCard("comí", "es", lambda text, code: heard.append((text, code)))
    qtbot.addWidget(card)
    card.show_lookup(
        Lookup("comí", "I ate", "comer", True, PartOfSpeech.VERB, "Hoy como.", "I eat today.")
    )
    card.show_at(QPoint(100, 100))
    assert card.play_word.isVisible() and card.play_example.isVisible()
    qtbot.mouseClick(card.play_word, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.play_example, Qt.MouseButton.LeftButton)
    assert heard == [("comí", "es"), ("Hoy como.", "es")]


def test_the_report_counts_the_help_tokens(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    window, context = _open(qtbot, server, data_dir, keyring_backend)
    _click_text(qtbot, window, "Translate")
    qtbot.waitUntil(lambda: TRANSLATION in conversation_text(window))
    window.report_action.trigger()
    dialog = window.report_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.summary_pending)
    assert "52 for help" in dialog.view.toPlainText()  # 40 + 12 (tests/help_endpoint.py)
    dialog.close()
    close_app(qtbot, window, context)


def test_a_click_in_a_chinese_reply_looks_up_one_word(
    qtbot: QtBot, server: OpenAITestServer, data_dir, keyring_backend
) -> None:
    server.enqueue(ScriptedReply(text="我昨天和朋友去公园了。"))
    argv = practice_argv(data_dir, server, language="zh")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    _click_text(qtbot, window, "公园")
    qtbot.waitUntil(_card_says(window, lambda card: card.meaning.text() == "meaning of 公园"))
    card = _card(window)
    assert card is not None and card.word.text() == "公园"
    assert card.form.text() == "dictionary form: 公园 (model) · noun"  # no simplemma list
    close_app(qtbot, window, context)
