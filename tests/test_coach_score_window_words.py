"""The scorecard in words (tutor/ui/setup/score_words.py): the line where the coach
model is chosen, the plan, and the figures in the interface language's own forms."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tutor.domain.coach_score import Scorecard, TokenCounts
from tutor.i18n.translate import SOURCE_LANGUAGE, use_language
from tutor.ui.setup.score_words import (
    details,
    figure_lines,
    headline,
    plan_text,
    price_text,
    reference_text,
)


def card(language: str, day: int, *, complete: bool = True, tp: int = 71) -> Scorecard:
    return Scorecard(
        base_url="http://127.0.0.1:11434/v1",
        model="llama3.2:3b",
        language=language,
        corpus="multiged-it-merlin",
        style="all",
        sentences=50 if complete else 12,
        tokens=640,
        requests=50,
        failed=1,
        counts=TokenCounts(tp, 100 - tp, 100 - 58 if tp == 58 else 100 - tp),
        prompt_tokens=12_000,
        completion_tokens=3_400,
        seconds=75.0,
        complete=complete,
        measured_at=datetime(2026, 12, day, 9, 0, tzinfo=UTC),
    )


@pytest.fixture
def english() -> Iterator[None]:
    use_language(SOURCE_LANGUAGE)
    yield
    use_language(SOURCE_LANGUAGE)


def test_one_line_a_language_newest_first(english: None) -> None:
    cards = [card("cs", 6), card("it", 5), card("it", 1, tp=10)]  # newest first, as stored
    assert figure_lines(cards) == [
        "On Czech learner texts: precision 71%, recall 71%, measured Dec 6, 2026",
        "On Italian learner texts: precision 71%, recall 71%, measured Dec 5, 2026",
    ]


def test_a_cancelled_run_does_not_hide_a_whole_one(english: None) -> None:
    cards = [card("it", 6, complete=False, tp=10), card("it", 2)]
    assert figure_lines(cards) == [
        "On Italian learner texts: precision 71%, recall 71%, measured Dec 2, 2026"
    ]
    (partial,) = figure_lines([card("it", 6, complete=False, tp=10)])
    assert partial.endswith("measured Dec 6, 2026 (partial: 12 sentences)")
    assert figure_lines([]) == []


def test_figures_in_the_interface_languages_forms() -> None:
    use_language("fr")
    try:
        assert [value for _name, value in headline(TokenCounts(71, 29, 42))] == [
            "71,0\u00a0%",
            "62,8\u00a0%",
            "69,2\u00a0%",
        ]
        assert reference_text(82.15) == (
            "Meilleur F0,5 publié sur ces textes : 82,15\u00a0% (MultiGED-2023)."
        )
    finally:
        use_language(SOURCE_LANGUAGE)


def test_price_and_what_a_run_used(english: None) -> None:
    assert price_text(None) == "price unknown for this server"
    assert price_text(0.0123) == "about 0.01 US dollars"
    assert price_text(0.00042) == "about 0.0004 US dollars"
    assert details(card("it", 6)) == (
        "50 sentences (640 tokens), 50 requests, 1 failed, 75 seconds; tokens used: 15,400 tokens"
    )


def test_the_plan_says_requests_tokens_and_the_price_where_known(english: None) -> None:
    from tutor.domain.corrections import CorrectionStyle
    from tutor.services.coach_score import ScorePlan, score_sources

    source = score_sources()[0]
    plan = ScorePlan(
        source=source,
        sentences=50,
        requests=50,
        estimated_prompt_tokens=20_000,
        estimated_completion_tokens=5_718,
        price=0.00642,
        base_url="https://api.openai.com/v1",
        model="gpt-4o-mini",
        style=CorrectionStyle(precise=True),
        parallel=4,
    )
    words = plan_text(plan).replace("\u2068", "").replace("\u2069", "")
    assert words == (
        "50 sentences checked by gpt-4o-mini: 50 requests (4 at a time), about "
        "25,718 tokens, about 0.0064 US dollars."
    )
