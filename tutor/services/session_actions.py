"""What a learner does to a session as a whole, and to a word worth keeping: rename,
delete (with undo until Tutor closes), restore, end or take up again, save a word as a
review card.

Each writes through the store, then says on the change hub what it changed, so every
view showing sessions or the cards due refreshes itself; the caller only shows what
came of it (a notice, the window's title).
"""

from __future__ import annotations

from typing import Protocol

from tutor.domain.profile import LearnerProfile
from tutor.domain.review import ReviewCard
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import N_, _
from tutor.services.changes import Change, ChangeHub
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore

MEANING_NEEDED = N_("Not saved: a card needs the meaning on its back.")


class SessionContext(Protocol):
    """What the session actions need of the application."""

    @property
    def sessions(self) -> SessionStore: ...
    @property
    def review(self) -> ReviewStore: ...
    @property
    def changes(self) -> ChangeHub: ...


def next_session_profile(
    saved: LearnerProfile | None, current: PracticeSession | None
) -> LearnerProfile | None:
    """Who a new session is for: the learner as the settings know them, else as the open
    session was made; None before the welcome is done."""
    return saved or (current.profile if current else None)


def rename_session(context: SessionContext, session_id: int, title: str | None) -> PracticeSession:
    """Give the session the learner's own name; blank goes back to the default one."""
    renamed = context.sessions.rename(session_id, title)
    context.changes.publish(Change.SESSIONS, session_id)
    return renamed


def delete_session(context: SessionContext, session_id: int) -> PracticeSession:
    """Hide the session at once (removed for good on the next start, so restore_session
    undoes this until then); returns it as it was, for the notice that offers Undo."""
    session = context.sessions.session(session_id)
    context.sessions.delete_session(session_id)
    context.changes.publish(Change.SESSIONS, session_id)
    return session


def restore_session(context: SessionContext, session_id: int) -> None:
    """Undo a deletion made in this run."""
    context.sessions.restore_session(session_id)
    context.changes.publish(Change.SESSIONS, session_id)


def end_session(context: SessionContext, session_id: int, ended: bool = True) -> PracticeSession:
    """The learner ends the session (its goals met, or enough), or takes it up again."""
    session = context.sessions.end_session(session_id, ended)
    context.changes.publish(Change.SESSIONS | Change.GOALS, session_id)
    return session


def save_word(context: SessionContext, language: str, word: str, meaning: str) -> ReviewCard:
    """Keep a word or phrase as a review card, with the meaning in the learner's words;
    saving the same word again updates its meaning. ValueError (MEANING_NEEDED) when
    the meaning is blank."""
    meaning = meaning.strip()
    if not meaning:
        raise ValueError(_(MEANING_NEEDED))
    card = context.review.add_word(language, word, meaning)
    context.changes.publish(Change.CARDS)
    return card
