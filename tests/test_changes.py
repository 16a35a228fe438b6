"""The change hub (tutor/services/changes.py) and the session actions that publish on it
(tutor/services/session_actions.py): Qt-free, on a real database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tutor.domain.conversation import utc_now
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.services import session_actions
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.store.database import open_database
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore

# -- the hub ----------------------------------------------------------------------------


def test_every_listener_hears_what_changed_and_where():
    hub = ChangeHub()
    first: list[Changes] = []
    second: list[Changes] = []
    hub.subscribe(first.append)
    hub.subscribe(second.append)
    published = hub.publish(Change.SESSIONS | Change.CARDS, 7)
    assert first == second == [Changes(Change.SESSIONS | Change.CARDS, 7)]
    assert published == first[0]
    assert published.touches(Change.CARDS) and published.touches(Change.CARDS | Change.GOALS)
    assert not published.touches(Change.CORRECTIONS | Change.REPORTS)


def test_nothing_changed_is_not_said():
    hub = ChangeHub()
    heard: list[Changes] = []
    hub.subscribe(heard.append)
    assert hub.publish(Change.NONE) == Changes(Change.NONE)
    assert heard == []


def test_a_listener_that_stopped_hears_no_more_and_stopping_twice_is_harmless():
    hub = ChangeHub()
    heard: list[Changes] = []
    stop = hub.subscribe(heard.append)
    hub.publish(Change.MESSAGES, 1)
    stop()
    stop()
    hub.publish(Change.MESSAGES, 2)
    assert [c.session_id for c in heard] == [1]


def test_a_failing_listener_is_logged_and_the_others_still_hear(caplog):
    hub = ChangeHub()
    heard: list[Changes] = []

    def broken(_changes: Changes) -> None:
        raise RuntimeError("a view fell over")

    hub.subscribe(broken)
    hub.subscribe(heard.append)
    hub.publish(Change.GOALS, 3)
    assert heard == [Changes(Change.GOALS, 3)]
    assert "a view failed to follow" in caplog.text


def test_a_listener_may_stop_while_it_hears():
    hub = ChangeHub()
    heard: list[Changes] = []
    stops: list[Callable[[], None]] = []

    def once(changes: Changes) -> None:
        heard.append(changes)
        stops[0]()

    stops.append(hub.subscribe(once))
    hub.publish(Change.CARDS)
    hub.publish(Change.CARDS)
    assert len(heard) == 1


# -- the session actions ----------------------------------------------------------------


@dataclass
class Context:
    sessions: SessionStore
    review: ReviewStore
    changes: ChangeHub = field(default_factory=ChangeHub)
    heard: list[Changes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.changes.subscribe(self.heard.append)


@pytest.fixture
def context(tmp_path):
    connection = open_database(tmp_path / "tutor.sqlite3")
    yield Context(SessionStore(connection), ReviewStore(connection))
    connection.close()


def _session(context: Context):
    return context.sessions.create_session(
        LearnerProfile("es", Level.A2, "en"),
        FREE_CONVERSATION,
        base_url="http://127.0.0.1:8080/v1",
        model="m",
        system_message="s",
    )


def test_renaming_stores_the_name_and_says_sessions_changed(context):
    session = _session(context)
    renamed = session_actions.rename_session(context, session.id, "  Mi   día ")
    assert renamed.title == "Mi día" == context.sessions.session(session.id).title
    assert context.heard == [Changes(Change.SESSIONS, session.id)]
    default = session_actions.rename_session(context, session.id, "")
    assert default.custom_title is None


def test_deleting_hides_the_session_and_restoring_brings_it_back(context):
    kept, deleted = _session(context), _session(context)
    gone = session_actions.delete_session(context, deleted.id)
    assert gone.id == deleted.id and gone.title == deleted.title
    assert [s.id for s in context.sessions.sessions()] == [kept.id]
    session_actions.restore_session(context, deleted.id)
    assert {s.id for s in context.sessions.sessions()} == {kept.id, deleted.id}
    assert context.heard == [
        Changes(Change.SESSIONS, deleted.id),
        Changes(Change.SESSIONS, deleted.id),
    ]


def test_ending_a_session_and_taking_it_up_again(context):
    session = _session(context)
    ended = session_actions.end_session(context, session.id)
    assert ended.has_ended and context.sessions.session(session.id).has_ended
    again = session_actions.end_session(context, session.id, ended=False)
    assert not again.has_ended
    assert context.heard == [Changes(Change.SESSIONS | Change.GOALS, session.id)] * 2


def test_a_saved_word_becomes_a_card_due_now_and_cards_changed(context):
    card = session_actions.save_word(context, "es", "fresa", "  strawberry ")
    assert (card.front, card.back, card.language) == ("fresa", "strawberry", "es")
    assert context.review.due_count(utc_now()) == 1
    assert context.heard == [Changes(Change.CARDS)]
    session_actions.save_word(context, "es", "fresa", "a red fruit")
    assert [c.back for c in context.review.cards()] == ["a red fruit"]


def test_a_word_without_its_meaning_is_not_saved_and_nothing_is_said(context):
    with pytest.raises(ValueError, match="needs the meaning"):
        session_actions.save_word(context, "es", "fresa", "   ")
    assert context.review.cards() == [] and context.heard == []
