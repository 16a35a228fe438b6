"""The corrections a learner kept, as spreadsheet rows (CSV).

Pure text in, text out (tutor/services/exports.py writes the file). A cell that would
start a formula is made text, so what a model wrote cannot run in the learner's
spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import MarkKind, change_in_words
from tutor.domain.mark_segments import marks_in_order
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import N_, _, pgettext

CSV_ENCODING = "utf-8-sig"
"""Write `corrections_csv()` with this encoding and `newline=""`.

The byte-order mark is what makes Excel read the file as UTF-8 (without it, Japanese or
Arabic text comes out as mojibake); LibreOffice, Numbers and Google Sheets accept it, and
Python reads it back with the same encoding name.
"""

# Translators: the columns of the corrections exported as a spreadsheet (CSV).
CSV_HEADER = (
    N_("Date"),
    N_("Session"),
    N_("Language"),
    N_("Category"),
    N_("Original"),
    N_("Corrected"),
    N_("Explanation"),
    N_("Your sentence"),
    N_("Corrected sentence"),
    N_("Kind"),
)
"""The columns, marked: `corrections_csv` writes them in the interface language."""

# A cell a spreadsheet would run as a formula (CSV injection): see _spreadsheet_safe().
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CorrectionRow:
    """One mark the learner kept, with where it came from."""

    when: datetime
    session_id: int
    language: str
    category: str
    original: str
    """Widened to whole words: "parc", not "c"."""
    corrected: str
    explanation: str
    learner_text: str
    corrected_text: str
    kind: MarkKind


def correction_rows(
    session: PracticeSession, messages: Iterable[ChatMessage]
) -> list[CorrectionRow]:
    """Every mark of the session's learner messages that was not dismissed, in order."""
    rows = []
    for message in messages:
        correction = message.correction
        if message.role is not Role.USER or correction is None:
            continue
        for mark in marks_in_order(message.text, correction.marks):
            if mark.dismissed:
                continue
            original, corrected = change_in_words(message.text, mark)
            rows.append(
                CorrectionRow(
                    when=message.created_at,
                    session_id=session.id,
                    language=session.target_language,
                    category=mark.category.label,
                    original=original,
                    corrected=corrected,
                    explanation=mark.explanation,
                    learner_text=message.text,
                    corrected_text=correction.corrected_text,
                    kind=mark.kind,
                )
            )
    return rows


def corrections_csv(rows: Iterable[CorrectionRow], *, tz: tzinfo | None = None) -> str:
    """The rows as CSV text with a header (RFC 4180: CRLF, fields quoted as needed).

    Write it with `encoding=CSV_ENCODING, newline=""`. Dates are local ("2024-05-03
    14:03"), which spreadsheets read as dates. A cell that would start a formula gets a
    leading apostrophe, so text from a model cannot run in the learner's spreadsheet.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_(column) for column in CSV_HEADER])
    for row in rows:
        texts = (
            row.language,
            row.category,
            row.original,
            row.corrected,
            row.explanation,
            row.learner_text,
            row.corrected_text,
            _kind_words(row.kind),
        )
        safe = [_spreadsheet_safe(t) for t in texts]
        writer.writerow([f"{row.when.astimezone(tz):%Y-%m-%d %H:%M}", row.session_id, *safe])
    return buffer.getvalue()


def _kind_words(kind: MarkKind) -> str:
    if kind is MarkKind.NOTE:
        # Translators: a correction's kind in a spreadsheet: a fragment flagged, not changed.
        return pgettext("correction kind", "note")
    # Translators: a correction's kind in a spreadsheet: text changed.
    return pgettext("correction kind", "change")


def _spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
