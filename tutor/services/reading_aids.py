"""Reading aids (pinyin, furigana, romanization) shown for a session, or not.

The choice is the session's, kept with it (`sessions.reading_aids`), so a session opens
again as the learner left it; a new session's default is decided when it is made
(services/turns.py, with domain/reading_aids.py: shown_by_default). The readings
themselves are computed by the interface from domain/reading_aids.py, never stored.
"""

from __future__ import annotations

from typing import Protocol

from tutor.domain.session import PracticeSession
from tutor.services.changes import Change, ChangeHub
from tutor.store.sessions import SessionStore


class ReadingAidsContext(Protocol):
    @property
    def sessions(self) -> SessionStore: ...
    @property
    def changes(self) -> ChangeHub: ...


def show_reading_aids(context: ReadingAidsContext, session_id: int, shown: bool) -> PracticeSession:
    """Keep the choice with the session; returns the session as it is now."""
    session = context.sessions.set_reading_aids(session_id, shown)
    context.changes.publish(Change.SESSIONS, session_id)
    return session
