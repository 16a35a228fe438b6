"""The fit meter's cost: one partner reply of about 60 words measured against the
learner's level, in Spanish, Japanese and Chinese, and the word lists' one-time load.

Run: .venv/bin/python -m benchmarks.run --only level_fit
(or directly: .venv/bin/python -m benchmarks.level_fit)

The replies are cut from the graded passages in tests/data/level_texts (whole sentences
until about 60 counted words), every level's, so they hold the words a partner uses,
common and rare. Each reply is measured the first time it is seen (wordfreq and the
lemmas cache the words they have looked up, so a reply of new words costs most: that is
the figure) and again once seen. The load is timed apart, in this fresh process: the
first call in a language loads its frequency list and tokenizer (jieba, MeCab).

Start-up: a fresh interpreter imports the window's modules, the meter's controller
among them, and must not have loaded wordfreq, jieba, MeCab or simplemma; the start-up
benchmark (--only startup) times the first paint itself.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Config, Figure, ms

REPO = Path(__file__).resolve().parent.parent
TEXTS = REPO / "tests" / "data" / "level_texts"
LANGUAGES = ("es", "ja", "zh")
REPLY_WORDS = 60
TARGET_MS = 2.0
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
_HEAVY = ("wordfreq", "jieba", "MeCab", "simplemma")
_STARTUP_IMPORTS = (
    "tutor.app",
    "tutor.ui.shell.main_window",
    "tutor.ui.chat.level_fit_view",
    "tutor.services.level_fit",
    "tutor.domain.level_fit",
)


def replies(language: str) -> list[str]:
    """Whole sentences of the language's passages, grouped into replies of about
    REPLY_WORDS counted words."""
    from tutor.domain.level_fit import text_words

    sentences = [
        sentence
        for path in sorted((TEXTS / language).glob("*.txt"))
        for sentence in _SENTENCE.split(path.read_text(encoding="utf-8").strip())
        if sentence
    ]
    joiner = "" if language in ("ja", "zh") else " "
    found: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        current.append(sentence)
        text = joiner.join(current)
        if len(text_words(text, language)) >= REPLY_WORDS:
            found.append(text)
            current = []
    return found


def startup_loads() -> list[str]:
    """The heavy modules a fresh interpreter has loaded after importing the window's."""
    code = (
        "import importlib, sys\n"
        f"for name in {_STARTUP_IMPORTS!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(','.join(m for m in {_HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    return [name for name in done.stdout.strip().split(",") if name]


def run(config: Config) -> list[Figure]:
    from tutor.domain import word_frequency
    from tutor.domain.level_fit import level_fit
    from tutor.domain.levels import Level

    loaded = startup_loads()
    load_s: dict[str, float] = {}
    first: dict[str, list[float]] = {}
    again: dict[str, list[float]] = {}
    words: dict[str, list[int]] = {}
    for language in LANGUAGES:
        started = time.perf_counter()
        word_frequency.warm([language])
        load_s[language] = time.perf_counter() - started
        texts = replies(language)
        for timings in (first, again):
            timings[language] = []
            for text in texts:
                started = time.perf_counter()
                fit = level_fit(text, language, Level.B1)
                timings[language].append(ms(time.perf_counter() - started))
        words[language] = [level_fit(t, language, Level.B1).words for t in texts]
    medians = {language: statistics.median(values) for language, values in first.items()}
    worst = max(medians.values())
    return [
        Figure(
            "level_fit.reply_ms",
            "Fit meter: one 60-word reply, words not seen before (median, worst language)",
            worst,
            "ms",
            TARGET_MS,
            measured=f"{worst:.2f} ms ("
            + "; ".join(
                f"{lang} {medians[lang]:.2f} ms, max {max(first[lang]):.2f}, "
                f"seen again {statistics.median(again[lang]):.2f}"
                for lang in LANGUAGES
            )
            + ")",
            details={"first": first, "again": again, "words": words, "fit": str(fit.verdict)},
        ),
        Figure(
            "level_fit.load_s",
            "Fit meter: word lists' one-time load, off the GUI thread (per language)",
            max(load_s.values()),
            "s",
            None,
            measured="; ".join(f"{lang} {seconds:.2f} s" for lang, seconds in load_s.items()),
            details=load_s,
        ),
        Figure(
            "level_fit.startup_free",
            "Fit meter: start-up imports load no word list",
            0.0 if loaded else 1.0,
            "",
            None,
            measured="none loaded" if not loaded else "loaded: " + ", ".join(loaded),
            passed_override=not loaded,
            target_label="none loaded",
        ),
    ]


if __name__ == "__main__":
    from tempfile import mkdtemp

    folder = Path(mkdtemp())
    for figure in run(Config(quick=True, data=folder, work=folder)):
        print(f"{figure.title}: {figure.measured}")
