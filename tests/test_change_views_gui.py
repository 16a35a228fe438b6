"""Views refresh themselves from the change hub: a use case says what it changed, and
the sidebar and the Review button follow, with no view refreshing another by hand."""

from __future__ import annotations

from tests.gui_helpers import close_app, open_practice, session_of
from tutor.services import session_actions
from tutor.services.changes import Change


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
