"""The coach's corrections in SQLite: one row per learner message, with its marks.

Marks are stored as computed when the answer arrived, so a past session shows what
the learner saw then, whatever later versions of the diff would make of it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict

from tutor.domain.conversation import ChatMessage, TokenUsage, utc_now
from tutor.domain.corrections import (
    Category,
    CoachPath,
    CoachVerdict,
    Correction,
    CorrectionState,
    Mark,
    MarkKind,
    TargetUse,
)
from tutor.i18n.translate import N_, _
from tutor.store.database import rows_by_name, transaction

# Lookups by value: calling an Enum costs microseconds, and a session has thousands of rows.
_CATEGORIES = {c.value: c for c in Category}
_STATES = {s.value: s for s in CorrectionState}
_PATHS = {p.value: p for p in CoachPath}
_KINDS = {k.value: k for k in MarkKind}
INTERRUPTED = N_("Tutor closed before this message was checked.")
"""Stored as the check's error, in the interface language of the start that found it."""

_COLUMNS = "message_id, state, corrected_text, natural_text, model, path, error"
_MARK_COLUMNS = (
    "message_id, position, start, original, corrected, kind, category, explanation, dismissed"
)


class CorrectionStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One transaction on the connection every store shares: the writes of any
        store made inside it are stored together or not at all (tutor/services/coaching.py
        applies a check so)."""
        return transaction(self._db)

    def begin(self, message_id: int, model: str | None) -> Correction:
        """Record that the check started, so a crash leaves a visible trace."""
        with transaction(self._db):
            self._db.execute("DELETE FROM correction_marks WHERE message_id = ?", (message_id,))
            self._db.execute(
                """INSERT OR REPLACE INTO corrections (message_id, state, model, updated_at)
                   VALUES (?, 'checking', ?, ?)""",
                (message_id, model, utc_now().isoformat()),
            )
        return Correction(message_id, CorrectionState.CHECKING, model=model)

    def save(
        self,
        message_id: int,
        verdict: CoachVerdict,
        marks: tuple[Mark, ...],
        *,
        model: str,
        path: CoachPath,
        usage: TokenUsage | None,
    ) -> Correction:
        items = json.dumps([asdict(item) for item in verdict.items], ensure_ascii=False)
        with transaction(self._db):
            self._db.execute("DELETE FROM correction_marks WHERE message_id = ?", (message_id,))
            self._db.execute(
                """INSERT OR REPLACE INTO corrections (message_id, state, corrected_text,
                       natural_text, model, path, error, items_json, prompt_tokens,
                       completion_tokens, updated_at)
                   VALUES (?, 'checked', ?, ?, ?, ?, NULL, ?, ?, ?, ?)""",
                (
                    message_id,
                    verdict.corrected,
                    verdict.natural,
                    model,
                    path.value,
                    items,
                    usage.prompt_tokens if usage else None,
                    usage.completion_tokens if usage else None,
                    utc_now().isoformat(),
                ),
            )
            self._db.executemany(
                f"INSERT INTO correction_marks ({_MARK_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        message_id,
                        position,
                        mark.start,
                        mark.original,
                        mark.corrected,
                        mark.kind.value,
                        mark.category.value,
                        mark.explanation,
                        int(mark.dismissed),
                    )
                    for position, mark in enumerate(marks)
                ],
            )
        return Correction(
            message_id,
            CorrectionState.CHECKED,
            verdict.corrected,
            verdict.natural,
            marks,
            model,
            path,
        )

    def save_target_uses(self, session_id: int, message_id: int, uses: Iterable[TargetUse]) -> None:
        """The practice targets a checked message used; a message checked again keeps
        only its last answer's uses."""
        with transaction(self._db):
            self._db.execute("DELETE FROM target_uses WHERE message_id = ?", (message_id,))
            self._db.executemany(
                "INSERT INTO target_uses (session_id, message_id, target, correct)"
                " VALUES (?, ?, ?, ?)",
                [(session_id, message_id, use.target, int(use.correct)) for use in uses],
            )

    def fail(self, message_id: int, error: str, model: str | None) -> Correction:
        """A failed check keeps nothing of an earlier answer: no marks, no target uses."""
        with transaction(self._db):
            self._db.execute("DELETE FROM correction_marks WHERE message_id = ?", (message_id,))
            self._db.execute("DELETE FROM target_uses WHERE message_id = ?", (message_id,))
            self._db.execute(
                """INSERT OR REPLACE INTO corrections (message_id, state, model, error, updated_at)
                   VALUES (?, 'failed', ?, ?, ?)""",
                (message_id, model, error, utc_now().isoformat()),
            )
        return Correction(message_id, CorrectionState.FAILED, model=model, error=error)

    def set_dismissed(self, message_id: int, position: int, dismissed: bool) -> None:
        self._db.execute(
            "UPDATE correction_marks SET dismissed = ? WHERE message_id = ? AND position = ?",
            (int(dismissed), message_id, position),
        )

    def correction(self, message_id: int) -> Correction | None:
        return self._load("message_id = ?", message_id).get(message_id)

    def for_session(self, session_id: int) -> dict[int, Correction]:
        """Every correction of the session's messages, by message id."""
        return self._load(
            "message_id IN (SELECT id FROM messages WHERE session_id = ?)", session_id
        )

    def attach(self, messages: Iterable[ChatMessage]) -> list[ChatMessage]:
        """The messages, each with its correction (if it has one)."""
        messages = list(messages)
        if not messages:
            return []
        found = self.for_session(messages[0].session_id)
        return [m.with_changes(correction=found[m.id]) if m.id in found else m for m in messages]

    def mark_interrupted_checks(self) -> int:
        """Checks still running were cut by a crash or a kill: say so. Returns how many."""
        cursor = self._db.execute(
            "UPDATE corrections SET state = 'failed', error = ? WHERE state = 'checking'",
            (_(INTERRUPTED),),
        )
        return cursor.rowcount

    def coach_path(self, base_url: str, model: str) -> CoachPath | None:
        row = self._db.execute(
            "SELECT path FROM coach_paths WHERE base_url = ? AND model = ?", (base_url, model)
        ).fetchone()
        return CoachPath(row[0]) if row is not None else None

    def remember_coach_path(self, base_url: str, model: str, path: CoachPath) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO coach_paths (base_url, model, path) VALUES (?, ?, ?)",
            (base_url, model, path.value),
        )

    def _load(self, where: str, key: int) -> dict[int, Correction]:
        marks: dict[int, list[Mark]] = {}
        for mark_row in rows_by_name(
            self._db,
            f"SELECT {_MARK_COLUMNS} FROM correction_marks WHERE {where}"
            " ORDER BY message_id, position",
            (key,),
        ):
            marks.setdefault(int(mark_row["message_id"]), []).append(_mark(mark_row))
        rows = rows_by_name(self._db, f"SELECT {_COLUMNS} FROM corrections WHERE {where}", (key,))
        found: dict[int, Correction] = {}
        for row in rows:
            message_id = int(row["message_id"])
            found[message_id] = _correction(row, message_id, marks.get(message_id, []))
        return found


def _correction(row: sqlite3.Row, message_id: int, marks: list[Mark]) -> Correction:
    """A row of _COLUMNS with its marks."""
    model, path, error = row["model"], row["path"], row["error"]
    return Correction(
        message_id=message_id,
        state=_STATES[row["state"]],
        corrected_text=str(row["corrected_text"]),
        natural_text=str(row["natural_text"]),
        marks=tuple(marks),
        model=None if model is None else str(model),
        path=None if path is None else _PATHS[path],
        error=None if error is None else str(error),
    )


def _mark(row: sqlite3.Row) -> Mark:
    """A row of _MARK_COLUMNS."""
    return Mark(
        start=int(row["start"]),
        original=str(row["original"]),
        corrected=str(row["corrected"]),
        kind=_KINDS[row["kind"]],
        category=_CATEGORIES.get(row["category"], Category.OTHER),
        explanation=str(row["explanation"]),
        dismissed=bool(row["dismissed"]),
    )
