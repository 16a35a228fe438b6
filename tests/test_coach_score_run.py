"""Measuring the coach against the test server, as the window and the command line do:
the plan, the run (concurrent, cancellable), and failures said plainly."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.coach_score_endpoint import ITALIAN_CORRECTIONS, CoachScoreScript
from tests.openai_server import OpenAITestServer, ScriptedReply
from tutor.domain.coach_score import TokenCounts
from tutor.domain.corrections import CoachPath, CorrectionStyle
from tutor.llm.client import ChatClient, ServerConfig, Timeouts
from tutor.services import score_sources
from tutor.services.coach_score import (
    ScoreError,
    ScoreProgress,
    plan_score,
    run_score,
)
from tutor.services.coach_score import (
    score_sources as sources,
)

CORPORA = Path(__file__).resolve().parent.parent / "resources" / "coach_corpora"
MODEL = "tutor-test-small"


@pytest.fixture(autouse=True)
def checkout_corpora(monkeypatch):
    """The samples of this checkout (an editable install may point at another's)."""
    monkeypatch.setattr(score_sources, "corpora_folder", lambda: CORPORA)


@pytest.fixture
def server():
    with OpenAITestServer() as running:
        yield running


def _client(base_url: str, key: str | None = None) -> ChatClient:
    return ChatClient(ServerConfig(base_url, MODEL, key), Timeouts(connect=1.0, read=5.0))


def _italian():
    return next(s for s in sources() if s.corpus == "multiged-it-merlin")


def _plan(server, limit=50, parallel=2, **more):
    return plan_score(
        _italian(),
        limit=limit,
        base_url=server.base_url,
        model=MODEL,
        style=more.pop("style", CorrectionStyle()),
        parallel=parallel,
        **more,
    )


def test_the_shipped_samples_are_offered_with_their_attribution():
    italian, czech = (s for s in sources() if s.corpus.startswith("multiged-"))
    assert (italian.language, italian.sentences, italian.reference_f05) == ("it", 200, 82.15)
    assert (czech.language, czech.sentences, czech.reference_f05) == ("cs", 200, 73.44)
    assert "MERLIN" in italian.attribution and "CC BY-SA 4.0" in italian.attribution
    assert "GECCC" in czech.attribution and "MultiGED-2023" in czech.attribution
    for name in ("it_merlin_LICENSE.md", "cs_geccc_LICENSE.md", "ATTRIBUTION.md"):
        assert (CORPORA / name).is_file()


def test_the_plan_counts_requests_and_estimates_tokens_and_price(server):
    plan = _plan(server, limit=50)
    assert (plan.sentences, plan.requests) == (50, 50)
    assert plan.estimated_prompt_tokens > 50 * 100  # the coach's instructions, each time
    assert 0 < plan.estimated_completion_tokens < plan.estimated_prompt_tokens
    assert plan.price is None  # a local server: no price Tutor knows
    openai = plan_score(
        _italian(),
        limit=None,
        base_url="https://api.openai.com/v1",
        model="gpt-4o-mini",
        style=CorrectionStyle(),
        parallel=1,
    )
    assert openai.sentences == 200
    expected = (
        openai.estimated_prompt_tokens * 0.15 + openai.estimated_completion_tokens * 0.60
    ) / 1e6
    assert openai.price == pytest.approx(expected)
    precise = _plan(server, limit=50, style=CorrectionStyle(precise=True))
    assert precise.estimated_prompt_tokens > plan.estimated_prompt_tokens  # one rule more


def test_a_run_scores_the_scripted_corrections_exactly(server):
    script = CoachScoreScript(ITALIAN_CORRECTIONS)
    server.default_coach_reply = script
    outcome = run_score(_plan(server), _client(server.base_url))
    card = outcome.card
    assert outcome.problem is None and card.complete
    assert card.counts == TokenCounts(10, 2, 70)
    assert (card.sentences, card.failed, card.tokens, card.requests) == (50, 0, 637, 50)
    assert (card.language, card.corpus, card.style, card.model) == (
        "it",
        "multiged-it-merlin",
        "all",
        MODEL,
    )
    assert len(script.asked) == 50
    # The coach was asked exactly as in practice: the sentence as a learner types it.
    assert "Quanto fini lavori a sabato?" in script.asked
    bodies = server.coach_requests()
    assert all(b["response_format"]["type"] == "json_schema" for b in bodies)
    assert card.prompt_tokens is not None and card.prompt_tokens > 0
    assert outcome.path is CoachPath.JSON_SCHEMA


def test_requests_go_out_in_parallel(server):
    together = threading.Barrier(4, timeout=5)
    script = CoachScoreScript({})

    def reply(body):
        together.wait()  # only four requests in flight at once get past this
        return script(body)

    server.default_coach_reply = reply
    outcome = run_score(_plan(server, limit=8, parallel=4), _client(server.base_url))
    assert outcome.card.sentences == 8 and not together.broken


def test_progress_is_reported_for_every_sentence(server):
    server.default_coach_reply = CoachScoreScript(ITALIAN_CORRECTIONS)
    seen: list[ScoreProgress] = []
    lock = threading.Lock()

    def heard(progress):
        with lock:
            seen.append(progress)

    run_score(_plan(server, limit=10), _client(server.base_url), on_progress=heard)
    assert sorted(p.done for p in seen) == list(range(1, 11))
    assert all(p.total == 10 for p in seen)
    # Sentences 0 to 9 hold every scripted case (tests/coach_score_endpoint.py) and 17
    # labelled tokens: the 10 found, and 7 missed (2 in #5, 3 in #6, one each in #3, #4).
    assert max(seen, key=lambda p: p.done).counts == TokenCounts(10, 2, 7)


def test_an_unusable_answer_fails_one_sentence_and_the_run_goes_on(server):
    italian = _italian()
    first = score_sources.load_sentences(italian)[:10]
    garbled = {first[2].text, first[6].text}
    server.default_coach_reply = CoachScoreScript({}, garbled)
    outcome = run_score(_plan(server, limit=10, parallel=1), _client(server.base_url))
    card = outcome.card
    assert outcome.problem is None and card.complete
    assert (card.sentences, card.failed) == (8, 2)
    # Each garbled sentence was asked on all three JSON paths before it was given up.
    assert card.requests == 8 + 2 * 3
    gold = sum(s.errors for i, s in enumerate(first) if i not in (2, 6))
    assert card.counts == TokenCounts(0, 0, gold)


def test_a_refused_key_stops_the_run_and_says_so(server):
    server.api_key = "the-right-key"
    outcome = run_score(_plan(server), _client(server.base_url, "a-wrong-key"))
    assert outcome.problem is not None and "refused the API key" in outcome.problem
    assert not outcome.card.complete
    assert (outcome.card.sentences, outcome.card.failed) == (0, 0)


def test_an_unknown_model_stops_the_run_and_says_so(server):
    server.default_coach_reply = lambda body: ScriptedReply(
        status=404, error_message="The model `tutor-test-small` does not exist"
    )
    outcome = run_score(_plan(server, parallel=3), _client(server.base_url))
    assert outcome.problem is not None and "404" in outcome.problem
    assert outcome.card.sentences == 0 and not outcome.card.complete


def test_a_dead_server_stops_the_run_and_says_so():
    with OpenAITestServer() as gone:
        base_url = gone.base_url
        plan = _plan(gone)
    outcome = run_score(plan, _client(base_url))
    assert outcome.problem is not None and "Traceback" not in outcome.problem
    assert base_url.split("/v1")[0].split("//")[1] in outcome.problem or "reach" in outcome.problem
    assert outcome.card.sentences == 0 and not outcome.card.complete


def test_a_model_that_never_answers_usably_stops_after_ten_in_a_row(server):
    server.default_coach_reply = lambda body: ScriptedReply(text="no JSON here")
    outcome = run_score(_plan(server, limit=30, parallel=1), _client(server.base_url))
    assert outcome.problem is not None and "10 sentences in a row" in outcome.problem
    assert outcome.card.failed == 10 and outcome.card.sentences == 0


def test_cancel_keeps_what_was_measured(server):
    server.default_coach_reply = CoachScoreScript(ITALIAN_CORRECTIONS)
    cancel = threading.Event()

    def heard(progress):
        if progress.done >= 5:
            cancel.set()

    plan = _plan(server, limit=50, parallel=1)
    outcome = run_score(plan, _client(server.base_url), on_progress=heard, cancel=cancel)
    card = outcome.card
    assert outcome.problem is None and not card.complete
    assert card.sentences == 5 and len(server.coach_requests()) == 5
    # Sentences 0 to 4: #1 over-corrected, #3 and #4 found 4 of their 6 labelled tokens.
    assert card.counts == TokenCounts(4, 1, 2)


def test_a_learners_own_file_is_read_and_a_bad_one_refused_in_words(server, tmp_path):
    good = tmp_path / "mine.tsv"
    good.write_text("Io\tc\nandato\ti\n.\tc\n\nCiao\tc\n", encoding="utf-8")
    source = score_sources.file_source(good, "it")
    assert (source.corpus, source.sentences, source.reference_f05) == ("file:mine.tsv", 2, None)
    server.default_coach_reply = CoachScoreScript({"Io andato.": "Io sono andato."})
    plan = plan_score(
        source,
        limit=None,
        base_url=server.base_url,
        model=MODEL,
        style=CorrectionStyle(),
        parallel=2,
        file=good,
    )
    outcome = run_score(plan, _client(server.base_url))
    assert outcome.card.counts == TokenCounts(1, 0, 0)
    bad = tmp_path / "bad.tsv"
    bad.write_text("Io\tc\nandato\tyes\n", encoding="utf-8")
    with pytest.raises(ScoreError, match=r"bad.tsv, line 2: the label is “yes”"):
        score_sources.file_source(bad)
    with pytest.raises(ScoreError, match="holds no labelled sentences"):
        empty = tmp_path / "empty.tsv"
        empty.write_text("\n\n", encoding="utf-8")
        score_sources.file_source(empty)
    with pytest.raises(ScoreError, match="cannot read"):
        score_sources.file_source(tmp_path / "missing.tsv")


def test_a_plan_needs_the_files_language_and_explains_in_another(server, tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text("Io\tc\nandato\ti\n", encoding="utf-8")
    unknown = score_sources.file_source(mine)
    with pytest.raises(ScoreError, match="Choose the language"):
        plan_score(
            unknown,
            limit=None,
            base_url=server.base_url,
            model=MODEL,
            style=CorrectionStyle(),
            parallel=1,
            file=mine,
        )
    italian_speaker = _plan(server, limit=1, native_language="it")
    assert italian_speaker.native_language == "en"
    run_score(italian_speaker, _client(server.base_url))
    (body,) = server.coach_requests()
    assert "English" in body["messages"][0]["content"]
