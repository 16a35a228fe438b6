"""Start-up: from process start to the main window painted, against a bare Qt window.

Run: .venv/bin/python -m benchmarks.startup --data-dir DIR [--runs N]
(benchmarks.run builds DIR with 1,000 sessions and 100,000 messages.)

Each run is a new process: `python -m tutor --data-dir DIR --measure-startup`, or the
floor, `benchmarks/startup_floor.py`, a PySide6 script that shows an empty QMainWindow
of the same size. Runs alternate (floor, Tutor, floor, Tutor, ...) so a busy moment on
the machine hits both; the figure is the ratio of the medians.

Tutor prints two lines: the first paint of its window (the frame: title, size, menus,
"Opening your conversations…"), which is the figure, and then the moment the window is
ready to use, its last session painted, which is reported beside it.

Two clocks, both honest, are kept: this process's monotonic clock from just before the
child is spawned to the moment its line arrives on the pipe (the figure: precise, and it
includes fork and exec, the same for both), and what the child itself prints (from its
start time in /proc/self/stat, 10 ms ticks).

Both children run with .pyc files written (PYTHONDONTWRITEBYTECODE removed) after one
untimed run each, as an installed Tutor does: compiling every module from source on each
start measures the development set-up, not Tutor.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Config, Figure, ms

FLOOR_SCRIPT = Path(__file__).with_name("startup_floor.py")
REPO = Path(__file__).resolve().parent.parent
_LINE = re.compile(r"([\d.]+) ms from process start to the first painted window")
_READY = re.compile(r"([\d.]+) ms from process start to the window ready to use")
TIMEOUT_S = 60.0


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    env["QT_QPA_PLATFORM"] = env.get("BENCH_QT_PLATFORM", "offscreen")
    env.setdefault("QT_SCALE_FACTOR", "1")
    return env


def one_run(command: list[str]) -> tuple[float, float, float | None]:
    """(ms from spawn to the painted line, as this process saw it; ms the child printed;
    ms the child printed for "ready to use", if it prints that)."""
    started = time.monotonic()
    child = subprocess.Popen(
        command,
        cwd=REPO,
        env=child_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    try:
        readable, _, _ = select.select([child.stdout], [], [], TIMEOUT_S)
        if not readable:
            raise TimeoutError(f"{command} printed nothing in {TIMEOUT_S:.0f} s")
        line = child.stdout.readline()
        seen = ms(time.monotonic() - started)
        found = _LINE.search(line)
        if found is None:
            raise RuntimeError(f"{command} printed {line!r}, not its start-up time")
        ready_line = _READY.search(child.stdout.read())
        # The child goes on to quit (Tutor waits for its warm-up thread): let it finish,
        # so it does not steal the CPU from the next run.
        child.wait(timeout=TIMEOUT_S)
        ready = float(ready_line.group(1)) if ready_line else None
        return seen, float(found.group(1)), ready
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def measure(data_dir: Path, runs: int) -> dict[str, list[float]]:
    python = sys.executable
    tutor = [python, "-m", "tutor", "--data-dir", str(data_dir), "--measure-startup"]
    floor = [python, str(FLOOR_SCRIPT)]
    # Untimed: writes the .pyc files and brings the files into the page cache.
    one_run(floor)
    one_run(tutor)
    found: dict[str, list[float]] = {
        "floor_ms": [],
        "tutor_ms": [],
        "floor_printed_ms": [],
        "tutor_printed_ms": [],
        "tutor_ready_printed_ms": [],
    }
    for _ in range(runs):
        for name, command in (("floor", floor), ("tutor", tutor)):
            seen, printed, ready = one_run(command)
            found[f"{name}_ms"].append(round(seen, 1))
            found[f"{name}_printed_ms"].append(round(printed, 1))
            if ready is not None:
                found["tutor_ready_printed_ms"].append(round(ready, 1))
    return found


def run(config: Config) -> list[Figure]:
    runs = 3 if config.quick else 15
    found = measure(config.data, runs)
    floor = statistics.median(found["floor_ms"])
    tutor = statistics.median(found["tutor_ms"])
    floor_printed = statistics.median(found["floor_printed_ms"])
    printed_ratio = statistics.median(found["tutor_printed_ms"]) / floor_printed
    ready = statistics.median(found["tutor_ready_printed_ms"])
    return [
        Figure(
            "startup.ratio",
            "Start-up to painted window, vs a bare PySide6 window",
            tutor / floor,
            "×",
            1.3,
            measured=f"{tutor / floor:.2f}× ({tutor:.0f} ms vs floor {floor:.0f} ms, "
            f"medians of {runs} alternating runs)",
            details={
                "tutor_median_ms": tutor,
                "floor_median_ms": floor,
                "ratio_from_printed_times": round(printed_ratio, 3),
                **found,
            },
        ),
        Figure(
            "startup.ready_ratio",
            "Start-up to the last session painted and ready, vs the same floor",
            ready / floor_printed,
            "×",
            None,
            measured=f"{ready / floor_printed:.2f}× ({ready:.0f} ms vs floor "
            f"{floor_printed:.0f} ms, as the processes printed them)",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    found = measure(args.data_dir, args.runs)
    for name, values in found.items():
        print(f"{name:>18}: median {statistics.median(values):7.1f}  {values}")


if __name__ == "__main__":
    main()
