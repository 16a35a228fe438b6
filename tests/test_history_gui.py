"""History in the sidebar: search across sessions, filters, rename, delete with Undo."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt

from tests.gui_helpers import (
    close_app,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    type_text,
    wait_until_idle,
)
from tests.openai_server import coach_reply
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile


def two_sessions(qtbot, server, data_dir, keyring_backend):
    """A Spanish session about a park, then a Japanese one about Kyoto."""
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    type_and_send(qtbot, window, "Ayer fui al parque del Retiro.")
    wait_until_idle(qtbot, window)
    spanish = session_of(window)
    window.new_session(LearnerProfile("ja", Level.A2, "en"))
    wait_until_idle(qtbot, window)
    type_and_send(qtbot, window, "週末は京都に行きました。")
    wait_until_idle(qtbot, window)
    return window, context, spanish, session_of(window)


def test_search_finds_a_message_in_another_session_and_opens_it_there(
    qtbot, server, data_dir, keyring_backend
):
    window, _, spanish, _ = two_sessions(qtbot, server, data_dir, keyring_backend)
    history = window.history
    history.search.setFocus()
    type_text(history.search, "retiro")
    qtbot.waitUntil(lambda: history.hits.count() >= 1 and bool(history.hits.item(0).data(256)))
    assert history.stack.currentWidget() is history.hits
    html = history.hits.item(0).data(257)
    assert "<b" in html and "Retiro" in html  # the hit, highlighted
    rect = history.hits.visualItemRect(history.hits.item(0))
    qtbot.mouseClick(history.hits.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session_of(window).id == spanish.id
    cursor = window.chat.textCursor()
    # The reading place is the found message's header: the message follows it at once.
    found = window.chat.toPlainText()[cursor.position() :].split("\n")
    assert "Ayer fui al parque" in found[1]

    history.search.clear()
    assert history.stack.currentWidget() is history.sessions


def test_search_in_japanese_and_a_query_that_matches_nothing(
    qtbot, server, data_dir, keyring_backend
):
    window, _, _, japanese = two_sessions(qtbot, server, data_dir, keyring_backend)
    history = window.history
    type_text(history.search, "京都")
    qtbot.waitUntil(lambda: history.hits.count() >= 1 and bool(history.hits.item(0).data(256)))
    assert history.hits.item(0).data(256)[0] == japanese.id
    history.search.clear()
    type_text(history.search, "xyzzy")
    qtbot.waitUntil(lambda: history.hits.count() == 1 and not history.hits.item(0).data(256))
    assert history.hits.item(0).text() == "No message matches."


def test_filter_by_language_and_by_scenario(qtbot, server, data_dir, keyring_backend):
    window, _, spanish, japanese = two_sessions(qtbot, server, data_dir, keyring_backend)
    history = window.history
    assert set(window.session_list.session_ids()) == {spanish.id, japanese.id}
    history.language_filter.setCurrentIndex(history.language_filter.findData("ja"))
    assert window.session_list.session_ids() == [japanese.id]
    history.language_filter.setCurrentIndex(0)
    history.scenario_filter.setCurrentIndex(history.scenario_filter.findData("no-such"))
    assert set(window.session_list.session_ids()) == {spanish.id, japanese.id}


def test_rename_shows_the_new_name_and_keeps_it(qtbot, server, data_dir, keyring_backend):
    window, context, spanish, _ = two_sessions(qtbot, server, data_dir, keyring_backend)
    window.history.rename_requested.emit(spanish.id)
    dialog = window.rename_dialog
    assert dialog is not None
    dialog.setTextValue("")
    edit = dialog.findChild(type(window.history.search))
    type_text(edit, "Mi día en Madrid")
    dialog.accept()
    assert context.sessions.session(spanish.id).title == "Mi día en Madrid"
    assert "Mi día en Madrid" in window.session_list.item(1).text()


def test_delete_hides_the_session_undo_brings_it_back_and_a_restart_makes_it_final(
    qtbot, server, data_dir, keyring_backend
):
    window, context, spanish, japanese = two_sessions(qtbot, server, data_dir, keyring_backend)
    window.history.delete_requested.emit(japanese.id)  # the open one
    assert window.session_list.session_ids() == [spanish.id]
    assert window.practice.session is None
    assert not window.composer.isEnabled()
    qtbot.mouseClick(window.notice.undo, Qt.MouseButton.LeftButton)
    assert set(window.session_list.session_ids()) == {spanish.id, japanese.id}
    assert session_of(window).id == japanese.id

    window.history.delete_requested.emit(spanish.id)
    assert window.session_list.session_ids() == [japanese.id]
    close_app(qtbot, window, context)
    window, context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    assert window.session_list.session_ids() == [japanese.id]
    import sqlite3

    with sqlite3.connect(context.paths.database) as db:
        assert db.execute(
            "SELECT COUNT(*) FROM sessions WHERE id = ?", (spanish.id,)
        ).fetchone() == (0,)


def test_the_list_shows_length_and_mistakes(qtbot, server, data_dir, keyring_backend):
    window, _ = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    server.enqueue_coach(coach_reply("Yo fui al parque", [("fue", "fui", "Yo: fui.", "grammar")]))
    type_and_send(qtbot, window, "Yo fue al parque")
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: "1 mistake" in window.session_list.item(0).text())
    assert "3 messages" in window.session_list.item(0).text()


def test_the_filters_say_all_before_there_is_any_session(qtbot):
    """A first run: the sidebar's filters read "All languages" and "All scenarios", not
    two empty boxes."""
    from tutor.ui.history.history_panel import HistoryPanel

    panel = HistoryPanel()
    qtbot.addWidget(panel)
    assert panel.language_filter.currentText() == "All languages"
    assert panel.scenario_filter.currentText() == "All scenarios"
    assert panel.chosen_language() is None and panel.chosen_scenario() is None
    panel.set_filter_choices(["es"], [("cafe-order", "At the café")])
    assert panel.language_filter.itemText(1) == "Spanish"
    assert panel.language_filter.currentText() == "All languages"


def test_an_arabic_session_shows_every_line_of_its_row(qtbot, server, data_dir, keyring_backend):
    """Qt measured a row whose last line is Arabic under English lines shorter than it
    drew it, and cut the preview off ("no mistakes…"): every line must fit, the question
    mark on the Arabic side."""
    window, _ = start_app(
        qtbot, practice_argv(data_dir, server, language="ar"), key_backend=keyring_backend
    )
    wait_until_idle(qtbot, window)
    type_and_send(qtbot, window, "أين محطة القطار؟")
    wait_until_idle(qtbot, window)
    sidebar = window.session_list
    qtbot.waitUntil(lambda: "أين محطة القطار؟" in sidebar.item(0).text())
    lines = sidebar.item(0).text().count("\n") + 1
    assert lines == 4
    row_height = sidebar.visualItemRect(sidebar.item(0)).height()
    assert row_height >= lines * sidebar.fontMetrics().lineSpacing()


def _dark_pixels(image, top: int, bottom: int) -> int:
    return sum(
        1
        for y in range(top, bottom)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).lightness() < 100
    )


def test_the_sidebar_is_drawn_at_once_when_it_is_refreshed(qtbot):
    """The window refreshes the sidebar after every reply. Rows of different heights were
    measured in batches, and until the last batch the list drew nothing: the sidebar
    blinked empty after each reply. Every row now draws in the first paint."""
    from datetime import UTC, datetime

    from tutor.domain.session import PracticeSession
    from tutor.ui.history.session_list import SessionList

    now = datetime.now(UTC)
    previews = ["Ayer fui al parque.", "أين محطة القطار؟", "週末は京都に行きました。", "Привет!"]
    sessions = [
        PracticeSession(
            number,
            now,
            now,
            ["es", "ar", "ja", "ru"][number % 4],
            Level.B1,
            "en",
            "free-conversation",
            "Free conversation",
            "",
            "",
            "",
            10,
            previews[number % 4],
        )
        for number in range(1, 501)
    ]
    sidebar = SessionList()
    qtbot.addWidget(sidebar)
    sidebar.resize(220, 600)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    for shown in (sessions, [sessions[7], *sessions[:7], *sessions[8:]]):
        sidebar.show_sessions(shown, shown[0].id)
        image = sidebar.viewport().grab().toImage()
        first_row = sidebar.visualItemRect(sidebar.item(1))
        assert _dark_pixels(image, first_row.top(), first_row.bottom()) > 50
    heights = {sidebar.visualItemRect(sidebar.item(row)).height() for row in range(4)}
    assert len(heights) == 1


def test_search_hits_of_any_length_never_run_into_each_other(qtbot):
    """Each hit is measured at the width it is drawn at, scroll bar or not."""
    from datetime import UTC, datetime

    from tutor.domain.conversation import Role
    from tutor.store.search import SearchHit
    from tutor.ui.history.history_panel import HistoryPanel

    words = "¿Qué hicisteis en el parque? A mí me encanta pasear por el Retiro cuando"
    hits = [
        SearchHit(
            number,
            number,
            Role.ASSISTANT,
            datetime.now(UTC),
            "Spanish · B1 · Free conversation",
            "es",
            ((words[: 10 + 7 * (number % 9)], False), ("parque", True), (words, False)),
        )
        for number in range(1, 30)
    ]
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.resize(230, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.search.setText("parque")
    panel.show_hits(hits)
    listed = panel.hits
    qtbot.waitUntil(lambda: listed.verticalScrollBar().isVisible())
    rows = [listed.visualItemRect(listed.item(row)) for row in range(8)]
    for above, below in itertools.pairwise(rows):
        assert above.bottom() < below.top()
    assert not listed.horizontalScrollBar().isVisible()
