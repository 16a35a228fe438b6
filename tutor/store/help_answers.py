"""Answers to help requests, kept with the session: a translation, a look-up, "how do I
say…", hints or a simpler wording is asked of the model once, then read from here.

The answer is the help feature's own JSON text (its parsing and meaning belong to the
feature); this store keeps it, finds it again by what was asked, and counts its tokens
for the session's report.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from tutor.domain.conversation import TokenUsage, utc_now
from tutor.store.database import rows_by_name


@dataclass(frozen=True)
class HelpAnswer:
    session_id: int
    message_id: int | None
    """The message the help is about; None for help not tied to one (how do I say…)."""
    kind: str
    """The feature that asked: "translation", "lookup", "say", "hint", "simpler"…"""
    question: str
    """What was asked beyond the message (the word looked up, the learner's meaning);
    empty when the message is the whole question."""
    answer: str
    model: str | None
    usage: TokenUsage | None
    created_at: datetime


class HelpAnswerStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def answer(
        self, session_id: int, message_id: int | None, kind: str, question: str = ""
    ) -> HelpAnswer | None:
        row = rows_by_name(
            self._db,
            """SELECT * FROM help_answers WHERE session_id = ? AND COALESCE(message_id, 0) = ?
               AND kind = ? AND question = ?""",
            (session_id, message_id or 0, kind, question),
        ).fetchone()
        return _answer(row) if row is not None else None

    def save(
        self,
        session_id: int,
        message_id: int | None,
        kind: str,
        answer: str,
        *,
        question: str = "",
        model: str | None = None,
        usage: TokenUsage | None = None,
    ) -> HelpAnswer:
        """Keep an answer; asking the same again replaces it (a retried request)."""
        self._db.execute(
            """INSERT OR REPLACE INTO help_answers (session_id, message_id, kind, question,
                   answer, model, prompt_tokens, completion_tokens, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                session_id,
                message_id,
                kind,
                question,
                answer,
                model,
                usage.prompt_tokens if usage else None,
                usage.completion_tokens if usage else None,
                utc_now().isoformat(),
            ),
        )
        found = self.answer(session_id, message_id, kind, question)
        assert found is not None
        return found

    def answers(self, session_id: int, kind: str) -> list[HelpAnswer]:
        """A session's answers of one kind, oldest first (to draw them again on opening)."""
        rows = rows_by_name(
            self._db,
            "SELECT * FROM help_answers WHERE session_id = ? AND kind = ? ORDER BY id",
            (session_id, kind),
        ).fetchall()
        return [_answer(row) for row in rows]

    def tokens(self, session_id: int) -> TokenUsage:
        """What every help request of the session cost, for its report."""
        row = self._db.execute(
            """SELECT COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0)
               FROM help_answers WHERE session_id = ?""",
            (session_id,),
        ).fetchone()
        return TokenUsage(int(row[0]), int(row[1]))


def _answer(row: sqlite3.Row) -> HelpAnswer:
    prompt, completion = row["prompt_tokens"], row["completion_tokens"]
    return HelpAnswer(
        session_id=int(row["session_id"]),
        message_id=row["message_id"],
        kind=str(row["kind"]),
        question=str(row["question"]),
        answer=str(row["answer"]),
        model=row["model"],
        usage=TokenUsage(int(prompt), int(completion)) if prompt is not None else None,
        created_at=datetime.fromisoformat(row["created_at"]),
    )
