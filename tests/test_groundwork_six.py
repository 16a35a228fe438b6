"""Schema 6's groundwork: the precision-first style, the memory and parallel settings,
and coach scorecards kept per server, model, language and style."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tutor.domain.coach_prompt import coach_messages, precision_rule
from tutor.domain.coach_score import Scorecard, TokenCounts
from tutor.domain.corrections import CoachPath, CorrectionScope, CorrectionStyle
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.settings import MAX_SCORE_PARALLEL, Settings, settings_from_dict
from tutor.store.coach_scores import CoachScoreStore
from tutor.store.database import open_database

PROFILE = LearnerProfile("it", Level.B1, "en")


def _system(style: CorrectionStyle) -> str:
    return coach_messages(PROFILE, style, "Io sono andato", "", CoachPath.JSON_SCHEMA)[0]["content"]


def test_precision_first_asks_for_sure_minimal_edits_and_overrides_the_strict_teacher():
    precise = _system(CorrectionStyle(strict=True, precise=True))
    assert precision_rule() in precise
    assert '"phrasing"' not in precise
    assert precision_rule() not in _system(CorrectionStyle())
    assert '"phrasing"' in _system(CorrectionStyle(strict=True))


@pytest.mark.parametrize(
    ("style", "key"),
    [
        (CorrectionStyle(), "all"),
        (CorrectionStyle(strict=True), "all+strict"),
        (CorrectionStyle(strict=True, precise=True), "all+precise"),
        (CorrectionStyle(scope=CorrectionScope.MEANING, precise=True), "meaning+precise"),
        (CorrectionStyle(explanations=False), "all"),
    ],
)
def test_a_style_is_kept_under_the_parts_that_change_the_marks(style, key):
    assert style.key == key


def test_new_settings_survive_the_file_and_bad_values_fall_back():
    changed = Settings(
        memory=False,
        score_parallel_requests=5,
        corrections=CorrectionStyle(precise=True),
    )
    assert settings_from_dict(changed.to_dict()) == changed
    data = Settings().to_dict() | {"memory": "yes", "score_parallel_requests": 999}
    data["corrections"] = {"precise": "on"}
    read = settings_from_dict(data)
    assert read.memory is True
    assert read.score_parallel_requests == MAX_SCORE_PARALLEL
    assert read.corrections.precise is False
    older = Settings().to_dict()
    for key in ("memory", "score_parallel_requests"):
        del older[key]
    assert settings_from_dict(older).score_parallel_requests == 2


def _card(model: str, language: str, style: str, day: int, tp: int = 3) -> Scorecard:
    return Scorecard(
        base_url="http://127.0.0.1:1/v1",
        model=model,
        language=language,
        corpus=f"multiged-{language}",
        style=style,
        sentences=10,
        tokens=120,
        requests=11,
        failed=1,
        counts=TokenCounts(tp, 1, 2),
        prompt_tokens=900,
        completion_tokens=None,
        seconds=2.5,
        complete=day != 3,
        measured_at=datetime(2026, 12, day, 9, 0, tzinfo=UTC),
    )


def test_scorecards_are_kept_per_model_language_and_style_newest_first(tmp_path: Path):
    store = CoachScoreStore(open_database(tmp_path / "tutor.db"))
    for card in (
        _card("small", "it", "all", 1, tp=1),
        _card("small", "it", "all", 3, tp=2),
        _card("small", "it", "all+precise", 4),
        _card("small", "cs", "all", 5),
        _card("large", "it", "all", 6),
    ):
        store.save(card)
    latest = store.latest("http://127.0.0.1:1/v1", "small", "it", "all")
    assert latest == _card("small", "it", "all", 3, tp=2)
    assert latest is not None and not latest.complete
    assert [c.language for c in store.for_model("http://127.0.0.1:1/v1", "small")] == [
        "cs",
        "it",
        "it",
        "it",
    ]
    assert store.latest("http://127.0.0.1:1/v1", "missing") is None


def test_the_scorecards_figures_follow_multiged():
    counts = TokenCounts(true_positives=6, false_positives=2, false_negatives=4)
    assert counts.precision == 0.75
    assert counts.recall == 0.6
    assert counts.f05 == pytest.approx(1.25 * 0.75 * 0.6 / (0.25 * 0.75 + 0.6))
    assert TokenCounts().precision is None and TokenCounts().f05 is None
    assert TokenCounts(0, 3, 2).f05 == 0.0
    assert counts + TokenCounts(1, 1, 1) == TokenCounts(7, 3, 5)
