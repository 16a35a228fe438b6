"""Coach scorecards, kept per server, model, language and correction style, so the model
chooser can show how a model measured (tutor/domain/coach_score.py)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from tutor.domain.coach_score import Scorecard, TokenCounts
from tutor.store.database import rows_by_name, transaction


class CoachScoreStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def save(self, card: Scorecard) -> int:
        """Keep one run; returns its id."""
        with transaction(self._db):
            cursor = self._db.execute(
                """INSERT INTO coach_scores (base_url, model, language, corpus, style,
                       sentences, tokens, requests, failed, true_positives,
                       false_positives, false_negatives, prompt_tokens, completion_tokens,
                       seconds, complete, measured_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    card.base_url,
                    card.model,
                    card.language,
                    card.corpus,
                    card.style,
                    card.sentences,
                    card.tokens,
                    card.requests,
                    card.failed,
                    card.counts.true_positives,
                    card.counts.false_positives,
                    card.counts.false_negatives,
                    card.prompt_tokens,
                    card.completion_tokens,
                    card.seconds,
                    int(card.complete),
                    card.measured_at.isoformat(),
                ),
            )
        return int(cursor.lastrowid or 0)

    def latest(
        self, base_url: str, model: str, language: str | None = None, style: str | None = None
    ) -> Scorecard | None:
        """The newest run of this model on this server, for one language and style where
        given."""
        cards = self.for_model(base_url, model, language=language, style=style)
        return cards[0] if cards else None

    def for_model(
        self, base_url: str, model: str, *, language: str | None = None, style: str | None = None
    ) -> list[Scorecard]:
        """Every run of this model on this server, newest first."""
        sql = "SELECT * FROM coach_scores WHERE base_url = ? AND model = ?"
        parameters: list[Any] = [base_url, model]
        if language is not None:
            sql += " AND language = ?"
            parameters.append(language)
        if style is not None:
            sql += " AND style = ?"
            parameters.append(style)
        sql += " ORDER BY measured_at DESC, id DESC"  # i18n: ignore (SQL)
        return [_card(row) for row in rows_by_name(self._db, sql, tuple(parameters))]


def _card(row: sqlite3.Row) -> Scorecard:
    return Scorecard(
        base_url=str(row["base_url"]),
        model=str(row["model"]),
        language=str(row["language"]),
        corpus=str(row["corpus"]),
        style=str(row["style"]),
        sentences=int(row["sentences"]),
        tokens=int(row["tokens"]),
        requests=int(row["requests"]),
        failed=int(row["failed"]),
        counts=TokenCounts(
            int(row["true_positives"]), int(row["false_positives"]), int(row["false_negatives"])
        ),
        prompt_tokens=row["prompt_tokens"],
        completion_tokens=row["completion_tokens"],
        seconds=float(row["seconds"]),
        complete=bool(row["complete"]),
        measured_at=datetime.fromisoformat(str(row["measured_at"])),
    )
