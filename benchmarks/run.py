"""Every performance figure of the issue "Fast", in one run: a table and a JSON file.

Run:   .venv/bin/python -m benchmarks.run [--quick] [--json benchmarks/results.json]
       [--only startup,streaming,request,history,search,database,word_help,level_fit,
       progress]

It builds the data dirs itself (1,000 sessions and 100,000 messages in six languages;
--quick: 60 sessions and 6,000 messages, small sessions, few repetitions, a smoke test
whose numbers mean little), then runs each benchmark in a process of its own, so that
Qt, memory and caches start clean, and prints one row per figure: what, target,
measured, pass or fail. Wall-clock targets live here, never in the test suite.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import Config, Figure

REPO = Path(__file__).resolve().parent.parent
DEFAULT_JSON = Path(__file__).with_name("results.json")
WORKER_MARK = "BENCHMARK-FIGURES "

# Each benchmark and the figures it reports, so a benchmark that fails still has its
# rows (as errors) in the table and the JSON.
BENCHMARKS: dict[str, tuple[str, ...]] = {
    "startup": ("startup.ratio", "startup.ready_ratio"),
    "streaming": (
        "streaming.piece_ratio",
        "streaming.piece_ms",
        "streaming.live_cpu_ratio",
        "streaming.latency_p99",
    ),
    "request": ("request.overhead_ms",),
    "history": (
        "history.open_ms",
        "history.sidebar_refresh_ms",
        "history.scroll_step_p99",
        "history.memory_ratio",
        "history.memory_ratio_all_drawn",
    ),
    "search": ("search.p95_ms", "search.short_p95_ms"),
    "reading_aids": (
        "reading_aids.startup_libraries",
        "reading_aids.load_zh_ms",
        "reading_aids.reply_zh_ms",
        "reading_aids.load_ja_ms",
        "reading_aids.reply_ja_ms",
        "reading_aids.load_ko_ms",
        "reading_aids.reply_ko_ms",
        "reading_aids.paint_ms",
        "reading_aids.room_turn_ms",
    ),
    "database": (
        "database.one_transaction",
        "database.add_message_ms",
        "database.correction_begin_ms",
        "database.correction_save_ms",
        "database.save_partial_p99_ms",
    ),
    "word_help": (
        "word_help.lemma_cold_ms",
        "word_help.lemma_warm_us",
        "word_help.click_kept_ms",
        "word_help.open_translations_ms",
    ),
    "say_help": ("say_help.ask_ms", "say_help.draw_added_ms"),
    "memory": ("memory.steering_ms", "memory.keep_ms"),
    "practice": ("practice.button_ms", "practice.choose_ms"),
    "voice_speaking": (
        "voice_speaking.release_ms",
        "voice_speaking.landing_ms",
        "voice_speaking.recording_lateness_p99",
    ),
    "level_fit": ("level_fit.reply_ms", "level_fit.load_s", "level_fit.startup_free"),
    "progress": (
        "progress.read_ms",
        "progress.count_s",
        "progress.gui_pause_ms",
        "progress.show_ms",
    ),
    "voice": (
        "voice.speech_request_ms",
        "voice.system_start_ms",
        "voice.heard_before_end_system_ms",
        "voice.heard_before_end_server_ms",
        "voice.speaking_latency_p99",
    ),
    # The coach's scorecard (benchmarks/coach_score.py).
    "coach_score": (
        "coach_score.scorer_ms",
        "coach_score.run_per_second_1",
        "coach_score.run_speedup_4",
    ),
}
MODULES = {"voice": "voice_listening"}
"""A benchmark whose module is named otherwise (benchmarks/<module>.py)."""
# The large data dir: (sessions, messages).
SIZES = {False: (1000, 100_000), True: (60, 6_000)}


def build_data(folder: Path, quick: bool) -> Path:
    from benchmarks.data import build_data_dir

    sessions, messages = SIZES[quick]
    started = time.perf_counter()
    build_data_dir(folder / "data", sessions=sessions, messages=messages)
    print(
        f"built {sessions:,} sessions, {messages:,} messages in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return folder / "data"


def run_worker(name: str, config: Config) -> list[Figure]:
    module = importlib.import_module(f"benchmarks.{MODULES.get(name, name)}")
    runner: Callable[[Config], list[Figure]] = module.run
    return runner(config)


def spawn_worker(name: str, data: Path, work: Path, quick: bool) -> list[dict[str, Any]]:
    """Run one benchmark in a new process; its figures as JSON dicts."""
    command = [sys.executable, "-m", "benchmarks.run", "--worker", name]
    command += ["--data", str(data), "--work", str(work)] + (["--quick"] if quick else [])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed Tutor: .pyc files kept
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    for line in done.stdout.splitlines():
        if line.startswith(WORKER_MARK):
            print(f"  {name}: {elapsed:.1f} s", flush=True)
            figures: list[dict[str, Any]] = json.loads(line[len(WORKER_MARK) :])
            return figures
    problem = (done.stderr.strip() or done.stdout.strip() or f"exit {done.returncode}")[-2000:]
    print(f"  {name}: FAILED after {elapsed:.1f} s\n{problem}", flush=True)
    return [_error_figure(key, problem) for key in BENCHMARKS[name]]


def _error_figure(key: str, problem: str) -> dict[str, Any]:
    figure = Figure(key, key, math.nan, "", None, measured="error", details={"error": problem})
    return figure.to_json()


def table(figures: list[dict[str, Any]]) -> str:
    rows = [("figure", "target", "measured", "result")]
    for figure in figures:
        passed = figure["passed"]
        verdict = "PASS" if passed else "FAIL" if passed is False else "-"
        rows.append((figure["title"], figure["target_text"], figure["measured"], verdict))
    widths = [min(60, max(len(row[i]) for row in rows)) for i in range(3)]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[i][: widths[i]].ljust(widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]))
        if number == 0:
            lines.append("  ".join("-" * w for w in [*widths, 6]))
    return "\n".join(lines)


def markdown_table(figures: list[dict[str, Any]]) -> str:
    """The same table as Markdown, for docs/performance.md."""
    lines = ["| Figure | Target | Measured | Result |", "| --- | --- | --- | --- |"]
    for figure in figures:
        passed = figure["passed"]
        verdict = "pass" if passed else "**fail**" if passed is False else "—"
        lines.append(
            f"| {figure['title']} | {figure['target_text']} | {figure['measured']} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small data, few repetitions")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write")
    parser.add_argument("--only", help="comma-separated benchmarks: " + ",".join(BENCHMARKS))
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        config = Config(quick=args.quick, data=args.data, work=args.work)
        try:
            measured = run_worker(args.worker, config)
        except Exception:
            traceback.print_exc()
            return 1
        print(WORKER_MARK + json.dumps([f.to_json() for f in measured], ensure_ascii=False))
        return 0

    chosen = list(BENCHMARKS) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tutor-bench-") as folder:
        data = build_data(Path(folder), args.quick)
        figures: list[dict[str, Any]] = []
        for name in chosen:
            work = Path(folder) / f"work-{name}"
            work.mkdir()
            figures += spawn_worker(name, data, work, args.quick)
    print()
    print(table(figures))
    if args.markdown:
        print()
        print(markdown_table(figures))
    result = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "qt_platform": "offscreen",
        },
        "figures": figures,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nwrote {args.json} ({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
