"""Measure the coach on learner texts people labelled: the scorecard's run, for the
command line (tutor/cli/coach_score.py) and Settings → Corrections alike.

Each sentence is checked exactly as a learner's message is in practice: the same
request (tutor/llm/coach.py check_message: same prompt, same JSON-path fallback), and
the marks from the local diff (tutor/domain/corrections.py build_marks), laid onto the
corpus's tokens (tutor/domain/token_alignment.py) and counted as MultiGED-2023 counts.

No Qt: `run_score` runs on a worker thread, `plan.parallel` requests at once. What
stops a run (a refused key, a dead server, an unknown model) is said in `problem`; a
sentence without a usable answer is counted as failed and the run goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from tutor.domain.coach_prompt import coach_messages
from tutor.domain.coach_score import Scorecard, TokenCounts
from tutor.domain.conversation import estimate_tokens
from tutor.domain.corrections import CoachPath, CorrectionStyle, build_marks
from tutor.domain.learner_corpus import LabelledSentence
from tutor.domain.levels import Level
from tutor.domain.model_prices import known_price
from tutor.domain.profile import LearnerProfile
from tutor.domain.token_alignment import marked_tokens, token_counts
from tutor.i18n.translate import _
from tutor.llm.client import ChatClient
from tutor.llm.coach import CoachRequest, check_message
from tutor.llm.errors import ErrorKind, explain
from tutor.services.score_sources import (
    ScoreError as ScoreError,
)
from tutor.services.score_sources import (
    ScoreSource as ScoreSource,
)
from tutor.services.score_sources import (
    load_sentences,
)
from tutor.services.score_sources import (
    score_sources as score_sources,
)

log = logging.getLogger(__name__)

DEFAULT_LEVEL = Level.B1
DEFAULT_NATIVE = "en"
# Failures that no other sentence would escape: the run stops and says why.
STOPPING = frozenset(
    {
        ErrorKind.BAD_KEY,
        ErrorKind.FORBIDDEN,
        ErrorKind.NOT_FOUND,
        ErrorKind.UNREACHABLE,
        ErrorKind.RATE_LIMITED,
    }
)
FAILURES_IN_A_ROW = 10
"""So many sentences in a row without a usable answer stop the run: the model cannot
do this, and the rest would fail the same way at the learner's expense."""
COMPLETION_OVERHEAD = 60
"""Tokens of a coach answer beyond the corrected sentence: the JSON keys and a few
items. An estimate, as is everything in a plan."""


@dataclass(frozen=True)
class ScorePlan:
    source: ScoreSource
    sentences: int
    """After --limit."""
    requests: int
    """One a sentence (the JSON-path fallback may add some)."""
    estimated_prompt_tokens: int
    estimated_completion_tokens: int
    price: float | None
    """US dollars, where Tutor knows the model's price (tutor/domain/model_prices.py)."""
    base_url: str
    model: str
    style: CorrectionStyle
    parallel: int
    level: Level = DEFAULT_LEVEL
    """The learner level the coach is told the writer has."""
    native_language: str = DEFAULT_NATIVE
    """The language the coach explains in (explanations are not scored)."""
    file: Path | None = None
    """The learner's own TSV, for a "file:" source."""
    first_path: CoachPath = CoachPath.JSON_SCHEMA
    """Where the JSON-path fallback starts: where it last worked for this server."""

    @property
    def profile(self) -> LearnerProfile:
        return LearnerProfile(self.source.language, self.level, self.native_language)


@dataclass(frozen=True)
class ScoreProgress:
    done: int
    """Sentences answered or failed so far."""
    total: int
    counts: TokenCounts
    failed: int


@dataclass(frozen=True)
class ScoreOutcome:
    card: Scorecard
    """complete=False when cancelled or stopped by a failure."""
    problem: str | None
    """In the interface's language, plain: why the run stopped; None if it did not."""
    path: CoachPath | None = None
    """The JSON path that worked, for the caller to remember (CorrectionStore)."""


def plan_score(
    source: ScoreSource,
    *,
    limit: int | None,
    base_url: str,
    model: str,
    style: CorrectionStyle,
    parallel: int,
    file: Path | None = None,
    level: Level = DEFAULT_LEVEL,
    native_language: str = DEFAULT_NATIVE,
    first_path: CoachPath = CoachPath.JSON_SCHEMA,
) -> ScorePlan:
    """What a run will send, before it runs; ScoreError if the source cannot be read or
    its language is not known."""
    if not source.language:
        raise ScoreError(_("Choose the language of the texts in your file."))
    if native_language == source.language:
        # The coach explains in another language than the one it corrects, as in practice.
        native_language = DEFAULT_NATIVE if source.language != DEFAULT_NATIVE else "es"
    sentences = _chosen(load_sentences(source, file), limit)
    profile = LearnerProfile(source.language, level, native_language)
    prompt = completion = 0
    for sentence in sentences:
        messages = coach_messages(profile, style, sentence.text, "", first_path)
        prompt += sum(estimate_tokens(m["content"]) for m in messages)
        completion += 2 * estimate_tokens(sentence.text) + COMPLETION_OVERHEAD
    price = known_price(base_url, model)
    return ScorePlan(
        source=source,
        sentences=len(sentences),
        requests=len(sentences),
        estimated_prompt_tokens=prompt,
        estimated_completion_tokens=completion,
        price=price.cost(prompt, completion) if price else None,
        base_url=base_url,
        model=model,
        style=style,
        parallel=max(1, parallel),
        level=level,
        native_language=native_language,
        file=file,
        first_path=first_path,
    )


