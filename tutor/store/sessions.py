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
from tutor.domain.practice_targets import targets_from_json, targets_json
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import Scenario
from tutor.domain.session import PracticeSession
from tutor.store.database import rows_by_name, transaction

_SESSION_COLUMNS = """
    s.id AS id, s.created_at AS created_at, s.updated_at AS updated_at,
    s.target_language AS target_language, s.level AS level,
    s.native_language AS native_language, s.scenario_id AS scenario_id,
    s.scenario_title AS scenario_title, s.base_url AS base_url, s.model AS model,
    s.system_message AS system_message,
    (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count,
    (SELECT substr(m.text, 1, 120) FROM messages m
        WHERE m.session_id = s.id AND m.role = 'user' ORDER BY m.id LIMIT 1) AS preview,
    s.scenario_version AS scenario_version, s.scenario_goals AS scenario_goals,
    s.ended_at AS ended_at, s.custom_title AS custom_title, s.reading_aids AS reading_aids,
    s.practice_targets AS practice_targets,
    (SELECT COUNT(*) FROM correction_marks cm
        WHERE cm.message_id BETWEEN
            (SELECT MIN(id) FROM messages WHERE session_id = s.id)
            AND (SELECT MAX(id) FROM messages WHERE session_id = s.id)
        AND cm.dismissed = 0
        AND (SELECT m.session_id FROM messages m WHERE m.id = cm.message_id) = s.id)
        AS mistake_count
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
    prompt_tokens, completion_tokens, error, spoken
"""
# Rows of these two lists are read by column name (sqlite3.Row, see rows_by_name), so the
# lists can change order or grow without the mappers below miscounting.


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
        reading_aids: bool = False,
    ) -> PracticeSession:
        now = utc_now().isoformat()
        cursor = self._db.execute(
            """INSERT INTO sessions (created_at, updated_at, target_language, level,
                   native_language, scenario_id, scenario_title, base_url, model, system_message,
                   scenario_version, scenario_goals, reading_aids, practice_targets)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
                int(reading_aids),
                targets_json(scenario.targets),
            ),
        )
        return self.session(_last_id(cursor))

    def session(self, session_id: int) -> PracticeSession:
        row = rows_by_name(
            self._db, f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE s.id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no session {session_id}")
        return _session(row)

    def sessions(
        self, limit: int = 500, *, language: str | None = None, scenario_id: str | None = None
    ) -> list[PracticeSession]:
        """Sessions not deleted, the most recently used first, optionally only those in
        one language or one scenario."""
        rows = rows_by_name(
            self._db,
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
            str(language)
            for (language,) in self._db.execute(
                "SELECT DISTINCT target_language FROM sessions WHERE deleted_at IS NULL"
                " ORDER BY target_language"
            )
        ]
        scenarios = [
            (str(scenario_id), str(title))
            for scenario_id, title in self._db.execute(
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

    def set_reading_aids(self, session_id: int, shown: bool) -> PracticeSession:
        """Show the session's reading aids (pinyin, furigana, romanization) or not."""
        self._db.execute(
            "UPDATE sessions SET reading_aids = ? WHERE id = ?", (int(shown), session_id)
        )
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

    def session_ids(self) -> set[int]:
        """The id of every session still in the file, deleted (awaiting undo) or not."""
        return {int(i) for (i,) in self._db.execute("SELECT id FROM sessions")}

    def latest_session(self) -> PracticeSession | None:
        found = self.sessions(limit=1)
        return found[0] if found else None

    def messages(
        self, session_id: int, corrections: Mapping[int, Correction] | None = None
    ) -> list[ChatMessage]:
        """The session's messages in order, each with its correction from `corrections`."""
        rows = rows_by_name(
            self._db,
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE session_id = ? ORDER BY id",
            (session_id,),
        ).fetchall()
        found = corrections or {}
        return [_message(row, found.get(row["id"])) for row in rows]

    def message(self, message_id: int) -> ChatMessage:
        row = rows_by_name(
            self._db, f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
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
        spoken: bool = False,
    ) -> ChatMessage:
        """Commit a message before anything else happens with it. With `checking_with` (the
        coach's model), the record that its check has started goes in the same
        transaction: a crash leaves both or neither. `spoken`: the learner said it (a
        transcript)."""
        now = utc_now().isoformat()
        with transaction(self._db):
            cursor = self._db.execute(
                """INSERT INTO messages (session_id, role, text, created_at, state, model, spoken)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (session_id, role.value, text, now, state.value, model, int(spoken)),
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


def _session(row: sqlite3.Row) -> PracticeSession:
    """A row of _SESSION_COLUMNS."""
    ended_at, custom_title = row["ended_at"], row["custom_title"]
    return PracticeSession(
        id=int(row["id"]),
        created_at=datetime.fromisoformat(str(row["created_at"])),
        updated_at=datetime.fromisoformat(str(row["updated_at"])),
        target_language=str(row["target_language"]),
        level=_LEVELS.get(row["level"]) or Level(row["level"]),
        native_language=str(row["native_language"]),
        scenario_id=str(row["scenario_id"]),
        scenario_title=str(row["scenario_title"]),
        base_url=str(row["base_url"]),
        model=str(row["model"]),
        system_message=str(row["system_message"]),
        message_count=int(row["message_count"]),
        preview=str(row["preview"] or ""),
        scenario_version=int(row["scenario_version"]),
        goals=_goals(row["scenario_goals"]),
        ended_at=None if ended_at is None else datetime.fromisoformat(str(ended_at)),
        custom_title=None if custom_title is None else str(custom_title),
        mistake_count=int(row["mistake_count"]),
        reading_aids=bool(row["reading_aids"]),
        practice_targets=targets_from_json(str(row["practice_targets"])),
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


def _message(row: sqlite3.Row, correction: Correction | None = None) -> ChatMessage:
    """A row of _MESSAGE_COLUMNS. Each column is read once: a long session has thousands
    of rows, and a lookup by name costs more than one by position."""
    prompt, completion = row["prompt_tokens"], row["completion_tokens"]
    model, finish_reason, error = row["model"], row["finish_reason"], row["error"]
    usage = (
        TokenUsage(int(prompt), int(completion))
        if prompt is not None and completion is not None
        else None
    )
    return ChatMessage(
        id=int(row["id"]),
        session_id=int(row["session_id"]),
        role=_ROLES[row["role"]],
        text=str(row["text"]),
        created_at=datetime.fromisoformat(str(row["created_at"])),
        state=_STATES[row["state"]],
        model=None if model is None else str(model),
        finish_reason=None if finish_reason is None else str(finish_reason),
        usage=usage,
        error=None if error is None else str(error),
        correction=correction,
        spoken=bool(row["spoken"]),
    )
