"""CEFR levels: what each means for a learner and what it asks of a partner.

A level's name and what a learner at it can do are shown in the interface language
(`all_guides`); how the partner should speak goes to the model, in English (`guide`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from tutor.i18n.translate import N_, _


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
    """How the partner should speak to someone at this level (sent to the model: English)."""

    def for_learner(self) -> LevelGuide:
        """The guide with its name and `can_do` in the interface language, as the level
        picker shows them; the partner's prompt keeps the English `guide()`."""
        return self._replace(name=_(self.name), can_do=_(self.can_do))


_GUIDES = {
    Level.A1: LevelGuide(
        Level.A1,
        N_("Beginner"),
        N_("You understand and use familiar everyday phrases and very basic sentences."),
        "Use only very common words and short, simple sentences (about 5 to 8 "
        "words) in the present tense. Speak slowly and clearly, one idea per "
        "sentence. Ask one simple question at a time, such as yes/no questions or"
        " questions about name, family, food.",  # i18n: ignore (to the model)
    ),
    Level.A2: LevelGuide(
        Level.A2,
        N_("Elementary"),
        N_("You handle simple routine exchanges about yourself, shopping, work and your area."),
        "Use common everyday vocabulary and short sentences (about 8 to 12 words). Present, "
        "simple past and near future are fine; avoid idioms and subordinate clauses. Ask one "
        "simple question at a time about familiar topics.",  # i18n: ignore (to the model)
    ),
    Level.B1: LevelGuide(
        Level.B1,
        N_("Intermediate"),
        N_("You deal with most travel situations and describe experiences, plans and opinions."),
        "Use everyday vocabulary with some less common words, sentences of "
        "moderate length, and the common tenses. Ask open questions about "
        "experiences, plans and opinions.",  # i18n: ignore (to the model)
    ),
    Level.B2: LevelGuide(
        Level.B2,
        N_("Upper intermediate"),
        N_("You talk fluently with native speakers on a wide range of topics and argue a view."),
        "Speak naturally at normal length with a broad vocabulary, including some"
        " idioms. Ask questions that invite the learner to explain, compare and "
        "argue.",  # i18n: ignore (to the model)
    ),
    Level.C1: LevelGuide(
        Level.C1,
        N_("Advanced"),
        N_("You express yourself fluently and precisely, also at work and in study."),
        "Speak as to an educated native speaker: rich vocabulary, idioms, complex "
        "sentences, nuance. Challenge the learner's ideas and ask for "
        "precision.",  # i18n: ignore (to the model)
    ),
    Level.C2: LevelGuide(
        Level.C2,
        N_("Proficient"),
        N_("You understand virtually everything and express fine shades of meaning."),
        "Speak without any simplification: idiomatic, colloquial and formal "
        "registers, wordplay and cultural references. Engage as an equal in a "
        "demanding conversation.",  # i18n: ignore (to the model)
    ),
}


def guide(level: Level) -> LevelGuide:
    return _GUIDES[level]


def all_guides() -> list[LevelGuide]:
    """Every level's guide, A1 first, as the learner reads it (in the interface language)."""
    return [_GUIDES[level].for_learner() for level in Level]
