"""CEFR levels: what each means for a learner and what it asks of a partner."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Level(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class LevelGuide(NamedTuple):  # not a dataclass: see tutor.cli.arguments.Options
    level: Level
    name: str
    can_do: str
    """One line for the learner: what someone at this level can do."""
    partner_style: str
    """How the partner should speak to someone at this level."""


_GUIDES = {
    Level.A1: LevelGuide(
        Level.A1,
        "Beginner",
        "You understand and use familiar everyday phrases and very basic sentences.",
        "Use only very common words and short, simple sentences (about 5 to 8 words) in the "
        "present tense. Speak slowly and clearly, one idea per sentence. Ask one simple "
        "question at a time, such as yes/no questions or questions about name, family, food.",
    ),
    Level.A2: LevelGuide(
        Level.A2,
        "Elementary",
        "You handle simple routine exchanges about yourself, shopping, work and your area.",
        "Use common everyday vocabulary and short sentences (about 8 to 12 words). Present, "
        "simple past and near future are fine; avoid idioms and subordinate clauses. Ask one "
        "simple question at a time about familiar topics.",
    ),
    Level.B1: LevelGuide(
        Level.B1,
        "Intermediate",
        "You deal with most travel situations and describe experiences, plans and opinions.",
        "Use everyday vocabulary with some less common words, sentences of moderate length, "
        "and the common tenses. Ask open questions about experiences, plans and opinions.",
    ),
    Level.B2: LevelGuide(
        Level.B2,
        "Upper intermediate",
        "You talk fluently with native speakers on a wide range of topics and argue a view.",
        "Speak naturally at normal length with a broad vocabulary, including some idioms. "
        "Ask questions that invite the learner to explain, compare and argue.",
    ),
    Level.C1: LevelGuide(
        Level.C1,
        "Advanced",
        "You express yourself fluently and precisely, also at work and in study.",
        "Speak as to an educated native speaker: rich vocabulary, idioms, complex sentences, "
        "nuance. Challenge the learner's ideas and ask for precision.",
    ),
    Level.C2: LevelGuide(
        Level.C2,
        "Proficient",
        "You understand virtually everything and express fine shades of meaning.",
        "Speak without any simplification: idiomatic, colloquial and formal registers, "
        "wordplay and cultural references. Engage as an equal in a demanding conversation.",
    ),
}


def guide(level: Level) -> LevelGuide:
    return _GUIDES[level]


def all_guides() -> list[LevelGuide]:
    return [_GUIDES[level] for level in Level]