def _chosen(sentences: list[LabelledSentence], limit: int | None) -> list[LabelledSentence]:
    return sentences if limit is None else sentences[: max(0, limit)]


@dataclass
class _Tally:
    """The run so far, shared by the worker threads (under `lock`)."""

    total: int
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_index: int = 0
    done: int = 0
    scored: int = 0
    tokens: int = 0
    failed: int = 0
    failed_in_a_row: int = 0
    requests: int = 0
    counts: TokenCounts = field(default_factory=TokenCounts)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    usage_known: bool = False
    problem: str | None = None
    path: CoachPath | None = None


def run_score(
    plan: ScorePlan,
    client: ChatClient,
    *,
    on_progress: Callable[[ScoreProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> ScoreOutcome:
    """Runs on a worker thread (never the GUI thread): `plan.parallel` coach requests at
    once, exactly as in practice. on_progress is called from worker threads. ScoreError
    if the source cannot be read."""
    sentences = _chosen(load_sentences(plan.source, plan.file), plan.sentences)
    cancel = cancel or threading.Event()
    stop = threading.Event()
    tally = _Tally(total=len(sentences), path=plan.first_path)
    started = time.monotonic()

    def work() -> None:
        while not cancel.is_set() and not stop.is_set():
            with tally.lock:
                if tally.next_index >= len(sentences):
                    return
                sentence = sentences[tally.next_index]
                tally.next_index += 1
                first_path = tally.path or plan.first_path
            progress = _check(plan, client, sentence, first_path, tally, stop)
            if progress is not None and on_progress is not None:
                on_progress(progress)

    workers = max(1, min(plan.parallel, len(sentences)))
    with ThreadPoolExecutor(workers, thread_name_prefix="coach-score") as pool:
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()
    complete = tally.done == len(sentences) and tally.problem is None
    card = Scorecard(
        base_url=plan.base_url,
        model=plan.model,
        language=plan.source.language,
        corpus=plan.source.corpus,
        style=plan.style.key,
        sentences=tally.scored,
        tokens=tally.tokens,
        requests=tally.requests,
        failed=tally.failed,
        counts=tally.counts,
        prompt_tokens=tally.prompt_tokens if tally.usage_known else None,
        completion_tokens=tally.completion_tokens if tally.usage_known else None,
        seconds=time.monotonic() - started,
        complete=complete,
        measured_at=datetime.now(UTC),
    )
    return ScoreOutcome(card, tally.problem, tally.path)


def _check(
    plan: ScorePlan,
    client: ChatClient,
    sentence: LabelledSentence,
    first_path: CoachPath,
    tally: _Tally,
    stop: threading.Event,
) -> ScoreProgress | None:
    """Ask the coach about one sentence and add what it found to the tally; the run so
    far, as it stood right after (None when the run stopped on this sentence, which is
    then not counted)."""
    request = CoachRequest(
        profile=plan.profile,
        style=plan.style,
        learner_text=sentence.text,
        partner_line="",
        model=plan.model,
        first_path=first_path,
    )
    try:
        result = check_message(cast(ChatClient, _Counted(client, tally)), request)
    except Exception as error:  # any failure is one sentence's, or the whole run's
        failure = explain(error, plan.base_url, plan.model)
        with tally.lock:
            if failure.kind in STOPPING:
                # A sentence in flight when the run stopped is not a failure of the model.
                if tally.problem is None:
                    tally.problem = failure.message
                stop.set()
                return None
            log.info("coach score: no usable answer (%s): %s", failure.kind, failure.message)
            tally.done += 1
            tally.failed += 1
            tally.failed_in_a_row += 1
            if tally.failed_in_a_row >= FAILURES_IN_A_ROW and tally.problem is None:
                tally.problem = _(
                    "The coach gave no usable answer for {count} sentences in a row, so the "
                    "measurement stopped. The last problem: {problem}"
                ).format(count=FAILURES_IN_A_ROW, problem=failure.message)
                stop.set()
            return _progress(tally)
    marks = build_marks(sentence.text, result.verdict)
    predicted = marked_tokens(sentence.text, sentence.spans, marks)
    counts = token_counts(sentence.wrong, predicted)
    with tally.lock:
        tally.path = result.path
        tally.done += 1
        tally.scored += 1
        tally.failed_in_a_row = 0
        tally.tokens += len(sentence.tokens)
        tally.counts += counts
        if result.usage is not None:
            tally.usage_known = True
            tally.prompt_tokens += result.usage.prompt_tokens
            tally.completion_tokens += result.usage.completion_tokens
        return _progress(tally)


def _progress(tally: _Tally) -> ScoreProgress:
    """Called with the tally's lock held."""
    return ScoreProgress(tally.done, tally.total, tally.counts, tally.failed)


class _Counted:
    """The client, counting the coach requests sent through it (check_message may send
    one a JSON path)."""

    def __init__(self, client: ChatClient, tally: _Tally) -> None:
        self._client = client
        self._tally = tally

    def complete(self, *args: Any, **kwargs: Any) -> Any:
        with self._tally.lock:
            self._tally.requests += 1
        return self._client.complete(*args, **kwargs)
