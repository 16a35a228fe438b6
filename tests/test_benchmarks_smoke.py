"""`benchmarks.run --quick` completes and writes every figure.

Only that: whether a figure meets its target depends on the machine and is judged by
the benchmark itself, never here (a timed assertion fails on a busy machine).

It takes about a minute, so it is marked slow and skipped unless asked for:
    .venv/bin/python -m pytest -m slow tests/test_benchmarks_smoke.py
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import BENCHMARKS

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_run_writes_every_figure(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("slow (about a minute): run with -m slow")
    results = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--json", str(results)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    data = json.loads(results.read_text(encoding="utf-8"))
    assert data["quick"] is True
    figures = data["figures"]
    assert [f["key"] for f in figures] == [key for keys in BENCHMARKS.values() for key in keys]
    for figure in figures:
        assert "error" not in figure["details"], (figure["key"], figure["details"])
        assert isinstance(figure["value"], int | float), figure["key"]
        assert not math.isnan(figure["value"]), figure["key"]
        assert figure["title"] and figure["measured"] and figure["target_text"]
        assert figure["passed"] in (True, False, None)
    assert data["figures"] and "figure" in done.stdout  # the table was printed too
