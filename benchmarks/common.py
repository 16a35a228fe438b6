"""What every benchmark shares: the figure it reports, statistics, memory, Qt helpers."""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure and its target.

    `value` is what the target is judged on; where the issue names a baseline measured in
    the same run (start-up, streaming), it is the ratio against that baseline.
    """

    key: str
    title: str
    value: float
    unit: str
    target: float | None
    """None: reported, no target."""
    higher_is_worse: bool = True
    measured: str = ""
    """The value in words, with what it was compared with."""
    details: dict[str, Any] = field(default_factory=dict)
    passed_override: bool | None = None
    """For a yes/no figure (value 1 or 0) whose pass is not a comparison."""
    target_label: str | None = None
    """The target in words, where it is not a number (a yes/no figure)."""

    @property
    def passed(self) -> bool | None:
        if self.passed_override is not None:
            return self.passed_override
        if self.target is None or math.isnan(self.value):
            return None
        return self.value <= self.target if self.higher_is_worse else self.value >= self.target

    @property
    def target_text(self) -> str:
        if self.target_label is not None:
            return self.target_label
        if self.target is None:
            return "(reported)"
        sign = "≤" if self.higher_is_worse else "≥"
        return f"{sign} {_number(self.target)} {self.unit}".rstrip()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("passed_override")
        data.pop("target_label")
        data["value"] = None if math.isnan(self.value) else self.value
        data["passed"] = self.passed
        data["target_text"] = self.target_text
        return data


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) >= 0.01 or value == 0 else f"{value:.4f}"


def ms(seconds: float) -> float:
    return seconds * 1000.0


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile with linear interpolation (0.95: the 95th percentile)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, 95th and 99th percentile, worst and count, rounded for the JSON."""
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "median": round(statistics.median(values), 4),
        "p95": round(percentile(values, 0.95), 4),
        "p99": round(percentile(values, 0.99), 4),
        "max": round(max(values), 4),
    }


def rss_mb() -> float:
    """This process's resident memory (VmRSS) in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def offscreen() -> None:
    """Qt draws into memory: the benchmarks run the same with or without a screen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_SCALE_FACTOR", "1")
    os.environ.pop("OPENAI_API_KEY", None)
    os.environ.pop("OPENAI_BASE_URL", None)
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Run the Qt event loop until `condition` holds; TimeoutError after `timeout` s."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition did not hold in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.0005)


def spin(seconds: float) -> None:
    """Run the Qt event loop for `seconds`."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


@dataclass(frozen=True)
class Config:
    """What a benchmark is given: the size of the run and where its data is."""

    quick: bool
    data: Path
    """The large data dir (sessions, messages, settings) built for this run. Benchmarks
    that write copy it first, so the others see it as built."""
    work: Path
    """A scratch folder of this benchmark's own."""
