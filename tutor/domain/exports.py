"""Exports of a learner's work: which formats there are, and a session (Markdown) or the
corrections of sessions (CSV) as text ready to write.

The formats themselves live in tutor/domain/markdown_export.py and
tutor/domain/csv_export.py; the files are written by tutor/services/exports.py, for the
window and `tutor export` alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from tutor.domain.conversation import ChatMessage
from tutor.domain.session import PracticeSession


class ExportFormat(StrEnum):
    MARKDOWN = "md"
    CSV = "csv"
    ANKI = "apkg"


@dataclass(frozen=True)
class TextExport:
    """A Markdown or CSV export, ready to write: the file is `text.encode(encoding)`."""

    text: str
    encoding: str
    count: int
    """Messages of the session for Markdown; corrections (rows) for CSV."""


def text_export(
    kind: ExportFormat, sessions: Iterable[tuple[PracticeSession, Sequence[ChatMessage]]]
) -> TextExport:
    """One session as Markdown, or the corrections of every session, in order, as CSV.

    Each session comes with its messages, carrying their corrections
    (`SessionStore.messages(id, corrections)`). ValueError for Markdown of anything but
    one session, or for a format that is not text.
    """
    # The formats load at the first export: the window names ExportFormat in its menus,
    # on the way to a session opening, and needs neither writer then.
    from tutor.domain.csv_export import CSV_ENCODING, correction_rows, corrections_csv
    from tutor.domain.markdown_export import session_markdown

    if kind is ExportFormat.MARKDOWN:
        chosen = list(sessions)
        if len(chosen) != 1:
            raise ValueError("Markdown holds one session.")  # i18n: ignore (a caller's bug)
        ((session, messages),) = chosen
        return TextExport(session_markdown(session, messages), "utf-8", len(messages))
    if kind is ExportFormat.CSV:
        rows = [row for session, messages in sessions for row in correction_rows(session, messages)]
        return TextExport(corrections_csv(rows), CSV_ENCODING, len(rows))
    raise ValueError(f"{kind.value} is not a text export.")  # i18n: ignore (a caller's bug)
