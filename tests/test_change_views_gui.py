"""Views refresh themselves from the change hub: a use case says what it changed, and
the sidebar, the Review button and what shows the settings follow, with no view
refreshing another by hand."""

from __future__ import annotations

import json

from tests.gui_helpers import close_app, open_practice, session_of, type_and_send, wait_until_idle
from tests.openai_server import coach_reply
from tutor.domain.conversation import Role
from tutor.domain.corrections import CorrectionScope, CorrectionStyle
from tutor.domain.settings import Settings
from tutor.services import session_actions
from tutor.services.changes import Change, Changes
from tutor.ui.shell.main_window import MainWindow


def test_the_sidebar_follows_what_the_hub_says_about_sessions(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    session = session_of(window)
    # Written behind the views' backs: nothing is shown until the hub says so.
    context.sessions.rename(session.id, "Written elsewhere")
    assert "Written elsewhere" not in window.session_list.item(0).text()
    context.changes.publish(Change.CARDS)  # not what the sidebar shows
    assert "Written elsewhere" not in window.session_list.item(0).text()
    context.changes.publish(Change.SESSIONS, session.id)
    assert "Written elsewhere" in window.session_list.item(0).text()
    # A use case says so itself.
    session_actions.rename_session(context, session.id, "Por el parque")
    assert "Por el parque" in window.session_list.item(0).text()
    close_app(qtbot, window, context)


def test_the_review_button_follows_what_the_hub_says_about_cards(
    qtbot, server, data_dir, keyring_backend
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    assert window.review_button.text() == "Review"
    context.review.add_word("es", "fresa", "strawberry")
    assert window.review_button.text() == "Review"
    context.changes.publish(Change.CARDS)
    assert window.review_button.text() == "Review (1)"
    session_actions.save_word(context, "es", "limón", "lemon")
    assert window.review_button.text() == "Review (2)"
    close_app(qtbot, window, context)


def counted_refreshes(window: MainWindow) -> list[int]:
    """One item each time the sidebar refreshes from now on."""
    refreshes: list[int] = []
    refresh = window.history.refresh

    def counted_refresh() -> None:
        refreshes.append(1)
        refresh()

    window.history.refresh = counted_refresh  # type: ignore[method-assign]
    return refreshes


def test_each_thing_a_turn_changes_refreshes_the_sidebar_once(
    qtbot, server, data_dir, keyring_backend
):
    """Sending, the finished reply, the applied check, a dismissed mark and ending the
    session each say once what they changed, and the sidebar refreshes once for each."""
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    session = session_of(window)
    heard: list[Changes] = []
    context.changes.subscribe(heard.append)
    refreshes = counted_refreshes(window)

    server.enqueue_coach(coach_reply("Yo fui al parque", [("fue", "fui", "Yo: fui.", "grammar")]))
    type_and_send(qtbot, window, "Yo fue al parque")
    wait_until_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(heard) == 3)
    sending = Changes(Change.MESSAGES | Change.SESSIONS | Change.CORRECTIONS, session.id)
    finished_reply = Changes(Change.MESSAGES | Change.SESSIONS, session.id)
    applied_check = Changes(Change.CORRECTIONS | Change.SESSIONS | Change.CARDS, session.id)
    assert heard[0] == sending
    assert sorted(heard[1:], key=repr) == sorted([finished_reply, applied_check], key=repr)
    assert len(refreshes) == 3
    row = window.session_list.item(0).text()
    assert "3 messages" in row and "1 mistake" in row
    assert window.review_button.text() == "Review (1)"  # the check made a card

    heard.clear()
    refreshes.clear()
    mine = next(m for m in window.practice.messages if m.role is Role.USER)
    window.practice.set_dismissed(mine.id, 0, True)  # "that was right"
    assert heard == [Changes(Change.CORRECTIONS | Change.SESSIONS, session.id)]
    assert len(refreshes) == 1 and "no mistakes" in window.session_list.item(0).text()

    heard.clear()
    refreshes.clear()
    window.practice.end_session(True)
    assert heard == [Changes(Change.SESSIONS | Change.GOALS, session.id)]
    assert len(refreshes) == 1
    close_app(qtbot, window, context)


def test_a_new_session_and_deleting_the_open_one_refresh_the_sidebar_once(
    qtbot, server, data_dir, keyring_backend
):
    """Showing another session only moves the highlight; the rows follow the hub."""
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    first = session_of(window)
    refreshes = counted_refreshes(window)
    window.new_session(first.profile)
    wait_until_idle(qtbot, window)
    second = session_of(window)
    # The session made (with the opening reply's start), then the opening reply.
    assert len(refreshes) == 2
    assert window.session_list.session_ids() == [second.id, first.id]
    assert window.session_list.currentRow() == 0

    refreshes.clear()
    window.session_actions.delete(second.id)
    assert len(refreshes) == 1
    assert window.session_list.session_ids() == [first.id]
    assert window.session_list.currentRow() == -1
    window.open_session(first.id)
    assert len(refreshes) == 1 and window.session_list.currentRow() == 0
    close_app(qtbot, window, context)


def test_a_style_chosen_in_settings_shows_in_the_corrections_menu_and_a_failed_save_not(
    qtbot, server, data_dir, keyring_backend, monkeypatch
):
    window, context = open_practice(qtbot, server, data_dir, keyring_backend)
    assert not window.strict_action.isChecked()
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.corrections_form.set_values(
        CorrectionStyle(CorrectionScope.MEANING, explanations=False, strict=True), ""
    )
    dialog.accept()
    assert window.strict_action.isChecked()
    assert window.scope_actions[CorrectionScope.MEANING].isChecked()
    assert not window.chat.show_explanations
    assert json.loads(context.paths.settings.read_text())["corrections"]["strict"] is True

    # The menu shows the style in force: a choice that could not be saved is taken back.
    def refuse(_settings: Settings) -> None:
        raise OSError("read-only folder")

    monkeypatch.setattr(context.settings_file, "save", refuse)
    window.strict_action.trigger()
    assert window.strict_action.isChecked()
    assert context.settings.corrections.strict
    assert "could not be saved" in window.notice.label.text()
    monkeypatch.undo()  # the window layout is saved as it closes
    close_app(qtbot, window, context)
