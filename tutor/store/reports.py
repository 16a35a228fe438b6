"""Session reports in SQLite, kept with the session: the figures as computed when the
session ended, and the model's summary (or why there is none)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from tutor.domain.conversation import TokenUsage, utc_now
from tutor.domain.practice_targets import PracticeTarget
from tutor.domain.report import (
    Cost,
    Pattern,
    SessionFigures,
    SessionSummary,
    TargetCount,
    words_of,
)
from tutor.store.database import rows_by_name


@dataclass(frozen=True)
class SessionReport:
    session_id: int
    figures: SessionFigures
    summary: SessionSummary | None
    summary_error: str | None
    created_at: datetime


class ReportStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def save(
        self,
        session_id: int,
        figures: SessionFigures,
        summary: SessionSummary | None = None,
        summary_error: str | None = None,
        model: str | None = None,
    ) -> SessionReport:
        self._db.execute(
            """INSERT OR REPLACE INTO session_reports
                   (session_id, figures, summary, summary_error, model, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (
                session_id,
                json.dumps(asdict(figures), ensure_ascii=False),
                json.dumps(asdict(summary), ensure_ascii=False) if summary else None,
                summary_error,
                model,
                utc_now().isoformat(),
            ),
        )
        found = self.report(session_id)
        assert found is not None
        return found

    def report(self, session_id: int) -> SessionReport | None:
        row = rows_by_name(
            self._db,
            "SELECT figures, summary, summary_error, created_at FROM session_reports"
            " WHERE session_id = ?",
            (session_id,),
        ).fetchone()
        if row is None:
            return None
        return SessionReport(
            session_id,
            _figures(json.loads(row["figures"])),
            _summary(json.loads(row["summary"])) if row["summary"] else None,
            row["summary_error"],
            datetime.fromisoformat(row["created_at"]),
        )

    def known_words(self, language: str, before_session: int) -> set[str]:
        """Words the learner wrote in this language in sessions before this one."""
        words: set[str] = set()
        for (text,) in self._db.execute(
            """SELECT m.text FROM messages m JOIN sessions s ON s.id = m.session_id
               WHERE m.role = 'user' AND s.target_language = ? AND s.id < ?""",
            (language, before_session),
        ):
            words.update(words_of(str(text)))
        return words

    def coach_tokens(self, session_id: int) -> TokenUsage:
        row = self._db.execute(
            """SELECT COALESCE(SUM(c.prompt_tokens), 0), COALESCE(SUM(c.completion_tokens), 0)
               FROM corrections c JOIN messages m ON m.id = c.message_id
               WHERE m.session_id = ?""",
            (session_id,),
        ).fetchone()
        return TokenUsage(int(row[0]), int(row[1]))

    def target_counts(
        self, session_id: int, targets: tuple[PracticeTarget, ...]
    ) -> tuple[TargetCount, ...]:
        """Per practice target of the session, the uses the coach found right and wrong."""
        if not targets:
            return ()
        counts = {
            (int(target), bool(correct)): int(uses)
            for target, correct, uses in self._db.execute(
                """SELECT target, correct, COUNT(*) FROM target_uses
                   WHERE session_id = ? GROUP BY target, correct""",
                (session_id,),
            )
        }
        return tuple(
            TargetCount(
                t.category.value,
                t.description,
                counts.get((index, True), 0),
                counts.get((index, False), 0),
                t.forms,
            )
            for index, t in enumerate(targets)
        )


_NO_TOKENS = {"prompt_tokens": 0, "completion_tokens": 0}


def _figures(data: dict[str, Any]) -> SessionFigures:
    new_words = data.get("new_words")
    return SessionFigures(
        turns=int(data["turns"]),
        words_written=int(data["words_written"]),
        mistakes_by_category={str(k): int(v) for k, v in data["mistakes_by_category"].items()},
        clean_messages=int(data["clean_messages"]),
        checked_messages=int(data["checked_messages"]),
        new_words=tuple(new_words) if new_words is not None else None,
        duration_minutes=float(data["duration_minutes"]),
        partner_tokens=TokenUsage(**data["partner_tokens"]),
        coach_tokens=TokenUsage(**data["coach_tokens"]),
        cost=Cost(**data["cost"]),
        # Reports kept before the fit meter have none of its figures.
        fit_judged=int(data.get("fit_judged", 0)),
        fit_mean_share=_share(data.get("fit_mean_share")),
        fit_too_hard=int(data.get("fit_too_hard", 0)),
        # Reports made before help requests were counted have no help tokens.
        help_tokens=TokenUsage(**data.get("help_tokens", _NO_TOKENS)),
        # Reports made before memory have no reading for facts.
        memory_tokens=TokenUsage(**data.get("memory_tokens", _NO_TOKENS)),
        # Only practice sessions have targets; reports made before them have none.
        target_counts=tuple(
            TargetCount(**(t | {"forms": tuple(t.get("forms", ()))}))
            for t in data.get("target_counts", ())
        ),
    )


def _share(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _summary(data: dict[str, Any]) -> SessionSummary:
    return SessionSummary(
        str(data.get("went_well", "")),
        tuple(
            Pattern(str(p.get("text", "")), tuple(int(i) for i in p.get("message_ids", ())))
            for p in data.get("patterns", ())
        ),
    )
