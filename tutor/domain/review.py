"""Review cards: what a learner got wrong, to see again on a spaced schedule.

Cards come from corrected learner messages (front: the sentence as written; back: the
corrected sentence), from saved words, and from words looked up in the partner's
messages (front: the sentence with the word marked; back: its meaning and dictionary
form). When each card comes back is decided by
FSRS (the `fsrs` package); its state travels as JSON, so the store never needs to
know what is inside it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import cache
from typing import TYPE_CHECKING

from tutor.domain.corrections import Category, Correction, CorrectionState, MarkKind
from tutor.domain.word_help import Lookup
from tutor.domain.word_spans import LookupTarget
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext, pgettext

if TYPE_CHECKING:
    import fsrs

WHOLE_MESSAGE = 0
"""`mark_position` of a card about a whole message. Each message gets one card, whatever
its marks, so a message checked again (its marks renumbered) still maps to that card."""


# fsrs is imported at the first review, not at start-up (16 ms before the window is
# ready): the due count the window shows at start is a query, not a schedule.
@cache
def _scheduler() -> fsrs.Scheduler:
    """FSRS's default parameters: they fit the average learner, and nothing here collects
    enough reviews to fit better ones. Fuzzing stays on, so cards made on the same day
    spread out instead of coming back together forever."""
    import fsrs

    return fsrs.Scheduler()


@cache
def _preview() -> fsrs.Scheduler:
    """The buttons' previews leave fuzz out: fuzzed independently, "Hard" could read
    longer than "Good". The real rating then lands within a day or so of what the button
    said."""
    import fsrs

    return fsrs.Scheduler(enable_fuzzing=False)


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        """The rating's button, in the interface language."""
        labels = {
            Rating.AGAIN: pgettext("review rating", "Again"),
            Rating.HARD: pgettext("review rating", "Hard"),
            Rating.GOOD: pgettext("review rating", "Good"),
            Rating.EASY: pgettext("review rating", "Easy"),
        }
        return labels[self]


@dataclass(frozen=True)
class NewCard:
    """A card before it is stored: what it asks and answers, and where it came from."""

    language: str
    front: str
    back: str
    explanation: str = ""
    category: str | None = None
    message_id: int | None = None
    mark_position: int | None = None


@dataclass(frozen=True)
class ReviewCard:
    id: int
    language: str
    """BCP 47 tag of the language the card practises."""
    front: str
    """The cue: the learner's sentence as written (or a word to recall)."""
    back: str
    """The corrected sentence (or the word's meaning)."""
    explanation: str
    category: str | None
    due: datetime
    message_id: int | None = None
    """The learner's message the card came from, if it came from one."""
    mark_position: int | None = None
    schedule: str = ""
    """The FSRS state as JSON (`fsrs.Card.to_dict()`); empty for a card never stored."""

    @property
    def is_sentence(self) -> bool:
        """True for a corrected sentence, False for a saved word.

        Decided by `mark_position`, not `message_id`: deleting the message clears the
        latter but the card is still a sentence.
        """
        return self.mark_position is not None


@dataclass(frozen=True)
class Review:
    """One rating given to a card."""

    card_id: int
    rating: Rating
    reviewed_at: datetime


def cards_for(message_text: str, correction: Correction, language: str) -> list[NewCard]:
    """The card a checked learner message makes, if the coach changed anything in it.

    Notes (a fragment flagged but left as it was) and marks the learner dismissed
    ("That was right") make no card: there is nothing to practise in them.
    """
    if correction.state is not CorrectionState.CHECKED or not correction.corrected_text.strip():
        return []
    counted = [m for m in correction.marks if m.kind is MarkKind.CHANGE and not m.dismissed]
    if not counted:
        return []
    explanation = "\n".join(dict.fromkeys(m.explanation for m in counted if m.explanation))
    return [
        NewCard(
            language=language,
            front=message_text,
            back=correction.corrected_text,
            explanation=explanation,
            category=counted[0].category.value,
            message_id=correction.message_id,
            mark_position=WHOLE_MESSAGE,
        )
    ]


def word_card(language: str, word: str, meaning: str) -> NewCard:
    """A card for a word the learner saved: the word on the front, its meaning behind."""
    word, meaning = word.strip(), meaning.strip()
    if not word:
        raise ValueError(_("A word card needs a word."))
    return NewCard(language, word, meaning, category=Category.VOCABULARY.value)


HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "⟦", "⟧"
"""Around the looked-up word on a vocabulary card's front: drawn bold by the review window
and the Anki deck, and still plain to read where text is only text. Brackets no message
uses, so a sentence's own brackets or quotes are never taken for them."""


