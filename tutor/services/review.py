"""Reviewing cards: what is due, rating one, and the learner a retried sentence is
checked for. The review window shows these; it decides nothing about scheduling."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.review import Rating, ReviewCard
from tutor.services.changes import Change, ChangeHub
from tutor.store.review_cards import ReviewStore


class DueNow(NamedTuple):
    """The card to show now (None when nothing is due) and how many are due in all (`due`)."""

    card: ReviewCard | None
    due: int


class Reviewing:
    """One review sitting, over every language's cards, the longest-waiting first."""

    def __init__(self, store: ReviewStore, changes: ChangeHub) -> None:
        self._store = store
        self._changes = changes

    def due_now(self, now: datetime, count: int | None = None) -> DueNow:
        """The next card and the due count; `count` when the caller already knows it."""
        due = self._store.due_cards(now, limit=1)
        if count is None:
            count = self._store.due_count(now)
        return DueNow(due[0] if due else None, count)

    def rate(self, card: ReviewCard, rating: Rating, now: datetime) -> int:
        """Record the rating, schedule the card's next review; the cards due after it."""
        self._store.rate(card.id, rating, now)
        self._changes.publish(Change.CARDS)
        return self._store.due_count(now)

    def next_due(self) -> datetime | None:
        """When the next card comes due; None when there are no cards at all."""
        return self._store.next_due()


def retry_profile(learner: LearnerProfile | None, card_language: str) -> LearnerProfile:
    """The learner a retried sentence is checked for: as the settings know them, practising
    the card's language (which may not be the one they practise now)."""
    if learner is None:
        return LearnerProfile(card_language, Level.A2, "en")
    return LearnerProfile(card_language, learner.level, learner.native_language)
