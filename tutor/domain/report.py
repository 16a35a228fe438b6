"""A session's report: figures computed from what was said, and the model's summary.

Only what can be counted is counted. Words written are counted as the mistakes notebook
counts them (`notebook.words_in`, which estimates words in scripts without spaces); new
words need real word boundaries, so they are not counted for Chinese, Japanese or Thai.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from tutor.domain.conversation import ChatMessage, MessageState, Role, TokenUsage
from tutor.domain.corrections import Category, CorrectionState
from tutor.domain.level_bands import Verdict
from tutor.domain.level_fit import LevelFit
from tutor.domain.notebook import words_in
from tutor.i18n.formats import locale_in_use
from tutor.i18n.translate import _

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_NO_SPACES = frozenset({"zh", "ja", "th", "lo", "km", "my"})

# US dollars per million tokens (input, output), from the providers' price pages,
# November 2026. A model not listed has an unknown price: Tutor says so.
PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-5": (1.25, 10.00),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5-nano": (0.05, 0.40),
}


NO_TOKENS = TokenUsage(0, 0)


@dataclass(frozen=True)
class Cost:
    dollars: float | None
    note: str
    """"free: a model on this computer", "unknown price for <model>", or the sum, in the
    interface language when the report was made."""


@dataclass(frozen=True)
class TargetCount:
    """How a practice target went in a session: uses the coach found right and wrong."""

    category: str
    """The target's category (corrections.Category value)."""
    description: str
    """What was practised, in English, as the scenario says it ("past tense")."""
    right: int
    wrong: int
    forms: tuple[str, ...] = ()
    """The right forms practised, in the language learnt; none in reports made before."""


@dataclass(frozen=True)
class SessionFigures:
    turns: int
    """Messages the learner sent."""
    words_written: int
    mistakes_by_category: dict[str, int]
    """Category labels in English (stored so; `_()` translates one when shown) -> mistakes."""
    clean_messages: int
    """Learner messages the coach checked and found nothing to mark."""
    checked_messages: int
    new_words: tuple[str, ...] | None
    """Words used for the first time in this language; None where words are not countable."""
    duration_minutes: float
    partner_tokens: TokenUsage
    coach_tokens: TokenUsage
    cost: Cost
    fit_judged: int = 0
    """Partner replies the fit meter judged (level_fit.py); 0 in reports made before it."""
    fit_mean_share: float | None = None
    """Their mean share of words within the learner's level, 0..1; None when none was."""
    fit_too_hard: int = 0
    """Of them, replies too hard (under 90% known)."""
    help_tokens: TokenUsage = NO_TOKENS
    """Help asked of the coach's model (translations, look-ups, hints…); reports made
    before help existed have none."""
    memory_tokens: TokenUsage = NO_TOKENS
    """Reading the session for the facts the learner shared (services/memory.py)."""
    target_counts: tuple[TargetCount, ...] = ()
    """Per practice target (a "Practise my mistakes" session), its right and wrong uses."""

    @property
    def mistakes(self) -> int:
        return sum(self.mistakes_by_category.values())


@dataclass(frozen=True)
class Pattern:
    text: str
    message_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SessionSummary:
    went_well: str
    patterns: tuple[Pattern, ...] = field(default_factory=tuple)


