"""ProgressStore: what the Progress view counts, read from SQLite (it never writes).

Each query reads one language's sessions that are not deleted, in as few passes as the
figures allow: every message's time (the partner's text is not read), the learner's
text and whether the coach checked it, the times of the notebook's mistakes, the level
fit kept in each session report, and the FSRS state of each review card. Turning them
into figures is the domain's (tutor/domain/progress.py), on a pool thread: counting
words in 100,000 messages is too slow for the GUI thread; reading them is not.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tutor.domain.progress import ReportFit, SessionMessage
from tutor.store.notebook import NotebookStore

_MESSAGES = """
    SELECT m.session_id, m.created_at, m.role = 'user',
           CASE WHEN m.role = 'user' THEN m.text ELSE '' END,
           COALESCE(c.state = 'checked', 0)
    FROM sessions s
    JOIN messages m ON m.session_id = s.id
    LEFT JOIN corrections c ON c.message_id = m.id
    WHERE s.target_language = ? AND s.deleted_at IS NULL
"""

_FITS = """
    SELECT s.created_at, r.figures
    FROM session_reports r JOIN sessions s ON s.id = r.session_id
    WHERE s.target_language = ? AND s.deleted_at IS NULL
"""

# The state inside the FSRS JSON (tutor/domain/review.py); a card whose state cannot be
# read is simply not learnt.
_CARD_STATES = """
    SELECT COALESCE(json_extract(fsrs, '$.state'), 0) FROM review_cards WHERE language = ?
"""

# As tutor/store/known_words.py reads them (checked, no mark left standing), but of
# sessions that are not deleted: a deleted session counts for nothing here.
_CORRECT = """
    SELECT m.text FROM sessions s
    JOIN messages m ON m.session_id = s.id
    JOIN corrections c ON c.message_id = m.id
    WHERE s.target_language = ? AND s.deleted_at IS NULL AND m.role = 'user'
      AND c.state = 'checked'
      AND NOT EXISTS (SELECT 1 FROM correction_marks k
                      WHERE k.message_id = m.id AND k.dismissed = 0)
"""

_LANGUAGES = """
    SELECT DISTINCT s.target_language FROM sessions s
    WHERE s.deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND m.role = 'user')
"""


@dataclass(frozen=True)
class ProgressRows:
    """One language's stored facts, ready for tutor.domain.progress.progress()."""

    language: str
    messages: tuple[SessionMessage, ...]
    mistakes: tuple[datetime, ...]
    fits: tuple[ReportFit, ...]
    card_states: tuple[int, ...]
    correct_texts: tuple[str, ...]
    """The learner's messages the coach found no mistake in."""


class ProgressStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._notebook = NotebookStore(connection)

    def languages(self) -> list[str]:
        """Language tags the learner has written at least one message in (unsorted)."""
        return [str(tag) for (tag,) in self._db.execute(_LANGUAGES)]

    def rows(self, language: str) -> ProgressRows:
        messages = tuple(
            SessionMessage(int(session), _when(created), bool(learner), str(text), bool(checked))
            for session, created, learner, text, checked in self._db.execute(_MESSAGES, (language,))
        )
        fits = tuple(
            fit
            for created, figures in self._db.execute(_FITS, (language,))
            if (fit := _fit(_when(created), figures)) is not None
        )
        states = tuple(_state(state) for (state,) in self._db.execute(_CARD_STATES, (language,)))
        return ProgressRows(
            language=language,
            messages=messages,
            mistakes=tuple(self._notebook.mistake_times(language)),
            fits=fits,
            card_states=states,
            correct_texts=tuple(str(text) for (text,) in self._db.execute(_CORRECT, (language,))),
        )


def _fit(when: datetime, figures: Any) -> ReportFit | None:
    """The fit in a report's figures (tutor/store/reports.py); reports kept before the
    fit meter, or unreadable ones, have none."""
    try:
        data = json.loads(figures)
        judged = int(data.get("fit_judged", 0))
        share = data.get("fit_mean_share")
        too_hard = int(data.get("fit_too_hard", 0))
    except (TypeError, ValueError, AttributeError):
        return None
    if not judged or not isinstance(share, int | float):
        return None
    return ReportFit(when, judged, float(share), too_hard)


def _state(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _when(raw: Any) -> datetime:
    when = datetime.fromisoformat(str(raw))
    # Tutor writes UTC with its offset; a time without one (an edited file) is read as UTC.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
