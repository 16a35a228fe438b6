"""`tutor coach-score`: measure the coach's model on labelled learner sentences.

The server, model and key are chosen as the window chooses them (tutor/services/
server.py): `--base-url`, then OPENAI_BASE_URL, then Settings; `--model`, then the
coach's model in Settings (or the partner's); the key from OPENAI_API_KEY, else the
keyring. The correction style is Settings' unless `--style` says otherwise. The run
itself is the window's (tutor/services/coach_score.py); the card is kept in the
database as the window keeps it.

Output is plain English, as the rest of the command line: the plan, progress on
standard error, then the figures. Ctrl-C stops the run and keeps what was measured.
A failure is one line on standard error and exit status 1.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

from tutor.paths import AppPaths

if TYPE_CHECKING:
    from tutor.cli.arguments import Options
    from tutor.domain.coach_score import Scorecard
    from tutor.domain.corrections import CorrectionStyle
    from tutor.domain.settings import Settings
    from tutor.llm.client import Timeouts
    from tutor.services.coach_score import ScorePlan, ScoreProgress, ScoreSource

REFERENCE_SYSTEM = "EliCoDe, MultiGED-2023's best system, trained for this task"
_LABEL = 13


class ScoreCommandError(Exception):
    """What stopped the command, in one line."""


def coach_score(
    options: Options,
    out: TextIO,
    err: TextIO,
    *,
    environ: Mapping[str, str] | None = None,
    key_backend: Any = None,
    timeouts: Timeouts | None = None,
) -> int:
    """Run `tutor coach-score`; the exit status (0: measured, 1: failed, 130: stopped)."""
    try:
        return _run(options, out, err, environ, key_backend, timeouts)
    except ScoreCommandError as error:
        print(f"tutor: {error}", file=err)
        return 1


def _run(
    options: Options,
    out: TextIO,
    err: TextIO,
    environ: Mapping[str, str] | None,
    key_backend: Any,
    timeouts: Timeouts | None,
) -> int:
    from tutor.llm.client import ChatClient
    from tutor.llm.errors import LlmError
    from tutor.services import server
    from tutor.services.coach_score import ScoreError, plan_score
    from tutor.store.secrets import KeyStore
    from tutor.store.server_habits import HabitsFile
    from tutor.store.settings_file import SettingsFile

    environ = os.environ if environ is None else environ
    paths = AppPaths.chosen(options.data_dir)
    settings = SettingsFile(paths.settings).peek().settings
    overrides = server.Overrides.from_environment(
        environ, base_url=options.base_url, model=options.model
    )
    source = _source(options)
    base_url = server.chosen_base_url(overrides, settings).value
    if not base_url:
        raise ScoreCommandError(
            "No model server is set up: give --base-url (or OPENAI_BASE_URL), or choose one "
            "in Tutor's Settings."
        )
    model = options.model or server.coach_model(overrides, settings)
    if not model:
        raise ScoreCommandError("No model is chosen: give --model, or choose one in Settings.")
    from tutor.domain.levels import Level

    with _database(paths) as db:
        from tutor.store.corrections import CorrectionStore

        first_path = CorrectionStore(db).coach_path(base_url, model)
        try:
            plan = plan_score(
                source,
                limit=options.score_limit,
                base_url=base_url,
                model=model,
                style=_style(options.score_style, settings),
                parallel=options.score_parallel or settings.score_parallel_requests,
                file=options.score_file,
                level=options.level or Level.B1,
                native_language=_native(options, source.language),
                **({"first_path": first_path} if first_path else {}),
            )
        except ScoreError as error:
            raise ScoreCommandError(str(error)) from error
        _print_plan(plan, out)
        key = server.api_key(overrides, KeyStore(key_backend), base_url)
        # What the window learned about this server (a parameter it refuses...) applies.
        habits = HabitsFile(paths.server_habits)
        try:
            config = server.connection(base_url, model, key, settings)
            client = ChatClient(config, timeouts, habits)
        except LlmError as error:
            raise ScoreCommandError(error.message) from error
        outcome, interrupted = _measure(plan, client, err)
        card = outcome.card
        if outcome.path is not None:
            CorrectionStore(db).remember_coach_path(base_url, model, outcome.path)
        saved = None
        if card.sentences > 0:
            from tutor.store.coach_scores import CoachScoreStore

            saved = CoachScoreStore(db).save(card)
    _print_card(plan, card, out)
    if saved is not None:
        print(f"{'Kept':<{_LABEL}}as scorecard {saved} in {paths.database}", file=out)
    if outcome.problem:
        raise ScoreCommandError(" ".join(outcome.problem.split()))
    if interrupted:
        print("tutor: stopped; the figures cover the sentences measured before", file=err)
        return 130
    return 0


def _source(options: Options) -> ScoreSource:
    from tutor.services.coach_score import ScoreError, score_sources
    from tutor.services.score_sources import file_source

    language = options.language or ""
    if options.score_file is not None:
        try:
            return file_source(options.score_file, language)
        except ScoreError as error:
            raise ScoreCommandError(str(error)) from error
    found = [s for s in score_sources() if s.language == language]
    if not found:
        known = ", ".join(sorted({s.language for s in score_sources()}))
        raise ScoreCommandError(
            f"Tutor has no labelled learner texts in '{language}' (it has: {known}). "
            "Give your own with --file F.tsv."
        )
    return found[0]


def _style(name: str | None, settings: Settings) -> CorrectionStyle:
    from tutor.domain.corrections import CorrectionScope, CorrectionStyle

    style = settings.corrections
    if name is None:
        return style
    plain = CorrectionStyle(explanations=style.explanations)
    return {
        "default": plain,
        "precise": replace(plain, precise=True),
        "strict": replace(plain, strict=True),
        "meaning": replace(plain, scope=CorrectionScope.MEANING),
    }[name]


def _native(options: Options, target: str) -> str:
    native = options.native or "en"
    if native == target:  # the coach explains in another language than it corrects
        return "en" if target != "en" else "es"
    return native


@contextmanager
def _database(paths: AppPaths) -> Iterator[sqlite3.Connection]:
    """The learner's database, created if need be: a scorecard is worth keeping."""
    from tutor.store.database import DatabaseError, open_database

    try:
        paths.database.parent.mkdir(parents=True, exist_ok=True)
        db = open_database(paths.database)
    except (DatabaseError, OSError) as error:
        raise ScoreCommandError(f"The conversation file {paths.database}: {error}") from error
    try:
        yield db
    finally:
        db.close()