def vocabulary_card(
    language: str, target: LookupTarget, lookup: Lookup, message_id: int | None = None
) -> NewCard:
    """A card for a word looked up in a partner's message: its sentence on the front,
    the word marked in it, as the context to recall the meaning from; the meaning in
    the learner's language and the dictionary form behind, the example under them."""
    sentence = target.sentence
    front = (
        sentence[: target.start]
        + HIGHLIGHT_OPEN
        + sentence[target.start : target.end]
        + HIGHLIGHT_CLOSE
        + sentence[target.end :]
    )
    lemma = lookup.lemma.strip()
    back = lookup.meaning.strip()
    if lemma:
        back = f"{back}\n{lemma}"
    example = "\n".join(line for line in (lookup.example, lookup.example_meaning) if line.strip())
    return NewCard(
        language,
        front,
        back,
        explanation=example,
        category=Category.VOCABULARY.value,
        message_id=message_id,
    )


def highlighted(front: str) -> tuple[str, str, str] | None:
    """(before, word, after) of a vocabulary card's front; None when nothing is marked."""
    before, opened, rest = front.partition(HIGHLIGHT_OPEN)
    word, closed, after = rest.partition(HIGHLIGHT_CLOSE)
    if not opened or not closed or not word:
        return None
    return before, word, after


def new_schedule_state(now: datetime) -> str:
    """The FSRS state of a card never reviewed, due at `now`."""
    # A fixed card_id: fsrs otherwise takes the clock and sleeps 1 ms to keep ids
    # apart, and the store's own id is what identifies a card here.
    import fsrs

    return json.dumps(fsrs.Card(card_id=0, due=_utc(now)).to_dict())


def rate(state_json: str, rating: int, now: datetime) -> tuple[str, datetime, str]:
    """Review a card: (its new FSRS state as JSON, when it is due next, the review log as JSON)."""
    card, log = _scheduler().review_card(_card(state_json), _rating(rating), _utc(now))
    return json.dumps(card.to_dict()), card.due, json.dumps(log.to_dict())


def next_intervals(state_json: str, now: datetime) -> dict[Rating, timedelta]:
    """How long until the card comes back, for each rating: shown on the rating buttons.

    Computed by rating copies of the card without fuzz; a real rating may land a day
    or so either side of a long interval.
    """
    card = _card(state_json)
    moment = _utc(now)
    return {
        rating: _preview().review_card(card, _rating(rating.value), moment)[0].due - moment
        for rating in Rating
    }


def category_label(category: str | None) -> str:
    """What a sentence card is about, as its heading says it: the category's label
    ("Grammar"), the stored name if it is not one Tutor knows, else "Sentence"."""
    # Translators: the heading of a review card about a whole corrected sentence.
    sentence = pgettext("review card", "Sentence")
    try:
        return Category(category).label if category else sentence
    except ValueError:
        return category or sentence


def interval_words(interval: timedelta) -> str:
    """An interval as a button says it: "1 min", "10 min", "5 h", "3 d", "2 mo", "1.5 y"."""
    seconds = max(0.0, interval.total_seconds())
    minutes = seconds / 60
    if minutes < 60:
        count = max(1, round(minutes))
        # Translators: abbreviated units on a review button ("10 min", "5 h", "3 d").
        return ngettext("{count} min", "{count} min", count).format(count=format_number(count))
    hours = minutes / 60
    if hours < 24:
        count = round(hours)
        return ngettext("{count} h", "{count} h", count).format(count=format_number(count))
    days = hours / 24
    if days < 30:
        count = round(days)
        return ngettext("{count} d", "{count} d", count).format(count=format_number(count))
    if days < 365:
        count = round(days / 30)
        # Translators: months, abbreviated on a review button ("2 mo").
        return ngettext("{count} mo", "{count} mo", count).format(count=format_number(count))
    years = round(days / 365, 1)
    # gettext chooses a plural form for whole numbers only: a fraction takes the form of
    # the whole number above it (1.5 as 2), as "1.5 years" is plural in English.
    # Translators: years, abbreviated on a review button ("1 y", "1.5 y").
    return ngettext("{count} y", "{count} y", math.ceil(years)).format(count=format_number(years))


def _card(state_json: str) -> fsrs.Card:
    import fsrs

    return fsrs.Card.from_dict(json.loads(state_json))


def _rating(value: int) -> fsrs.Rating:
    if value not in range(1, 5):
        raise ValueError(f"A rating is 1 (again) to 4 (easy), not {value}.")  # i18n: ignore (a bug)
    import fsrs

    return fsrs.Rating(value)


def _utc(moment: datetime) -> datetime:
    """fsrs refuses anything but timezone-aware UTC; a naive time is a bug, not UTC."""
    if moment.tzinfo is None:
        raise ValueError("Review times must be timezone-aware.")  # i18n: ignore (a bug)
    return moment.astimezone(UTC)
