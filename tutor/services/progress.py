"""The Progress view's use case: one language's figures, and their export as CSV.

Threads: `read()` runs on the GUI thread (SQLite is read there, as every store call is:
one connection); `figures()` runs on a pool thread, because counting words in a long
history and finding the dictionary forms of correct words (jieba, MeCab) take longer
than a frame; `export()` writes a file and may run on either. Nothing here writes to
the database, so nothing is published on the hub.
"""

from __future__ import annotations

import enum
from datetime import tzinfo
from pathlib import Path
from typing import Protocol

from tutor.domain.languages import language as language_info
from tutor.domain.progress import Progress, distinct_correct_words, progress
from tutor.domain.progress_csv import CSV_ENCODING, days_csv, weeks_csv
from tutor.i18n.formats import sort_key
from tutor.store.atomic_file import PRIVATE, write_atomically
from tutor.store.progress import ProgressRows, ProgressStore


class ProgressContext(Protocol):
    @property
    def progress(self) -> ProgressStore: ...


class Table(enum.Enum):
    """What an export holds: a row a week, or a row a day practised."""

    WEEKS = "weeks"
    DAYS = "days"


def languages(context: ProgressContext, current: str | None) -> list[str]:
    """The languages the learner practised, by their names in the interface language,
    with `current` among them even before it has a message (its view then says how to
    begin)."""
    practised = set(context.progress.languages())
    if current is not None:
        practised.add(current)
    return sorted(practised, key=_interface_name)


def read(context: ProgressContext, language: str) -> ProgressRows:
    """What is stored for `language` (GUI thread)."""
    return context.progress.rows(language)


def figures(rows: ProgressRows, tz: tzinfo | None = None) -> Progress:
    """The figures from the stored rows (a pool thread); `tz` None: local time."""
    return progress(
        rows.language,
        rows.messages,
        rows.mistakes,
        fits=rows.fits,
        correct_words=distinct_correct_words(rows.correct_texts, rows.language),
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