def words_of(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


def session_figures(
    target_language: str,
    messages: list[ChatMessage],
    *,
    known_words: set[str],
    coach_tokens: TokenUsage,
    model: str,
    local: bool,
    help_tokens: TokenUsage | None = None,
    fits: Sequence[LevelFit] = (),
    memory_tokens: TokenUsage | None = None,
) -> SessionFigures:
    """Figures for one session; `known_words` are those used in earlier sessions, `fits`
    how the partner's replies fitted the learner's level."""
    learner = [m for m in messages if m.role is Role.USER]
    mistakes: Counter[str] = Counter()
    clean = checked = 0
    for message in learner:
        correction = message.correction
        if correction is None or correction.state is not CorrectionState.CHECKED:
            continue
        checked += 1
        counted = [mark for mark in correction.marks if not mark.dismissed]
        clean += not counted
        mistakes.update(Category(mark.category).english_label for mark in counted)
    words_written = sum(words_in(message.text) for message in learner)
    new_words: tuple[str, ...] | None = None
    if target_language.split("-")[0] not in _NO_SPACES:
        # From the corrected text where there is one: a misspelt word is not a new word.
        used = [word for message in learner for word in words_of(_as_corrected(message))]
        new_words = tuple(sorted(set(used) - known_words - _numbers(used)))
    partner = _usage(m.usage for m in messages if m.role is Role.ASSISTANT)
    shares = [fit.share for fit in fits if fit.share is not None]
    helped = help_tokens or NO_TOKENS
    remembered = memory_tokens or NO_TOKENS
    return SessionFigures(
        turns=len(learner),
        words_written=words_written,
        mistakes_by_category=dict(mistakes.most_common()),
        clean_messages=clean,
        checked_messages=checked,
        new_words=new_words,
        duration_minutes=_minutes(messages),
        partner_tokens=partner,
        coach_tokens=coach_tokens,
        cost=estimate_cost(
            model, _add(_add(_add(partner, coach_tokens), helped), remembered), local=local
        ),
        help_tokens=helped,
        memory_tokens=remembered,
        fit_judged=len(shares),
        fit_mean_share=sum(shares) / len(shares) if shares else None,
        fit_too_hard=sum(fit.verdict is Verdict.TOO_HARD for fit in fits),
    )


def with_memory_tokens(
    figures: SessionFigures, tokens: TokenUsage, model: str, *, local: bool
) -> SessionFigures:
    """The figures once the session's reading for facts is counted (it may end after
    the report was made), the cost with it."""
    spent = _add(_add(figures.partner_tokens, figures.coach_tokens), figures.help_tokens)
    spent = _add(spent, tokens)
    return replace(figures, memory_tokens=tokens, cost=estimate_cost(model, spent, local=local))


def _as_corrected(message: ChatMessage) -> str:
    correction = message.correction
    if correction is not None and correction.state is CorrectionState.CHECKED:
        return correction.corrected_text or message.text
    return message.text


def estimate_cost(model: str, usage: TokenUsage, *, local: bool) -> Cost:
    """What the session cost, with its note in the interface language (kept with the
    report in the language it was made in)."""
    if local:
        # Translators: the cost of a session, on its report.
        return Cost(0.0, _("free: the model runs on your computer"))
    price = PRICES_PER_MILLION.get(model.split("/")[-1])
    if price is None:
        # Translators: the cost of a session, on its report; {model} is a model's id.
        return Cost(None, _("unknown: Tutor has no price for {model}").format(model=model))
    dollars = (usage.prompt_tokens * price[0] + usage.completion_tokens * price[1]) / 1e6
    # Translators: the cost of a session, on its report: "about $0.0012 at list prices".
    return Cost(dollars, _("about {amount} at list prices").format(amount=_dollars(dollars)))


def _dollars(amount: float) -> str:
    """US dollars to a hundredth of a cent ("$0.0012"; "0,0012 $" in German): a short
    session costs less than a cent."""
    from babel.numbers import format_currency

    return format_currency(
        round(amount, 4),
        "USD",
        locale=locale_in_use(),
        currency_digits=False,
        decimal_quantization=False,
    )


def _numbers(words: list[str]) -> set[str]:
    return {word for word in words if word.isdigit()}


def _usage(usages: Iterable[TokenUsage | None]) -> TokenUsage:
    prompt = completion = 0
    for usage in usages:
        if usage is not None:
            prompt += usage.prompt_tokens
            completion += usage.completion_tokens
    return TokenUsage(prompt, completion)


def _add(a: TokenUsage, b: TokenUsage) -> TokenUsage:
    return TokenUsage(a.prompt_tokens + b.prompt_tokens, a.completion_tokens + b.completion_tokens)


def _minutes(messages: list[ChatMessage]) -> float:
    times = [m.created_at for m in messages if m.state is not MessageState.FAILED]
    if len(times) < 2:
        return 0.0
    return (max(times) - min(times)) / timedelta(minutes=1)
