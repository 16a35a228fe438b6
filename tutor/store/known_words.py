"""The learner's correct messages: the words they have shown they can use.

The fit meter (domain/level_fit.py) counts a word the learner used correctly as known,
whatever its frequency. "Correctly" is the coach's word: a message it checked and left
with no mark, or with every mark dismissed by the learner as wrong.
"""

from __future__ import annotations

import sqlite3


class KnownWordStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def correct_messages(self, language: str) -> list[tuple[int, str]]:
        """(message id, text) of every learner message in `language` the coach found no
        mistake in, by id."""
        rows = self._db.execute(
            """SELECT m.id, m.text FROM messages m
               JOIN sessions s ON s.id = m.session_id
               JOIN corrections c ON c.message_id = m.id
               WHERE m.role = 'user' AND s.target_language = ?
                 AND c.state = 'checked'
                 AND NOT EXISTS (SELECT 1 FROM correction_marks k
                                 WHERE k.message_id = m.id AND k.dismissed = 0)
               ORDER BY m.id""",
            (language,),
        )
        return [(int(row[0]), str(row[1])) for row in rows]
