"""The fit meter as a learner meets it: streamed replies from the test server measured
for an A1 learner, the meter beside each, the hard words underlined, the toggle, and the
partner told to use easier words after hard replies (and no longer once they fit)."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat

from tests.gui_helpers import (
    close_app,
    conversation_text,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import ScriptedReply

EASY = "¡Hola! Me llamo Ana. Vivo en una casa pequeña con mi familia. ¿Y tú?"
EASY_TOO = "Muy bien. Mi casa es grande y mi perro es pequeño. ¿Te gusta la música?"
HARD = (
    "El ornitorrinco menesteroso deambulaba soterrado entre sus díscolos congéneres, "
    "atenazado por una exigencia edulcorada."
)
HARD_TOO = "Semejante paradoja delata la menesterosa condición de un sujeto atenazado y díscolo."
STEERED = "too hard for this A1 learner"


def meter_tooltips(window) -> list[str]:
    """The tooltips of the fit meters drawn in the conversation, in order."""
    found: list[str] = []
    block = window.chat.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.text().startswith(("●", "◐", "○", "◌")):
                found.append(fragment.charFormat().toolTip())
            iterator += 1
        block = block.next()
    return found


def underlined(window) -> list[str]:
    return [
        s.cursor.selectedText()
        for s in window.chat.extraSelections()
        if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    ]


def system_of(server) -> str:
    return server.partner_requests()[-1]["messages"][0]["content"]


def send(qtbot, window, server, text: str, reply: str) -> None:
    server.enqueue(ScriptedReply(text=reply))
    type_and_send(qtbot, window, text)
    wait_until_idle(qtbot, window)


def test_an_a1_learner_sees_hard_replies_marked_and_the_partner_steered(
    qtbot, server, data_dir, keyring_backend
):
    server.enqueue(ScriptedReply(text=EASY))
    argv = practice_argv(data_dir, server, "--level", "A1")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: "● fits" in conversation_text(window), timeout=10000)
    assert underlined(window) == []

    send(qtbot, window, server, "Hola, me llamo Pablo", HARD)
    qtbot.waitUntil(lambda: "○ too hard" in conversation_text(window), timeout=5000)
    tip = meter_tooltips(window)[-1]
    assert "% of the words in this reply are within your level (A1)." in tip
    assert "ornitorrinco" in tip and "díscolos" in tip
    qtbot.waitUntil(lambda: "ornitorrinco" in underlined(window))
    assert {"menesteroso", "soterrado", "díscolos", "edulcorada"} <= set(underlined(window))
    assert "Hola" not in underlined(window)
    assert STEERED not in system_of(server)  # one hard reply is not yet a habit

    send(qtbot, window, server, "No comprendo", HARD_TOO)
    qtbot.waitUntil(lambda: conversation_text(window).count("○ too hard") == 2)
    send(qtbot, window, server, "Perdón", EASY_TOO)
    system = system_of(server)
    assert STEERED in system and '"menesterosa"' in system
    assert system.startswith(session_of(window).system_message)
    window.system_button.click()  # the system message shown is the one sent next
    shown = window.dialogs.system_dialog
    assert shown is not None and STEERED in shown.text.toPlainText()
    shown.close()

    send(qtbot, window, server, "Vale", EASY)  # two of the last three fit now
    qtbot.waitUntil(lambda: conversation_text(window).count("● fits") == 3)
    send(qtbot, window, server, "Gracias", EASY_TOO)
    assert STEERED not in system_of(server)
    close_app(qtbot, window, context)


def test_the_menu_toggle_hides_the_meter_and_the_underlines(
    qtbot, server, data_dir, keyring_backend
):
    server.enqueue(ScriptedReply(text=HARD))
    argv = practice_argv(data_dir, server, "--level", "A1")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: "○ too hard" in conversation_text(window), timeout=10000)
    qtbot.waitUntil(lambda: bool(underlined(window)))
    toggle = window.menus.level_fit_action
    assert toggle.isChecked()

    toggle.trigger()
    assert "too hard" not in conversation_text(window)
    assert underlined(window) == []
    assert context.settings.level_fit_meter is False
    assert context.settings_file.load().settings.level_fit_meter is False

    toggle.trigger()
    assert "○ too hard" in conversation_text(window)
    assert underlined(window)
    close_app(qtbot, window, context)


def test_a_language_without_a_word_list_says_it_cannot_judge(
    qtbot, server, data_dir, keyring_backend
):
    server.enqueue(ScriptedReply(text="Habari yako rafiki yangu? Unaendeleaje leo asubuhi?"))
    argv = practice_argv(data_dir, server, "--level", "A1", language="sw")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: "◌ can't judge" in conversation_text(window), timeout=10000)
    assert "no list of how common words are in Swahili" in meter_tooltips(window)[-1]
    assert underlined(window) == []
    # A reply of two words is too short to judge: no meter at all.
    send(qtbot, window, server, "Nzuri sana", "Asante sana!")
    last = window.practice.messages[-1]
    qtbot.waitUntil(lambda: context.level_fits.fit(last) is not None)
    assert conversation_text(window).count("◌ can't judge") == 1
    close_app(qtbot, window, context)


def test_the_report_shows_how_the_replies_fitted(qtbot, server, data_dir, keyring_backend):
    server.enqueue(ScriptedReply(text=EASY))
    argv = practice_argv(data_dir, server, "--level", "A1")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    send(qtbot, window, server, "Hola", HARD)
    qtbot.waitUntil(lambda: "○ too hard" in conversation_text(window), timeout=10000)
    window.end_action.trigger()
    dialog = window.report_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.summary_pending)
    shown = dialog.view.toPlainText()
    assert "Replies at your level" in shown and "1 of 2 replies too hard" in shown
    close_app(qtbot, window, context)


def test_a_toggle_that_cannot_be_saved_says_so_and_changes_nothing(
    qtbot, server, data_dir, keyring_backend, monkeypatch
):
    server.enqueue(ScriptedReply(text=HARD))
    argv = practice_argv(data_dir, server, "--level", "A1")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)

    def full_disk(_settings: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(context.settings_file, "save", full_disk)
    window.menus.level_fit_action.trigger()
    assert "could not be saved" in window.notice.label.text()
    assert window.menus.level_fit_action.isChecked()
    assert context.settings.level_fit_meter is True
    assert "○ too hard" in conversation_text(window)
    monkeypatch.undo()  # the window keeps its layout as it closes
    close_app(qtbot, window, context)


def test_a_reply_shown_in_other_words_is_measured_as_shown(
    qtbot, server, data_dir, keyring_backend
):
    # "Say it more simply" shows a simpler wording in the view; the message keeps its own.
    server.enqueue(ScriptedReply(text=HARD))
    argv = practice_argv(data_dir, server, "--level", "A1")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: "○ too hard" in conversation_text(window), timeout=10000)
    reply = window.practice.messages[-1]
    window.chat.update_message(reply.with_changes(text=EASY))
    qtbot.waitUntil(lambda: "● fits" in conversation_text(window))
    qtbot.waitUntil(lambda: underlined(window) == [])
    assert "too hard" not in conversation_text(window)
    fit = context.level_fits.fit(reply)  # the partner's own words, for steering and report
    assert fit is not None and fit.share is not None and fit.share < 0.9
    window.chat.update_message(reply)  # Show original
    qtbot.waitUntil(lambda: "○ too hard" in conversation_text(window))
    qtbot.waitUntil(lambda: "ornitorrinco" in underlined(window))
    close_app(qtbot, window, context)


def test_a_word_the_learner_then_uses_correctly_is_no_longer_above_the_level(
    qtbot, server, data_dir, keyring_backend
):
    server.enqueue(ScriptedReply(text=HARD))
    argv = practice_argv(data_dir, server, "--level", "A1")
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: "ornitorrinco" in underlined(window), timeout=10000)
    reply = window.practice.messages[-1]
    before = context.level_fits.fit(reply)
    assert before is not None
    # The coach (the test server's default) finds this message correct.
    send(qtbot, window, server, "Me gusta mucho el ornitorrinco", EASY)
    qtbot.waitUntil(lambda: "ornitorrinco" not in underlined(window))
    after = context.level_fits.fit(reply)
    assert after is not None and after.known == before.known + 1
    assert "menesteroso" in underlined(window)
    close_app(qtbot, window, context)