def _measure(plan: ScorePlan, client: Any, err: TextIO) -> tuple[Any, bool]:
    """Run on a worker thread, so Ctrl-C here cancels it (and keeps what was measured)."""
    from tutor.services.coach_score import run_score

    cancel = threading.Event()
    result: list[Any] = []
    failure: list[BaseException] = []
    progress = _Progress(err, plan.sentences)
    finished = threading.Event()

    def work() -> None:
        try:
            result.append(run_score(plan, client, on_progress=progress.show, cancel=cancel))
        except BaseException as error:  # handed to the main thread, said there
            failure.append(error)
        finally:
            finished.set()

    worker = threading.Thread(target=work, name="coach-score", daemon=True)
    worker.start()
    interrupted = False
    # An Event, not worker.join(): a join interrupted by Ctrl-C can leave the thread
    # looking finished while it still runs (CPython 3.11).
    while not finished.is_set():
        try:
            finished.wait(0.2)
        except KeyboardInterrupt:
            interrupted = True
            cancel.set()
            print("\nstopping after the requests in flight…", file=err, flush=True)
    progress.end()
    if failure:
        from tutor.services.coach_score import ScoreError

        if isinstance(failure[0], ScoreError):
            raise ScoreCommandError(str(failure[0]))
        raise failure[0]
    return result[0], interrupted


class _Progress:
    """ "12/50 sentences" on standard error: rewritten in place on a terminal, one line a
    tenth of the way in a log."""

    def __init__(self, err: TextIO, total: int) -> None:
        self._err = err
        self._total = total
        self._tty = bool(getattr(err, "isatty", lambda: False)())
        self._lock = threading.Lock()
        self._shown = 0

    def show(self, progress: ScoreProgress) -> None:
        with self._lock:
            step = max(1, progress.total // 10)
            if progress.done <= self._shown:
                return
            if not self._tty and progress.done % step and progress.done != progress.total:
                return
            self._shown = progress.done
            failed = f", {progress.failed} failed" if progress.failed else ""
            line = f"{progress.done}/{progress.total} sentences{failed}"
            if self._tty:
                print(f"\r{line}", end="", file=self._err, flush=True)
            else:
                print(line, file=self._err)

    def end(self) -> None:
        if self._tty:
            print(file=self._err)


def _print_plan(plan: ScorePlan, out: TextIO) -> None:
    from tutor.domain.model_prices import PRICES_CHECKED

    source = plan.source
    print(f"Measuring the coach on {source.title}: {plan.sentences} sentences", file=out)
    print(f"{'Server':<{_LABEL}}{plan.base_url}", file=out)
    print(
        f"{'Model':<{_LABEL}}{plan.model}, style {plan.style.key}, writers at {plan.level}, "
        f"{plan.parallel} at once",
        file=out,
    )
    tokens = plan.estimated_prompt_tokens + plan.estimated_completion_tokens
    print(
        f"{'Plan':<{_LABEL}}{plan.requests} requests, about {tokens:,} tokens "
        f"({plan.estimated_prompt_tokens:,} in, {plan.estimated_completion_tokens:,} out)",
        file=out,
    )
    if plan.price is None:
        price = "unknown (Tutor knows only OpenAI's list prices, for OpenAI's server)"
    else:
        price = f"about ${plan.price:.4f} (OpenAI list price of {PRICES_CHECKED})"
    print(f"{'Price':<{_LABEL}}{price}", file=out, flush=True)


def _print_card(plan: ScorePlan, card: Scorecard, out: TextIO) -> None:
    counts = card.counts
    rows = [
        ("Precision", _percent(counts.precision, "nothing was marked")),
        ("Recall", _percent(counts.recall, "no labelled mistakes")),
        ("F0.5", _percent(counts.f05, "undefined")),
        (
            "Counts",
            f"{counts.true_positives} marked and labelled, {counts.false_positives} marked "
            f"but correct, {counts.false_negatives} missed",
        ),
        ("Sentences", f"{card.sentences} scored, {card.failed} failed"),
        ("Tokens", str(card.tokens)),
        ("Requests", str(card.requests)),
        ("Time", f"{card.seconds:.1f} s"),
        ("Token usage", _usage(card)),
    ]
    if not card.complete:
        rows.insert(0, ("Partial", f"{card.sentences + card.failed} of {plan.sentences} done"))
    reference = plan.source.reference_f05
    if reference is not None:
        rows.append(("Reference", f"F0.5 {reference:.2f}% ({REFERENCE_SYSTEM})"))
    rows.append(("Data", plan.source.attribution))
    for label, value in rows:
        print(f"{label:<{_LABEL}}{value}", file=out)


def _percent(value: float | None, why_none: str) -> str:
    return f"{100 * value:.1f}%" if value is not None else f"n/a ({why_none})"


def _usage(card: Scorecard) -> str:
    if card.prompt_tokens is None or card.completion_tokens is None:
        return "not reported by the server"
    return f"{card.prompt_tokens:,} in, {card.completion_tokens:,} out"
