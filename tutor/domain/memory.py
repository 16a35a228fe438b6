"""What the partner remembers about the learner: the facts they shared about themselves
(a name, where they live, work or study, family, interests, plans with a date).

Facts belong to the learner, not to a language or a session: a name is the same in
Spanish and in Japanese, and a fact outlives the session it was read from. They are
data, never instructions: every fact is cleaned (cut to `MAX_FACT_CHARS`, control
characters removed) and, where it reaches a model, quoted inside a block that says what
it is (domain/memory_block.py). A fact that reads like an instruction to a model is kept
as the learner wrote it, and quoted like every other.

Merging: the same kind and the same words (`normalized`) is the same fact, mentioned
again; a fact the model says updates a known one replaces its words and date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from tutor.i18n.translate import N_

MAX_FACT_CHARS = 200
"""A fact is a sentence or two; anything longer is cut (a model that pasted a message)."""


class FactKind(StrEnum):
    """What a fact is about; the name travels in the request and the answer."""

    NAME = "name"
    HOME = "home"
    WORK = "work"
    STUDY = "study"
    FAMILY = "family"
    INTEREST = "interest"
    PLAN = "plan"
    OTHER = "other"


KIND_NAMES: dict[FactKind, str] = {
    # Translators: kinds of fact the partner remembers about the learner.
    FactKind.NAME: N_("Name"),
    # Translators: a kind of fact: where the learner lives.
    FactKind.HOME: N_("Home"),
    FactKind.WORK: N_("Work"),
    # Translators: a kind of fact: what or where the learner studies.
    FactKind.STUDY: N_("Study"),
    FactKind.FAMILY: N_("Family"),
    FactKind.INTEREST: N_("Interest"),
    # Translators: a kind of fact: something the learner plans to do, often with a date.
    FactKind.PLAN: N_("Plan"),
    FactKind.OTHER: N_("Other"),
}


class FactSource(StrEnum):
    EXTRACTED = "extracted"
    """Read by the coach's model from what the learner wrote in a session."""
    LEARNER = "learner"
    """Added (or last edited) by the learner in the facts window."""


@dataclass(frozen=True)
class LearnerFact:
    id: int
    text: str
    kind: FactKind
    about_date: date | None
    """The day a plan is for ("exam on Friday" resolved from the message's date)."""
    session_id: int | None
    """The session it was read from; None when added by hand or its session is gone."""
    source: FactSource
    mentions: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class NewFact:
    """A fact as read from a model's answer or typed by the learner, before it is kept."""

    text: str
    kind: FactKind
    about_date: date | None = None
    known_id: int | None = None
    """The known fact this one repeats or updates, as the model said; None: new."""


@dataclass(frozen=True)
class FactChanges:
    """What keeping an extraction's facts does to the known ones (merge_facts)."""

    added: tuple[NewFact, ...] = ()
    mentioned: tuple[int, ...] = ()
    """Known facts said again, unchanged: one more mention each."""
    updated: tuple[tuple[int, NewFact], ...] = ()
    """Known facts the learner changed (a new job, a moved date): their new words."""

    @property
    def count(self) -> int:
        return len(self.added) + len(self.mentioned) + len(self.updated)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_INSTRUCTION_LIKE = re.compile(
    r"ignore (all |the |any )?(previous|prior|above|earlier)"
    r"|disregard (all |the |any )?(previous|prior|above|earlier|your)"
    r"|forget (all |everything|your|the) .*instructions"
    r"|you are now|from now on,? you|act as|pretend to be|new instructions"
    r"|system prompt|(^|\s)(system|assistant|developer)\s*:"
    r"|<\|?(im_start|system|endoftext)",
    re.IGNORECASE,
)


def clean_fact_text(text: str) -> str:
    """A fact as kept: control and invisible format characters gone (a line break is a
    space), spaces collapsed, cut to MAX_FACT_CHARS with an ellipsis."""
    text = _CONTROL.sub(" ", text)
    # Bidi overrides and other invisible format characters could hide what a fact says;
    # the zero-width joiner is kept (emoji, and scripts that need it).
    text = "".join(c for c in text if c == "\u200d" or unicodedata.category(c) != "Cf")
    text = _SPACES.sub(" ", text).strip()
    if len(text) > MAX_FACT_CHARS:
        text = text[: MAX_FACT_CHARS - 1].rstrip() + "…"
    return text


def normalized(text: str) -> str:
    """What two facts must share to be one: case, spaces and end punctuation aside."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", folded).strip(" .!?。！？,;:")


def looks_like_instructions(text: str) -> bool:
    """A fact that reads as an order to a model ("ignore previous instructions", "you
    are now…", "system:"): still kept, as data, and marked so where it is sent."""
    return _INSTRUCTION_LIKE.search(text) is not None


def fact_kind(value: object) -> FactKind:
    """A kind from a model's answer: the known names, leniently; anything else "other"."""
    if isinstance(value, str):
        folded = value.strip().casefold()
        for kind in FactKind:
            if folded in (kind.value, kind.value + "s"):
                return kind
        aliases = {"job": FactKind.WORK, "hobby": FactKind.INTEREST, "city": FactKind.HOME}
        if folded in aliases:
            return aliases[folded]
    return FactKind.OTHER


def merge_facts(known: Sequence[LearnerFact], found: Iterable[NewFact]) -> FactChanges:
    """How `found` (cleaned, from one extraction) changes the `known` facts.

    The same kind and normalized words as a known fact is a mention of it. A fact the
    model ties to a known one (`known_id`) updates it when its words or date differ,
    unless the learner wrote that one by hand (their words win: it is added beside
    it). Anything else is new; the same fact twice in one answer counts once."""
    by_words = {(f.kind, normalized(f.text)): f for f in known}
    by_id = {f.id: f for f in known}
    added: list[NewFact] = []
    mentioned: list[int] = []
    updated: list[tuple[int, NewFact]] = []
    seen: set[tuple[FactKind, str]] = set()
    for fact in found:
        if not fact.text:
            continue
        key = (fact.kind, normalized(fact.text))
        if key in seen:
            continue
        seen.add(key)
        same = by_words.get(key)
        tied = by_id.get(fact.known_id) if fact.known_id is not None else None
        if same is not None:
            if same.about_date != fact.about_date and fact.about_date is not None:
                updated.append((same.id, fact))
            elif same.id not in mentioned:
                mentioned.append(same.id)
        elif tied is not None and tied.source is FactSource.EXTRACTED:
            updated.append((tied.id, fact))
        else:
            added.append(fact)
    return FactChanges(tuple(added), tuple(mentioned), tuple(updated))


@dataclass(frozen=True)
class FactOrigin:
    """Where a fact came from, as the facts window shows it."""

    fact: LearnerFact
    session_title: str | None = None
    """The session's title; None when added by hand, or its session was deleted."""
    session_date: datetime | None = None


@dataclass(frozen=True)
class ExtractionNote:
    """The last time facts could not be read: shown quietly in the facts window."""

    session_id: int
    error: str
    when: datetime
