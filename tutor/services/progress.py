"""The Progress view's use case: one language's figures, and their export as CSV.

Threads: `count()` runs on a pool thread with a read-only connection of its own:
reading a language's 17,000 messages took 0.2-0.4 s and counting their words and the
dictionary forms of correct ones (jieba, MeCab, simplemma) about a second, far more than
a frame (benchmarks/progress.py). `export()` writes a file and may run on either thread.
Nothing here writes to the database, so nothing is published on the hub.
"""

from __future__ import annotations

import enum
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from tutor.domain.languages import language as language_info
from tutor.domain.progress import Progress, distinct_correct_words, progress
from tutor.domain.progress_csv import CSV_ENCODING, days_csv, weeks_csv
from tutor.i18n.formats import sort_key
from tutor.store.atomic_file import PRIVATE, write_atomically
from tutor.store.database import open_reader
from tutor.store.progress import ProgressRows, ProgressStore


class Table(enum.Enum):
    """What an export holds: a row a week, or a row a day practised."""

    WEEKS = "weeks"
    DAYS = "days"


@dataclass(frozen=True)
class Counted:
    languages: list[str]
    """The languages the learner wrote in, with the one asked for among them, by their
    names in the interface language."""
    progress: Progress
    """The figures of the language asked for (empty when it was None)."""


def count(
    database: Path,
    language: str | None,
    tz: tzinfo | None = None,
    *,
    tagger_lock: AbstractContextManager[object] | None = None,
) -> Counted:
    """Runs on a pool thread, on a connection of its own that only reads (the GUI
    thread's keeps writing meanwhile): the languages practised and `language`'s figures.
    `tz` None: local time. `tagger_lock` is held while words are tokenized (MeCab's and
    jieba's taggers serve one thread at a time: LevelFits.tagger_lock). sqlite3.Error when
    the file cannot be read. With no `language`, the first practised is counted."""
    connection = open_reader(database)
    try:
        store = ProgressStore(connection)
        practised = set(store.languages())
        if language is None and practised:
            language = min(practised, key=_interface_name)  # no learner yet: the first
        rows = store.rows(language) if language else None
    finally:
        connection.close()
    if language:
        practised.add(language)
    shown = figures(rows, tz, tagger_lock=tagger_lock) if rows is not None else Progress("")
    return Counted(sorted(practised, key=_interface_name), shown)


def figures(
    rows: ProgressRows,
    tz: tzinfo | None = None,
    *,
    tagger_lock: AbstractContextManager[object] | None = None,
) -> Progress:
    """The figures from the stored rows; `tz` None: local time. The lock is held only
    while the correct words are tokenized, so the fit meter waits as little as it can."""
    with tagger_lock or nullcontext():
        correct_words = distinct_correct_words(rows.correct_texts, rows.language)
    return progress(
        rows.language,
        rows.messages,
        rows.mistakes,
        fits=rows.fits,
        correct_words=correct_words,
        card_states=rows.card_states,
        tz=tz,
    )


def export(shown: Progress, table: Table, path: Path) -> int:
    """Replace `path` with the weeks or the days as CSV, readable by its owner only;
    returns how many rows it holds. OSError when it cannot be written (`path` is then as
    it was)."""
    text = weeks_csv(shown) if table is Table.WEEKS else days_csv(shown)
    write_atomically(path, text.encode(CSV_ENCODING), mode=PRIVATE)
    return len(shown.weeks) if table is Table.WEEKS else len(shown.days)


def _interface_name(tag: str) -> tuple[str, str]:
    try:
        return sort_key(language_info(tag).interface_name)
    except ValueError:
        return sort_key(tag)
