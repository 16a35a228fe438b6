"""Practice sessions and their messages in SQLite. The one writer is whoever holds this."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from tutor.domain.conversation import ChatMessage, MessageState, Role, TokenUsage, utc_now
from tutor.domain.corrections import Correction
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import Scenario
from tutor.domain.session import PracticeSession
from tutor.store.database import transaction

_SESSION_COLUMNS = """
    s.id, s.created_at, s.updated_at, s.target_language, s.level, s.native_language,
    s.scenario_id, s.scenario_title, s.base_url, s.model, s.system_message,
    (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id),
    (SELECT substr(m.text, 1, 120) FROM messages m
        WHERE m.session_id = s.id AND m.role = 'user' ORDER BY m.id LIMIT 1),
    s.scenario_version, s.scenario_goals, s.ended_at, s.custom_title,
    (SELECT COUNT(*) FROM correction_marks cm
        WHERE cm.message_id BETWEEN
            (SELECT MIN(id) FROM messages WHERE session_id = s.id)
            AND (SELECT MAX(id) FROM messages WHERE session_id = s.id)
        AND cm.dismissed = 0
        AND (SELECT m.session_id FROM messages m WHERE m.id = cm.message_id) = s.id)
"""
# The mistake count walks the marks in the session's range of message ids (a range of
# the marks' primary key) instead of probing the marks of every message: 8 instead of
# 19 ms for the 500 sessions the sidebar lists, out of 100,000 messages. The session_id
# test keeps marks of another session whose messages fall in that range out.

# Lookups by value: calling an Enum is a few microseconds, and a long session has
# thousands of rows.
_ROLES = {role.value: role for role in Role}
_LEVELS = {level.value: level for level in Level}
_STATES = {state.value: state for state in MessageState}

_MESSAGE_COLUMNS = """
    id, session_id, role, text, created_at, state, model, finish_reason,
    prompt_tokens, completion_tokens, error
