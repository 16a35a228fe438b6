"""Reading a stored conversation whole: the session and its messages, each learner's
message with its check. Opening a session, its report and its exports read it this one
way, so none of them shows a message without its marks."""

from __future__ import annotations

from tutor.domain.conversation import ChatMessage
from tutor.domain.session import PracticeSession
from tutor.store.corrections import CorrectionStore
from tutor.store.sessions import SessionStore


def messages_with_checks(
    sessions: SessionStore, corrections: CorrectionStore, session_id: int
) -> list[ChatMessage]:
    """The session's messages, oldest first, each learner's message with its check."""
    return sessions.messages(session_id, corrections.for_session(session_id))


def stored_conversation(
    sessions: SessionStore, corrections: CorrectionStore, session_id: int
) -> tuple[PracticeSession, list[ChatMessage]]:
    """The session as it was made, and its messages with their checks."""
    return sessions.session(session_id), messages_with_checks(sessions, corrections, session_id)
