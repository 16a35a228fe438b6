"""Review cards in SQLite (`review_cards`, `review_log`): made, scheduled, rated, listed.

Times are stored as UTC ISO text with microseconds always written, so that comparing
the text (`due <= ?`, and the index on `due`) compares the times.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from tutor.domain.corrections import Correction
from tutor.domain.review import (
    NewCard,
    Rating,
    Review,
    ReviewCard,
    cards_for,
    new_schedule_state,
    rate,
    word_card,
)
from tutor.store.database import rows_by_name, transaction

_COLUMNS = "id, language, front, back, explanation, category, due, message_id, mark_position, fsrs"


class ReviewStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def add_cards_for_message(
        self,
        message_id: int,
        message_text: str,
        correction: Correction,
        language: str,
        now: datetime | None = None,
    ) -> int:
        """Make the message's card, if its correction calls for one; returns how many
        cards are new.

        A message checked again keeps its card and its schedule; only what the card
        says is brought up to date. A correction whose marks were all dismissed later
        leaves the card alone: the learner may delete it.
        """
        made = 0
        with transaction(self._db):
            for card in cards_for(message_text, correction, language):
                made += self._upsert(card, now)
        return made

    def add_word(
        self, language: str, word: str, meaning: str, now: datetime | None = None
    ) -> ReviewCard:
        """A card for a saved word; saving the same word again updates its meaning."""
        return self.add_vocabulary(word_card(language, word, meaning), now)

    def add_vocabulary(self, card: NewCard, now: datetime | None = None) -> ReviewCard:
        """A card for a looked-up or saved word (tutor/domain/review.py vocabulary_card,
        word_card); the same front again updates what the card says, not its schedule."""
        with transaction(self._db):
            row = self._db.execute(
                "SELECT id FROM review_cards"
                " WHERE mark_position IS NULL AND language = ? AND front = ?",
                (card.language, card.front),
            ).fetchone()
            if row is None:
                card_id = self._insert(card, now)
            else:
                card_id = int(row[0])
                self._db.execute(
                    "UPDATE review_cards SET back = ?, explanation = ?, category = ? WHERE id = ?",
                    (card.back, card.explanation, card.category, card_id),
                )
        return self.card(card_id)

    def card(self, card_id: int) -> ReviewCard:
        row = rows_by_name(
            self._db, f"SELECT {_COLUMNS} FROM review_cards WHERE id = ?", (card_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no review card {card_id}")
        return _card(row)

    def due_cards(
        self, now: datetime, language: str | None = None, limit: int = 50
    ) -> list[ReviewCard]:
        """Cards due at `now`, the longest waiting first."""
        where, values = _due_filter(now, language)
        rows = rows_by_name(
            self._db,
            f"SELECT {_COLUMNS} FROM review_cards WHERE {where} ORDER BY due, id LIMIT ?",
            (*values, limit),
        )
        return [_card(row) for row in rows]

    def due_count(self, now: datetime, language: str | None = None) -> int:
        where, values = _due_filter(now, language)
        row = self._db.execute(f"SELECT count(*) FROM review_cards WHERE {where}", values)
        return int(row.fetchone()[0])

    def next_due(self, language: str | None = None) -> datetime | None:
        """When the next card comes due (it may already be due); None without cards."""
        if language is None:
            row = self._db.execute("SELECT min(due) FROM review_cards").fetchone()
        else:
            row = self._db.execute(
                "SELECT min(due) FROM review_cards WHERE language = ?", (language,)
            ).fetchone()
        return None if row[0] is None else datetime.fromisoformat(row[0])

    def rate(self, card_id: int, rating: int, now: datetime) -> ReviewCard:
        """Record a review (1 again … 4 easy) and schedule the card's next one."""
        card = self.card(card_id)
        state, due, log = rate(card.schedule, rating, now)
        with transaction(self._db):
            self._db.execute(
                "UPDATE review_cards SET fsrs = ?, due = ? WHERE id = ?",
                (state, _stamp(due), card_id),
            )
            self._db.execute(
                "INSERT INTO review_log (card_id, rating, reviewed_at, log) VALUES (?, ?, ?, ?)",
                (card_id, rating, _stamp(now), log),
            )
        return self.card(card_id)

    def cards(self) -> list[ReviewCard]:
        """Every card, oldest first (for the Anki export)."""
        rows = rows_by_name(self._db, f"SELECT {_COLUMNS} FROM review_cards ORDER BY id")
        return [_card(row) for row in rows]

    def reviews(self, card_id: int | None = None) -> list[Review]:
        """Every rating (of one card, or of all), in the order they were given."""
        where, values = ("card_id = ?", (card_id,)) if card_id is not None else ("1", ())
        rows = self._db.execute(
            f"SELECT card_id, rating, reviewed_at FROM review_log WHERE {where} ORDER BY id",
            values,
        )
        return [Review(int(r[0]), Rating(int(r[1])), datetime.fromisoformat(r[2])) for r in rows]

    def delete(self, card_id: int) -> None:
        """Delete a card and its reviews (the log goes with it: ON DELETE CASCADE)."""
        self._db.execute("DELETE FROM review_cards WHERE id = ?", (card_id,))

    def _upsert(self, card: NewCard, now: datetime | None) -> int:
        """1 if the card is new, 0 if it was there (and is now up to date)."""
        row = self._db.execute(
            "SELECT id FROM review_cards WHERE message_id = ? AND mark_position = ?",
            (card.message_id, card.mark_position),
        ).fetchone()
        if row is None:
            self._insert(card, now)
            return 1
        self._db.execute(
            "UPDATE review_cards SET front = ?, back = ?, explanation = ?, category = ?"
            " WHERE id = ?",
            (card.front, card.back, card.explanation, card.category, int(row[0])),
        )
        return 0

    def _insert(self, card: NewCard, now: datetime | None) -> int:
        moment = now or datetime.now(UTC)
        cursor = self._db.execute(
            """INSERT INTO review_cards (message_id, mark_position, language, front, back,
                   explanation, category, fsrs, due, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                card.message_id,
                card.mark_position,
                card.language,
                card.front,
                card.back,
                card.explanation,
                card.category,
                new_schedule_state(moment),
                _stamp(moment),
                _stamp(moment),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def _due_filter(now: datetime, language: str | None) -> tuple[str, tuple[Any, ...]]:
    if language is None:
        return "due <= ?", (_stamp(now),)
    return "due <= ? AND language = ?", (_stamp(now), language)


def _stamp(moment: datetime) -> str:
    """Fixed-width UTC text: isoformat() drops the microseconds when they are 0, and
    "12:00:00+00:00" vs "12:00:00.5+00:00" must still sort as times do."""
    if moment.tzinfo is None:
        raise ValueError("Review times must be timezone-aware.")  # i18n: ignore (a bug)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _card(row: sqlite3.Row) -> ReviewCard:
    """A row of _COLUMNS."""
    category, message_id, position = row["category"], row["message_id"], row["mark_position"]
    return ReviewCard(
        id=int(row["id"]),
        language=str(row["language"]),
        front=str(row["front"]),
        back=str(row["back"]),
        explanation=str(row["explanation"]),
        category=None if category is None else str(category),
        due=datetime.fromisoformat(row["due"]),
        message_id=None if message_id is None else int(message_id),
        mark_position=None if position is None else int(position),
        schedule=str(row["fsrs"]),
    )
