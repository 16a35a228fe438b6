"""NotebookStore: the mistakes notebook read from SQLite (it never writes).

An entry is a mark the coach stored on a learner's message that the learner did not
dismiss ("That was right"), in a session that is not deleted. The weekly trend divides
those mistakes by the words of the learner's checked messages in the same weeks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

from tutor.domain.corrections import Category, MarkKind
from tutor.domain.languages import language as language_info
from tutor.domain.notebook import NotebookEntry, WeekPoint, weekly_rates, words_by_week
from tutor.domain.notebook import search as search_entries
from tutor.i18n.formats import sort_key
from tutor.store.database import rows_by_name

_CATEGORIES = frozenset(c.value for c in Category)

# Marks exist only for checked corrections (begin() and fail() delete them), but the
# state is checked anyway so that a half-written row can never show up.
_ENTRIES = """
    SELECT s.target_language AS language, cm.category AS category,
           cm.original AS original, cm.corrected AS corrected,
           cm.explanation AS explanation, m.created_at AS created_at,
           s.id AS session_id, m.id AS message_id, m.text AS learner_text,
           cm.kind AS kind, cm.start AS start, cm.position AS position
    FROM correction_marks cm
    JOIN corrections c ON c.message_id = cm.message_id
    JOIN messages m ON m.id = cm.message_id
    JOIN sessions s ON s.id = m.session_id
    WHERE cm.dismissed = 0 AND c.state = 'checked' AND m.role = 'user'
      AND s.deleted_at IS NULL AND cm.kind IN ('change', 'note')
"""

# Only checked messages count as writing: a message the coach never saw (the coach
# server was down, or Tutor closed first) cannot hold a counted mistake, and counting its
# words would make that week look better than it was.
_WRITING = """
    SELECT m.created_at, m.text
    FROM messages m
    JOIN corrections c ON c.message_id = m.id
    JOIN sessions s ON s.id = m.session_id
    WHERE m.role = 'user' AND c.state = 'checked' AND s.deleted_at IS NULL
      AND s.target_language = ?
"""


class NotebookStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def entries(self, language: str | None = None, search: str = "") -> list[NotebookEntry]:
        """Mistakes, newest first; of one language if given, matching `search` if any.

        The search ignores case and the accents a learner tends to leave out (see
        tutor.domain.notebook.search_key): SQLite's LIKE folds ASCII only.
        """
        sql = _ENTRIES
        parameters: tuple[Any, ...] = ()
        if language is not None:
            sql += " AND s.target_language = ?"
            parameters = (language,)
        sql += " ORDER BY m.created_at DESC, m.id DESC, cm.position"
        found = [_entry(row) for row in rows_by_name(self._db, sql, parameters)]
        return search_entries(found, search) if search.strip() else found

    def count(self, language: str, at_most: int) -> int:
        """How many entries `language` has, counted up to `at_most`: the scan stops there,
        so "are there enough to practise?" costs little on a large notebook."""
        row = self._db.execute(
            f"SELECT COUNT(*) FROM ({_ENTRIES} AND s.target_language = ? LIMIT ?)",
            (language, at_most),
        ).fetchone()
        return int(row[0])

    def languages(self) -> list[str]:
        """Language tags that have at least one entry, by their names in the interface
        language (as its readers sort)."""
        rows = self._db.execute(f"SELECT DISTINCT language FROM ({_ENTRIES})")
        return sorted((str(language) for (language,) in rows), key=_interface_name)

    def mistake_times(self, language: str) -> list[datetime]:
        """When the message of each mistake in `language` was written (the Progress
        view's count: the same marks as entries(), without reading their text)."""
        rows = self._db.execute(
            f"SELECT created_at FROM ({_ENTRIES}) WHERE language = ?", (language,)
        )
        return [_when(created_at) for (created_at,) in rows]

    def weekly_trend(
        self,
        language: str,
        tz: tzinfo | None = None,
        *,
        mistakes: Iterable[datetime | NotebookEntry] | None = None,
    ) -> list[WeekPoint]:
        """Mistakes per 100 words by week (in `tz`, None: local time), oldest first.

        `mistakes`: the language's entries (or their times) when the caller has already
        read them with entries(language); None reads them here.
        """
        rows = self._db.execute(_WRITING, (language,))
        writing = ((_when(created_at), str(text)) for created_at, text in rows)
        if mistakes is None:
            mistakes = self.entries(language)
        return weekly_rates(mistakes, words_by_week(writing, tz), tz)


def _entry(row: sqlite3.Row) -> NotebookEntry:
    """A row of _ENTRIES."""
    category = row["category"]
    return NotebookEntry(
        language=str(row["language"]),
        category=Category(category) if category in _CATEGORIES else Category.OTHER,
        original=str(row["original"]),
        corrected=str(row["corrected"]),
        explanation=str(row["explanation"]),
        when=_when(row["created_at"]),
        session_id=int(row["session_id"]),
        message_id=int(row["message_id"]),
        learner_text=str(row["learner_text"]),
        kind=MarkKind(row["kind"]),
        start=int(row["start"]),
        position=int(row["position"]),
    )


def _when(raw: Any) -> datetime:
    when = datetime.fromisoformat(str(raw))
    # Tutor writes UTC with its offset; a time without one (an edited file) is read as UTC.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _interface_name(tag: str) -> tuple[str, str]:
    """The sort key of the language named in the interface language."""
    try:
        return sort_key(language_info(tag).interface_name)
    except ValueError:
        return sort_key(tag)
