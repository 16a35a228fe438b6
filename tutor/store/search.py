"""Search across every session, as the learner types.

The index is SQLite FTS5 with the trigram tokenizer (schema step 4), so a search finds any
run of three or more characters, in Japanese or Chinese without spaces as in English.
Shorter queries (two kanji are a word) scan the newest 30,000 messages with LIKE.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from tutor.domain.conversation import Role
from tutor.domain.session import session_title
from tutor.store.database import rows_by_name

MAX_QUERY_CHARS = 200
SHORT_QUERY_REACH = 30_000
"""Messages (the newest) a one- or two-character query looks through: a scan of all
100,000 in the benchmark, with no hit, took 67 ms."""
SNIPPET_CHARS = 70
"""Characters of context shown on each side of the first hit."""


@dataclass(frozen=True)
class SearchHit:
    session_id: int
    message_id: int
    role: Role
    created_at: datetime
    session_title: str
    target_language: str
    snippet: tuple[tuple[str, bool], ...]
    """The text around the hit as (piece, is_match) pairs, for highlighting."""


class MessageSearch:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Messages that contain `query` (any case), newest first."""
        query = " ".join(query.split())[:MAX_QUERY_CHARS]
        if not query:
            return []
        if len(query) >= 3:
            # A phrase of the whole query: trigram matching makes it a substring search.
            found = (
                "SELECT rowid AS id FROM message_search WHERE message_search MATCH ?"
                " ORDER BY rowid DESC LIMIT ?"
            )
            argument = '"' + query.replace('"', '""') + '"'
        else:
            # The trigram index cannot help under three characters: scan the newest
            # messages, from the newest, stopping at enough hits.
            found = (
                "SELECT id FROM messages WHERE text LIKE ? ESCAPE '\\'"
                f" AND id > (SELECT COALESCE(MAX(id), 0) FROM messages) - {SHORT_QUERY_REACH}"
                " ORDER BY id DESC LIMIT ?"
            )
            argument = f"%{_like(query)}%"
        rows = rows_by_name(
            self._db,
            f"""SELECT m.id AS message_id, m.session_id AS session_id, m.role AS role,
                       m.created_at AS created_at, m.text AS text,
                       s.custom_title AS custom_title, s.target_language AS target_language,
                       s.level AS level, s.scenario_title AS scenario_title
                FROM ({found}) AS found
                JOIN messages m ON m.id = found.id
                JOIN sessions s ON s.id = m.session_id
                WHERE s.deleted_at IS NULL
                ORDER BY m.id DESC""",
            (argument, limit * 2),  # room for hits in deleted sessions
        ).fetchall()
        return [_hit(row, query) for row in rows[:limit]]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hit(row: sqlite3.Row, query: str) -> SearchHit:
    custom, language = row["custom_title"], str(row["target_language"])
    title = session_title(
        str(custom) if custom else None, language, str(row["level"]), str(row["scenario_title"])
    )
    return SearchHit(
        session_id=int(row["session_id"]),
        message_id=int(row["message_id"]),
        role=Role(str(row["role"])),
        created_at=datetime.fromisoformat(str(row["created_at"])),
        session_title=title,
        target_language=language,
        snippet=snippet(str(row["text"]), query),
    )


def snippet(text: str, query: str) -> tuple[tuple[str, bool], ...]:
    """The text around the first match of `query`, split into plain and matching pieces."""
    text = " ".join(text.split())
    folded, needle = text.casefold(), query.casefold()
    first = folded.find(needle)
    if first < 0 or len(folded) != len(text):
        # Case folding changed the length (ß → ss): show the start, unhighlighted.
        return (
            (text[: 2 * SNIPPET_CHARS] + ("…" if len(text) > 2 * SNIPPET_CHARS else ""), False),
        )
    start = max(0, first - SNIPPET_CHARS)
    end = min(len(text), first + len(needle) + SNIPPET_CHARS)
    pieces: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    at = start
    while True:
        found = folded.find(needle, at, end)
        if found < 0 or found + len(needle) > end:
            break
        if found > at:
            pieces.append((text[at:found], False))
        pieces.append((text[found : found + len(needle)], True))
        at = found + len(needle)
    if at < end:
        pieces.append((text[at:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return tuple(pieces)