"""


class SessionStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def create_session(
        self,
        profile: LearnerProfile,
        scenario: Scenario,
        *,
        base_url: str,
        model: str,
        system_message: str,
    ) -> PracticeSession:
        now = utc_now().isoformat()
        cursor = self._db.execute(
            """INSERT INTO sessions (created_at, updated_at, target_language, level,
                   native_language, scenario_id, scenario_title, base_url, model, system_message,
                   scenario_version, scenario_goals)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                now,
                now,
                profile.target_language,
                profile.level.value,
                profile.native_language,
                scenario.id,
                scenario.title,
                base_url,
                model,
                system_message,
                scenario.version,
                json.dumps(list(scenario.goals), ensure_ascii=False),
            ),
        )
        return self.session(_last_id(cursor))

    def session(self, session_id: int) -> PracticeSession:
        row = self._db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE s.id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no session {session_id}")
        return _session(row)

    def sessions(
        self, limit: int = 500, *, language: str | None = None, scenario_id: str | None = None
    ) -> list[PracticeSession]:
        """Sessions not deleted, the most recently used first, optionally only those in
        one language or one scenario."""
        rows = self._db.execute(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE s.deleted_at IS NULL"
            " AND (? IS NULL OR s.target_language = ?) AND (? IS NULL OR s.scenario_id = ?)"
            " ORDER BY s.updated_at DESC, s.id DESC LIMIT ?",
            (language, language, scenario_id, scenario_id, limit),
        ).fetchall()
        return [_session(row) for row in rows]

    def live_session(self, session_id: int) -> PracticeSession | None:
        """The session, or None if there is none or it was deleted.

        A deleted session waits for an undo until the next start: to anything but the
        window's undo (`tutor export`, a script) it is already gone.
        """
        row = self._db.execute(
            "SELECT count(*) FROM sessions WHERE id = ? AND deleted_at IS NULL", (session_id,)
        ).fetchone()
        return self.session(session_id) if row[0] else None

    def all_sessions(self) -> list[PracticeSession]:
        """Every session not deleted, the most recently used first (no limit)."""
        return self.sessions(limit=-1)  # LIMIT -1 is SQLite for "no limit"

    def languages_and_scenarios(self) -> tuple[list[str], list[tuple[str, str]]]:
        """The languages and the (scenario id, title) pairs past sessions used, for filters."""
        languages = [
            str(row[0])
            for row in self._db.execute(
                "SELECT DISTINCT target_language FROM sessions WHERE deleted_at IS NULL"
                " ORDER BY target_language"
            )
        ]
        scenarios = [
            (str(row[0]), str(row[1]))
            for row in self._db.execute(
                "SELECT scenario_id, MAX(scenario_title) FROM sessions WHERE deleted_at IS NULL"
                " GROUP BY scenario_id ORDER BY MAX(scenario_title)"
            )
        ]
        return languages, scenarios

    def rename(self, session_id: int, title: str | None) -> PracticeSession:
        """Give the session a name of the learner's own; None or blank goes back to the
        default (language, level and scenario)."""
        title = " ".join((title or "").split())[:120] or None
        self._db.execute("UPDATE sessions SET custom_title = ? WHERE id = ?", (title, session_id))
        return self.session(session_id)

    def delete_session(self, session_id: int) -> None:
        """Hide the session at once; it is removed for good on the next start (undo until then)."""
        self._db.execute(
            "UPDATE sessions SET deleted_at = ? WHERE id = ?", (utc_now().isoformat(), session_id)
        )

    def restore_session(self, session_id: int) -> None:
        self._db.execute("UPDATE sessions SET deleted_at = NULL WHERE id = ?", (session_id,))

    def purge_deleted(self) -> int:
        """Remove sessions deleted in an earlier run, with everything that hangs on them."""
        # Messages, their corrections, marks and search entries, and the report go with
        # the session (ON DELETE CASCADE, and the search index's delete trigger).
        with transaction(self._db):
            cursor = self._db.execute("DELETE FROM sessions WHERE deleted_at IS NOT NULL")
        return cursor.rowcount

    def latest_session(self) -> PracticeSession | None:
        found = self.sessions(limit=1)
        return found[0] if found else None

    def messages(
        self, session_id: int, corrections: Mapping[int, Correction] | None = None
    ) -> list[ChatMessage]:
        """The session's messages in order, each with its correction from `corrections`."""
        rows = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE session_id = ? ORDER BY id",
            (session_id,),
        ).fetchall()
        found = corrections or {}
        return [_message(row, found.get(row[0])) for row in rows]

    def message(self, message_id: int) -> ChatMessage:
        row = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no message {message_id}")
        return _message(row)

    def add_message(
        self,
        session_id: int,
        role: Role,
        text: str,
        *,
        state: MessageState = MessageState.COMPLETE,
        model: str | None = None,
        checking_with: str | None = None,
    ) -> ChatMessage:
        """Commit a message before anything else happens with it. With `checking_with` (the
        coach's model), the record that its check has started goes in the same
        transaction: a crash leaves both or neither."""
        now = utc_now().isoformat()
        with transaction(self._db):
            cursor = self._db.execute(
                """INSERT INTO messages (session_id, role, text, created_at, state, model)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (session_id, role.value, text, now, state.value, model),
            )
            message_id = _last_id(cursor)
            if checking_with is not None:
                self._db.execute(
                    """INSERT INTO corrections (message_id, state, model, updated_at)
                       VALUES (?, 'checking', ?, ?)""",
                    (message_id, checking_with, now),
                )
            self._db.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (now, session_id))
        return self.message(message_id)

    def save_partial_text(self, message_id: int, text: str) -> None:
        """Save a streaming reply as it grows, so a crash loses at most the newest part."""
        self._db.execute(
            "UPDATE messages SET text = ? WHERE id = ? AND state = 'streaming'", (text, message_id)
        )

    def finish_message(
        self,
        message_id: int,
        *,
        text: str,
        state: MessageState,
        finish_reason: str | None = None,
        usage: TokenUsage | None = None,
        error: str | None = None,
    ) -> ChatMessage:
        self._db.execute(
            """UPDATE messages SET text = ?, state = ?, finish_reason = ?, prompt_tokens = ?,
                   completion_tokens = ?, error = ? WHERE id = ?""",
            (
                text,
                state.value,
                finish_reason,
                usage.prompt_tokens if usage else None,
                usage.completion_tokens if usage else None,
                error,
                message_id,
            ),
        )
        return self.message(message_id)

    def delete_message(self, message_id: int) -> None:
        self._db.execute("DELETE FROM messages WHERE id = ?", (message_id,))

    def close(self) -> None:
        self._db.close()

    def end_session(self, session_id: int, ended: bool = True) -> PracticeSession:
        """The learner ended the session (or took that back)."""
        self._db.execute(
            "UPDATE sessions SET ended_at = ? WHERE id = ?",
            (utc_now().isoformat() if ended else None, session_id),
        )
        return self.session(session_id)

    def goals_met(self, session_id: int) -> dict[int, int | None]:
        """Goal index (from 0) -> the id of the learner's message that met it."""
        rows = self._db.execute(
            "SELECT goal, message_id FROM goals_met WHERE session_id = ?", (session_id,)
        )
        return {int(goal): None if message is None else int(message) for goal, message in rows}

    def mark_goal_met(self, session_id: int, goal: int, message_id: int) -> None:
        """Record the first message that met a goal; later ones do not replace it."""
        self._db.execute(
            """INSERT OR IGNORE INTO goals_met (session_id, goal, message_id, met_at)
               VALUES (?, ?, ?, ?)""",
            (session_id, goal, message_id, utc_now().isoformat()),
        )

    def mark_interrupted_replies(self) -> int:
        """Replies still 'streaming' were cut by a crash or a kill: say so. Returns how many."""
        cursor = self._db.execute(
            """UPDATE messages SET state = 'cut_off',
                   error = 'Tutor closed before this reply was complete.'
               WHERE state = 'streaming'"""
        )
        return cursor.rowcount


def _last_id(cursor: sqlite3.Cursor) -> int:
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _session(row: Any) -> PracticeSession:
    return PracticeSession(
        id=int(row[0]),
        created_at=datetime.fromisoformat(str(row[1])),
        updated_at=datetime.fromisoformat(str(row[2])),
        target_language=str(row[3]),
        level=_LEVELS.get(row[4]) or Level(row[4]),
        native_language=str(row[5]),
        scenario_id=str(row[6]),
        scenario_title=str(row[7]),
        base_url=str(row[8]),
        model=str(row[9]),
        system_message=str(row[10]),
        message_count=int(row[11]),
        preview=str(row[12] or ""),
        scenario_version=int(row[13]),
        goals=_goals(row[14]),
        ended_at=None if row[15] is None else datetime.fromisoformat(str(row[15])),
        custom_title=None if row[16] is None else str(row[16]),
        mistake_count=int(row[17]),
    )


def _goals(raw: Any) -> tuple[str, ...]:
    return _parsed_goals(str(raw))


@lru_cache(maxsize=256)
def _parsed_goals(raw: str) -> tuple[str, ...]:
    # Sessions of one scenario share the same goals: the sidebar lists 500 sessions on
    # each refresh, and parsing the same JSON again took a quarter of the time per row.
    try:
        value = json.loads(raw)
    except ValueError:
        return ()
    return tuple(str(g) for g in value) if isinstance(value, list) else ()


def _message(row: Any, correction: Correction | None = None) -> ChatMessage:
    prompt, completion = row[8], row[9]
    usage = (
        TokenUsage(int(prompt), int(completion))
        if prompt is not None and completion is not None
        else None
    )
    return ChatMessage(
        id=int(row[0]),
        session_id=int(row[1]),
        role=_ROLES[row[2]],
        text=str(row[3]),
        created_at=datetime.fromisoformat(str(row[4])),
        state=_STATES[row[5]],
        model=None if row[6] is None else str(row[6]),
        finish_reason=None if row[7] is None else str(row[7]),
        usage=usage,
        error=None if row[10] is None else str(row[10]),
        correction=correction,
    )
