"""What measuring the coach costs: the scorer, and a whole run's throughput.

Run: .venv/bin/python -m benchmarks.run --only coach_score

- scorer: for each of the 200 Italian sample sentences, the work Tutor does once the
  coach has answered: the marks from the local diff (build_marks), laid onto the
  corpus's tokens, and counted. The coach's answers are made up so that every sentence
  has changes (each labelled token upper-cased, plus the scripted corrections of
  tests/coach_score_endpoint.py), the diff's worst case here.
- run: 40 sentences against the test server, whose "model" takes 50 ms an answer, one
  request at a time and four at once (Settings → Corrections: parallel requests).
"""

from __future__ import annotations

import math
import os
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Config, Figure
from tests.coach_score_endpoint import ITALIAN_CORRECTIONS, CoachScoreScript
from tests.openai_server import OpenAITestServer, ScriptedReply

SCORER_TARGET_MS = 1.0
SPEEDUP_TARGET = 2.0
"""Four requests at once against a server that answers them together: at least twice
the sentences a second of one at a time (the rest is Tutor's and the server's CPU)."""
ANSWER_SECONDS = 0.05
CORPORA = Path(__file__).resolve().parent.parent / "resources" / "coach_corpora"


def run(config: Config) -> list[Figure]:
    from tutor.services import score_sources

    # This checkout's samples, wherever the installed Tutor points.
    score_sources.corpora_folder = lambda: CORPORA
    return [_scorer(config), *_runs(config)]


def _scorer(config: Config) -> Figure:
    from tutor.domain.corrections import CoachVerdict, build_marks
    from tutor.domain.learner_corpus import detokenize
    from tutor.domain.token_alignment import marked_tokens, token_counts
    from tutor.services.score_sources import load_sentences, score_sources

    italian = next(s for s in score_sources() if s.language == "it")
    sentences = load_sentences(italian)
    answers = []
    for sentence in sentences:
        corrected = ITALIAN_CORRECTIONS.get(sentence.text)
        if corrected is None:
            tokens = [
                t.upper() if bad else t
                for t, bad in zip(sentence.tokens, sentence.wrong, strict=True)
            ]
            corrected = detokenize(tokens)[0]
        answers.append(CoachVerdict(corrected, ()))
    rounds = 3 if config.quick else 20
    per_round, aligning = [], []
    for _ in range(rounds):
        spent = 0.0
        started = time.perf_counter()
        for sentence, verdict in zip(sentences, answers, strict=True):
            marks = build_marks(sentence.text, verdict)
            laid = time.perf_counter()
            token_counts(sentence.wrong, marked_tokens(sentence.text, sentence.spans, marks))
            spent += time.perf_counter() - laid
        per_round.append((time.perf_counter() - started) * 1000 / len(sentences))
        aligning.append(spent * 1000 / len(sentences))
    median = statistics.median(per_round)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    align_us = statistics.median(aligning) * 1000
    return Figure(
        "coach_score.scorer_ms",
        "Coach score: diff, alignment and counts per sentence",
        median,
        "ms",
        SCORER_TARGET_MS,
        measured=f"{median * 1000:.0f} µs a sentence, of which {align_us:.0f} µs alignment and "
        f"counts (median of {rounds} rounds of {len(sentences)}; best round "
        f"{min(per_round) * 1000:.0f} µs; load average {load:.1f} on {os.cpu_count()} CPUs)",
    )


def _runs(config: Config) -> list[Figure]:
    sentences = 12 if config.quick else 40
    one = _throughput(sentences, 1)
    four = _throughput(sentences, 4)
    return [
        Figure(
            "coach_score.run_per_second_1",
            "Coach score: sentences a second, 1 request at a time",
            one,
            "/s",
            None,
            measured=f"{one:.1f} sentences/s ({sentences} sentences, answers take "
            f"{ANSWER_SECONDS * 1000:.0f} ms)",
        ),
        Figure(
            "coach_score.run_speedup_4",
            "Coach score: 4 requests at once vs 1",
            four / one,
            "×",
            SPEEDUP_TARGET,
            higher_is_worse=False,
            measured=f"{four / one:.1f}× ({four:.1f} sentences/s)",
        ),
    ]


def _throughput(sentences: int, parallel: int) -> float:
    from tutor.domain.corrections import CorrectionStyle
    from tutor.llm.client import ChatClient, ServerConfig
    from tutor.services.coach_score import plan_score, run_score, score_sources

    script = CoachScoreScript(ITALIAN_CORRECTIONS)

    def slow(body: dict[str, Any]) -> ScriptedReply:
        time.sleep(ANSWER_SECONDS)  # the model thinking: on the server's thread
        return script(body)

    with OpenAITestServer() as server:
        server.default_coach_reply = slow
        italian = next(s for s in score_sources() if s.language == "it")
        plan = plan_score(
            italian,
            limit=sentences,
            base_url=server.base_url,
            model="tutor-test-small",
            style=CorrectionStyle(),
            parallel=parallel,
        )
        client = ChatClient(ServerConfig(server.base_url, "tutor-test-small"))
        client.complete([{"role": "user", "content": "warm"}], cap=5)  # openai loaded
        started = time.perf_counter()
        outcome = run_score(plan, client)
        elapsed = time.perf_counter() - started
    if outcome.card.sentences != sentences:
        raise RuntimeError(f"only {outcome.card.sentences} of {sentences} scored")
    return sentences / elapsed
