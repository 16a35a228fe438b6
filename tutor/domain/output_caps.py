"""How many tokens each request may ask the model to write: its output cap.

Every request Tutor sends carries one, sized for its job, so a model that falls into a
loop ("You're welcome. You're welcome. …") stops at the cap instead of writing until the
server's context is full (on a paid API, that is money). A reply cut by the cap is kept
and marked as cut off (finish_reason "length").

The caps are generous for the job: a reply that needs them is rare, and a cut reply is
worse than a few unused tokens. Scripts that tokenizers split finely (Devanagari, Thai,
Arabic…) cost more tokens for the same words, so the caps grow with the language's script.
A model that reasons spends output tokens on its thinking inside the same cap: once Tutor
has seen one reason, it gets REASONING_ROOM more (tutor/domain/server_habits.py).
"""

from __future__ import annotations

from tutor.domain.conversation import estimate_tokens
from tutor.domain.languages import Language
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile

PARTNER_TURN_TOKENS: dict[Level, int] = {
    Level.A1: 150,
    Level.A2: 200,
    Level.B1: 250,
    Level.B2: 300,
    Level.C1: 350,
    Level.C2: 400,
}
"""A spoken turn in a Latin script: at A1 a few sentences of five to eight words (about
60 tokens), at C2 a full paragraph; each with more than twice the room it needs."""

COACH_BASE_TOKENS = 400
"""The coach's JSON without the learner's text: keys, and a line of why per mistake."""
COACH_TOKENS_PER_TEXT_TOKEN = 6
"""The coach's answer repeats the learner's text: "corrected", "natural", and the words
of each mistake with its explanation, which grow with the text's length."""
SUMMARY_TOKENS = 1000
"""Two or three sentences of what went well, and up to three patterns with examples."""
CONNECTION_CHECK_TOKENS = 16
"""Test connection asks for "OK": enough for any model to say it, and nothing more."""
DEFAULT_CAP = 1000
"""For a request whose caller did not size its cap: still a cap."""
LARGEST_CAP = 4096
"""No job needs more, and many models refuse a larger max_tokens (gpt-4, gpt-3.5)."""
REASONING_ROOM = 4096
"""Added to a cap for a model that reasons before it answers: thinking for a chat turn
takes a few hundred to a few thousand tokens."""

_SCRIPT_FACTORS = {
    "Latn": 1.0,
    "Cyrl": 1.0,
    "Grek": 1.0,
    "Armn": 1.0,
    "Hans": 1.5,
    "Hant": 1.5,
    "Jpan": 1.5,
    "Kore": 1.5,
}
_OTHER_SCRIPTS = 2.0
"""Scripts most tokenizers split into a token a character or less (Devanagari, Thai,
Arabic, Hebrew, Georgian, Tamil…)."""


def script_factor(language: Language) -> float:
    """How many more tokens the same words cost in this language's script than in Latin."""
    return _SCRIPT_FACTORS.get(language.script, _OTHER_SCRIPTS)


def partner_cap(profile: LearnerProfile) -> int:
    """The partner's turn: a spoken turn, longer at higher levels."""
    return _bounded(PARTNER_TURN_TOKENS[profile.level] * script_factor(profile.target))


def coach_cap(learner_text: str, profile: LearnerProfile) -> int:
    """The coach's answer on one learner message: its JSON repeats the text, and explains
    each mistake in the learner's own language."""
    text = COACH_TOKENS_PER_TEXT_TOKEN * estimate_tokens(learner_text)
    return _bounded(COACH_BASE_TOKENS * script_factor(profile.native) + text)


def summary_cap(profile: LearnerProfile) -> int:
    """The session summary, written in the learner's own language."""
    return _bounded(SUMMARY_TOKENS * script_factor(profile.native))


def with_reasoning_room(cap: int, reasons: bool) -> int:
    """The cap to send: more for a model that spends tokens thinking first."""
    return cap + REASONING_ROOM if reasons else cap


def _bounded(tokens: float) -> int:
    return min(LARGEST_CAP, round(tokens))
