"""The facts the learner shared about themselves (table learner_facts), and which of a
session's messages have been read for them (table memory_extractions, with each
reading's cost for the session's report, or why it failed).

Facts are the learner's, in no session: a fact keeps its origin while that session
exists (session_id is set to NULL when it is deleted). `forget_all` deletes every fact
and every reading, in one transaction.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from tutor.domain.conversation import TokenUsage, utc_now
from tutor.domain.memory import (
    ExtractionNote,
    FactChanges,
    FactKind,
    FactOrigin,
    FactSource,
    LearnerFact,
    NewFact,
)
from tutor.domain.session import session_title
from tutor.store.database import rows_by_name, transaction


class LearnerFactStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._facts: list[LearnerFact] | None = None
        """Every fact as last read: each partner request reads them all (on the GUI
        thread, between Enter and the request leaving); every write here drops it."""

    def facts(self) -> list[LearnerFact]:
        """Every fact, oldest first."""
        if self._facts is None:
            rows = rows_by_name(self._db, "SELECT * FROM learner_facts ORDER BY id").fetchall()
            self._facts = [_fact(row) for row in rows]
        return list(self._facts)

    def fact(self, fact_id: int) -> LearnerFact | None:
        row = rows_by_name(
            self._db, "SELECT * FROM learner_facts WHERE id = ?", (fact_id,)
        ).fetchone()
        return _fact(row) if row is not None else None

    def with_sessions(self) -> list[FactOrigin]:
        """Every fact with the title and date of the session it came from, newest first."""
        rows = rows_by_name(
            self._db,
            """SELECT f.*, s.custom_title, s.target_language, s.level, s.scenario_title,
                      s.created_at AS session_created
               FROM learner_facts f LEFT JOIN sessions s ON s.id = f.session_id
               ORDER BY f.updated_at DESC, f.id DESC""",
        ).fetchall()
        found: list[FactOrigin] = []
        for row in rows:
            fact = _fact(row)
            if row["session_created"] is None:
                found.append(FactOrigin(fact))
                continue
            title = session_title(
                row["custom_title"], row["target_language"], row["level"], row["scenario_title"]
            )
            found.append(FactOrigin(fact, title, datetime.fromisoformat(row["session_created"])))
        return found

    def add(
        self,
        fact: NewFact,
        *,
        source: FactSource,
        session_id: int | None = None,
    ) -> LearnerFact:
        self._facts = None
        now = utc_now().isoformat()
        cursor = self._db.execute(
            """INSERT INTO learner_facts
                   (text, kind, about_date, session_id, source, mentions, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, 1, ?, ?)""",
            (fact.text, fact.kind.value, _day(fact.about_date), session_id, source.value, now, now),
        )
        found = self.fact(int(cursor.lastrowid or 0))
        assert found is not None
        return found

    def edit(self, fact_id: int, fact: NewFact) -> LearnerFact:
        """The learner's own words for a fact: from now on it is theirs ("learner")."""
        self._facts = None
        self._db.execute(
            """UPDATE learner_facts SET text = ?, kind = ?, about_date = ?, source = ?,
                   updated_at = ? WHERE id = ?""",
            (
                fact.text,
                fact.kind.value,
                _day(fact.about_date),
                FactSource.LEARNER.value,
                utc_now().isoformat(),
                fact_id,
            ),
        )
        found = self.fact(fact_id)
        if found is None:
            raise KeyError(fact_id)
        return found

    def delete(self, fact_id: int) -> None:
        self._facts = None
        self._db.execute("DELETE FROM learner_facts WHERE id = ?", (fact_id,))

    def forget_all(self) -> int:
        """Delete every fact and every reading of a session for them; how many facts."""
        self._facts = None
        with transaction(self._db):
            count = self._db.execute("SELECT COUNT(*) FROM learner_facts").fetchone()[0]
            self._db.execute("DELETE FROM learner_facts")
            self._db.execute("DELETE FROM memory_extractions")
        return int(count)

    def keep_reading(
        self,
        changes: FactChanges,
        session_id: int,
        up_to_message_id: int,
        *,
        model: str | None,
        usage: TokenUsage | None,
    ) -> None:
        """Keep one reading's facts (new ones added, known ones mentioned or updated)
        and the reading itself, in one transaction."""
        self._facts = None
        now = utc_now().isoformat()
        with transaction(self._db):
            self.record_reading(session_id, up_to_message_id, model=model, usage=usage)
            for fact in changes.added:
                self.add(fact, source=FactSource.EXTRACTED, session_id=session_id)
            for fact_id in changes.mentioned:
                self._db.execute(
                    """UPDATE learner_facts SET mentions = mentions + 1, updated_at = ?
                       WHERE id = ?""",
                    (now, fact_id),
                )
            for fact_id, fact in changes.updated:
                self._db.execute(
                    """UPDATE learner_facts SET text = ?, kind = ?, about_date = ?,
                           session_id = ?, mentions = mentions + 1, updated_at = ?
                       WHERE id = ?""",
                    (fact.text, fact.kind.value, _day(fact.about_date), session_id, now, fact_id),
                )

    # -- readings of a session --------------------------------------------------------

    def mark_all_read(self) -> None:
        """Every session's messages until now count as read (no model, no tokens): after
        "Forget everything", or memory turned on again, what was said before is never
        read for facts."""
        self._db.execute(
            """INSERT INTO memory_extractions (session_id, up_to_message_id, created_at)
               SELECT session_id, MAX(id), ? FROM messages GROUP BY session_id""",
            (utc_now().isoformat(),),
        )

    def sessions_with_unread(self, since: datetime, before: datetime, most: int) -> list[int]:
        """Sessions changed since `since` (not deleted) with learner messages written
        before `before` and not read for facts yet, the most recently changed first."""
        rows = self._db.execute(
            """SELECT s.id FROM sessions s
               WHERE s.deleted_at IS NULL AND s.updated_at >= ?
                 AND EXISTS (
                   SELECT 1 FROM messages m
                   WHERE m.session_id = s.id AND m.role = 'user' AND m.created_at < ?
                     AND m.id > COALESCE(
                     (SELECT MAX(e.up_to_message_id) FROM memory_extractions e
                      WHERE e.session_id = s.id AND e.error IS NULL), 0))
               ORDER BY s.updated_at DESC LIMIT ?""",
            (since.isoformat(), before.isoformat(), most),
        )
        return [int(row[0]) for row in rows]

    def read_up_to(self, session_id: int) -> int:
        """The last message of the session read for facts (0: none yet). Failed
        readings do not count: their messages are read again."""
        row = self._db.execute(
            """SELECT COALESCE(MAX(up_to_message_id), 0) FROM memory_extractions
               WHERE session_id = ? AND error IS NULL""",
            (session_id,),
        ).fetchone()
        return int(row[0])

    def record_reading(
        self,
        session_id: int,
        up_to_message_id: int,
        *,
        model: str | None,
        usage: TokenUsage | None,
        error: str | None = None,
    ) -> None:
        self._db.execute(
            """INSERT INTO memory_extractions (session_id, up_to_message_id, model,
                   prompt_tokens, completion_tokens, error, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (
                session_id,
                up_to_message_id,
                model,
                usage.prompt_tokens if usage else None,
                usage.completion_tokens if usage else None,
                error,
                utc_now().isoformat(),
            ),
        )

    def tokens(self, session_id: int) -> TokenUsage:
        """What reading the session for facts cost, for its report."""
        row = self._db.execute(
            """SELECT COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0)
               FROM memory_extractions WHERE session_id = ?""",
            (session_id,),
        ).fetchone()
        return TokenUsage(int(row[0]), int(row[1]))

    def last_failure(self) -> ExtractionNote | None:
        """The latest reading, when it failed (a later one that worked clears it)."""
        row = rows_by_name(
            self._db, "SELECT * FROM memory_extractions ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None or row["error"] is None:
            return None
        return ExtractionNote(
            int(row["session_id"]), str(row["error"]), datetime.fromisoformat(row["created_at"])
        )


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _fact(row: sqlite3.Row) -> LearnerFact:
    try:
        kind = FactKind(row["kind"])
    except ValueError:
        kind = FactKind.OTHER
    about = row["about_date"]
    return LearnerFact(
        id=int(row["id"]),
        text=str(row["text"]),
        kind=kind,
        about_date=date.fromisoformat(about) if about else None,
        session_id=row["session_id"],
        source=FactSource(row["source"]),
        mentions=int(row["mentions"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )
