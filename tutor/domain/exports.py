"""Exports of a learner's work: a session as Markdown, its corrections as CSV rows.

Pure text in, text out: the callers read the stores and write the files (tutor/cli/commands.py,
the GUI). Nothing the learner or the model wrote may become formatting, so their text
is escaped, and the marks are drawn with delimiters that are placed where Markdown
(CommonMark with GitHub's ~~strikethrough~~) actually reads them as such.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.domain.corrections import Correction, Mark, MarkKind, is_word_char, word_bounds
from tutor.domain.languages import language
from tutor.domain.patterns import pattern
from tutor.domain.session import PracticeSession
from tutor.domain.textdiff import NO_SPACE_SCRIPTS


class ExportFormat(StrEnum):
    MARKDOWN = "md"
    CSV = "csv"
    ANKI = "apkg"


CSV_ENCODING = "utf-8-sig"
"""Write `corrections_csv()` with this encoding and `newline=""`.

The byte-order mark is what makes Excel read the file as UTF-8 (without it, Japanese or
Arabic text comes out as mojibake); LibreOffice, Numbers and Google Sheets accept it, and
Python reads it back with the same encoding name.
"""

CSV_HEADER = (
    "Date",
    "Session",
    "Language",
    "Category",
    "Original",
    "Corrected",
    "Explanation",
    "Your sentence",
    "Corrected sentence",
    "Kind",
)

# Characters that are formatting anywhere in a line: escaped wherever they appear.
# ( ) and ! only matter next to [ ], which are escaped; `$` is math on GitHub.
_INLINE_SPECIAL = frozenset("\\`*_[]<>~|&$")
# At the start of a line these begin a heading, quote, list, or a setext underline.
_LINE_START_SPECIAL = frozenset("#>+-=")
_ORDERED_ITEM = re.compile(r"(\d{1,9})([.)])")
# A cell a spreadsheet would run as a formula (CSV injection): see _spreadsheet_safe().
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def session_markdown(
    session: PracticeSession,
    messages: Sequence[ChatMessage],
    *,
    partner: str = "Partner",
    tz: tzinfo | None = None,
) -> str:
    """The session as a Markdown document, the learner's mistakes marked in their text.

    `messages` should carry their corrections (`SessionStore.messages(id, corrections)`).
    Times are shown in `tz`, by default the computer's own time zone.
    """
    started = session.created_at.astimezone(tz)
    # A heading's trailing "#"s would be taken for its closing sequence.
    title = escape_markdown(session.title).replace("#", "\\#")
    lines = [
        f"# {title}",
        "",
        " · ".join(
            (
                f"Date: {started:%Y-%m-%d %H:%M}",
                f"Language: {escape_markdown(_language_name(session.target_language))}",
                f"Level: {session.level.value}",
                f"Scenario: {escape_markdown(session.scenario_title)}",
            )
        ),
    ]
    day = started.date()
    for message in messages:
        when = message.created_at.astimezone(tz)
        if when.date() != day:
            # HH:MM alone would be ambiguous in a session that went on the next day.
            day = when.date()
            lines += ["", f"## {day:%Y-%m-%d}"]
        name = "You" if message.role is Role.USER else escape_markdown(partner)
        lines += ["", f"**{name}** ({when:%H:%M})"]
        lines += _message_body(message)
    return "\n".join(lines) + "\n"


def _message_body(message: ChatMessage) -> list[str]:
    correction = message.correction if message.role is Role.USER else None
    marks = _usable_marks(message.text, correction.marks) if correction else []
    body = _render(message.text, marks)
    lines = ["", body] if body else []
    if message.state is MessageState.FAILED:
        lines += ["", _italic_line(f"This reply failed: {message.error or 'no reason given'}")]
    elif message.state in (MessageState.CUT_OFF, MessageState.STREAMING):
        reason = message.error or "the reply stopped before the end."
        lines += ["", _italic_line(f"Cut off: {reason}")]
    notes = _explanations(message.text, marks, correction)
    if notes:
        lines += ["", *notes]
    return lines


def _usable_marks(text: str, marks: Iterable[Mark]) -> list[Mark]:
    """Marks in order, without overlaps, that still match the text they point into."""
    usable: list[Mark] = []
    end = 0
    for mark in sorted(marks, key=lambda m: m.start):
        if mark.start >= end and text[mark.start : mark.end] == mark.original:
            usable.append(mark)
            end = max(end, mark.end)
    return usable


def _explanations(text: str, marks: Sequence[Mark], correction: Correction | None) -> list[str]:
    """One list item per mark the learner did not dismiss: "goed → went: why"."""
    items = []
    for mark in marks:
        if mark.dismissed:
            continue
        before, after = _in_words(text, mark)
        what = f"{_one_line(before)} → {_one_line(after)}".strip()
        why = _one_line(mark.explanation)
        tail = f": {escape_markdown(why)}" if why else f" ({mark.category.label})"
        # Escaped as a line start: "- 1. x" or "- # x" would nest a list or a heading.
        items.append(f"- {_escape_line_start(what)}{tail}")
    if correction is not None:
        natural = _one_line(correction.natural_text)
        if natural and natural not in (_one_line(correction.corrected_text), _one_line(text)):
            items.append(f"- More natural: {escape_markdown(natural)}")
    return items


def _in_words(text: str, mark: Mark) -> tuple[str, str]:
    """(before, after) widened to whole words, where the script has words to widen to."""
    if mark.kind is MarkKind.NOTE:
        return mark.original, mark.corrected
    around = text[max(mark.start - 1, 0) : mark.end + 1] + mark.corrected
    if pattern(NO_SPACE_SCRIPTS).search(around):
        # Japanese or Thai has no spaces: "whole words" would be the whole sentence.
        return mark.original, mark.corrected
    return mark.in_words(text)


@dataclass
class _Span:
    """A stretch of the learner's text drawn as one mark: a change (or several glued
    into one word) or a note."""

    start: int
    end: int
    changes: list[Mark]
    note: Mark | None = None


def _render(text: str, marks: Sequence[Mark]) -> str:
    """The learner's text with its marks drawn in, escaped, as Markdown lines."""
    out = _Writer()
    position = 0
    for span in _spans(text, marks):
        out.plain(text[position : span.start])
        position = span.end
        if span.note is not None:
            out.plain(span.note.original)
            better = _one_line(span.note.corrected)
            out.raw(" ")
            out.emphasis("*", escape_markdown(f"(better: {better})" if better else "(note)"))
        else:
            _render_change(out, text[span.start : span.end], _fixed(text, span))
    out.plain(text[position:])
    return out.text()


def _spans(text: str, marks: Sequence[Mark]) -> list[_Span]:
    """The marks to draw, a change inside a word widened to the whole word.

    Strikethrough inside a word ("par~~c~~k") is plain text to many readers (md4c, which
    Qt uses, among them), so in scripts with spaces the whole word is struck, as in the
    mistakes list. Changes that then share a word become one. Dismissed marks are text.
    """
    spans: list[_Span] = []
    for mark in marks:
        if mark.dismissed:
            continue
        if mark.kind is MarkKind.NOTE:
            span = _Span(mark.start, mark.end, [], mark)
        else:
            span = _Span(*_widened(text, mark), [mark])
        if spans and span.start <= spans[-1].end and (span.changes or spans[-1].changes):
            # Overlapping or touching: one span. A note caught in it is still listed.
            last = spans.pop()
            span = _Span(last.start, max(last.end, span.end), last.changes + span.changes)
        spans.append(span)
    return spans


def _widened(text: str, mark: Mark) -> tuple[int, int]:
    start, end = mark.start, mark.end
    edge = mark.original or mark.corrected
    if not edge or pattern(NO_SPACE_SCRIPTS).search(
        text[max(start - 1, 0) : end + 1] + mark.corrected
    ):
        return start, end  # no words to widen to: the writer puts spaces around instead
    if start > 0 and is_word_char(text[start - 1]) and not edge[0].isspace():
        start = word_bounds(text, start, start)[0]
    if end < len(text) and is_word_char(text[end]) and not edge[-1].isspace():
        end = word_bounds(text, end, end)[1]
    return start, end


def _fixed(text: str, span: _Span) -> str:
    """The span's text with its changes made."""
    pieces, position = [], span.start
    for change in span.changes:
        pieces += [text[position : change.start], change.corrected]
        position = change.end
    return "".join([*pieces, text[position : span.end]])


def _render_change(out: _Writer, wrong_text: str, right_text: str) -> None:
    # Whitespace stays outside the delimiters: "~~ really~~" is not struck through.
    lead, wrong, trail = _split_space(wrong_text)
    lead_fix, right, trail_fix = _split_space(right_text)
    if not wrong and not right:
        out.plain(wrong_text)  # only spacing changed: show it as written
        return
    if not wrong:
        out.plain(lead or lead_fix)
        out.emphasis("**", escape_markdown(right))
        out.plain(trail or trail_fix)
        return
    out.plain(lead)
    out.emphasis("~~", escape_markdown(wrong))
    if right:
        out.raw(" ")
        out.emphasis("**", escape_markdown(right))
    out.plain(trail)


class _Writer:
    """Builds Markdown lines, escaping text and keeping delimiters where they work.

    A delimiter glued to a letter is read as text by strict readers ("a~~b~~",
    "公園~~に~~"), and CommonMark's flanking rules fail next to punctuation
    ("word~~,~~"). Each emphasis therefore has a space, punctuation or the line's edge
    on both sides; where the text has none, a space is put in.
    """

    def __init__(self) -> None:
        self.lines: list[str] = [""]
        self._after_emphasis = False

    def plain(self, text: str) -> None:
        for index, part in enumerate(text.split("\n")):
            if index:
                self.lines.append("")
                self._after_emphasis = False
            if not self.lines[-1]:
                # Indentation would make a code block; a chat message has no use for it.
                part = part.lstrip()
                if part:
                    self.raw(_escape_line_start(part))
            elif part:
                self.raw(escape_markdown(part))

    def raw(self, markdown: str) -> None:
        if not markdown:
            return
        if self._after_emphasis and not _space_or_punctuation(markdown[0]):
            self.lines[-1] += " "
        self._after_emphasis = False
        self.lines[-1] += markdown

    def emphasis(self, delimiter: str, inner: str) -> None:
        """`inner` (already escaped, one line, not empty) between two delimiters."""
        current = self.lines[-1]
        if current and not _space_or_punctuation(current[-1]):
            self.lines[-1] += " "
        self.raw(f"{delimiter}{inner}{delimiter}")
        self._after_emphasis = True

    def text(self) -> str:
        """Lines joined: a line break inside a paragraph stays one (a backslash break)."""
        paragraphs: list[list[str]] = [[]]
        for line in self.lines:
            line = line.rstrip()
            if line:
                paragraphs[-1].append(line)
            elif paragraphs[-1]:
                paragraphs.append([])
        return "\n\n".join("\\\n".join(p) for p in paragraphs if p)


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown inline text: every character that could format escaped."""
    return "".join("\\" + c if c in _INLINE_SPECIAL else c for c in text)


def _escape_line_start(text: str) -> str:
    """Escaped, and safe as the first thing on a line (no heading, list, quote)."""
    ordered = _ORDERED_ITEM.match(text)
    if ordered:
        # "1. " would start a numbered list: escape the dot, not the number.
        return f"{ordered[1]}\\{ordered[2]}{escape_markdown(text[ordered.end() :])}"
    if text[0] in _LINE_START_SPECIAL:
        return "\\" + escape_markdown(text)
    return escape_markdown(text)


def _italic_line(text: str) -> str:
    # A line on its own: start and end of line count as spaces, so the emphasis holds.
    return f"*{escape_markdown(_one_line(text))}*"


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], _one_line(core), text[start + len(core) :]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _space_or_punctuation(char: str) -> bool:
    # CommonMark's "Unicode punctuation" is the P and S categories (ASCII included).
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def _language_name(code: str) -> str:
    try:
        return f"{language(code).english_name} ({code})"
    except ValueError:
        return code


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
        for mark in _usable_marks(message.text, correction.marks):
            if mark.dismissed:
                continue
            original, corrected = _in_words(message.text, mark)
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
    writer.writerow(CSV_HEADER)
    for row in rows:
        texts = (
            row.language,
            row.category,
            row.original,
            row.corrected,
            row.explanation,
            row.learner_text,
            row.corrected_text,
            row.kind.value,
        )
        safe = [_spreadsheet_safe(t) for t in texts]
        writer.writerow([f"{row.when.astimezone(tz):%Y-%m-%d %H:%M}", row.session_id, *safe])
    return buffer.getvalue()


def _spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


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
    if kind is ExportFormat.MARKDOWN:
        chosen = list(sessions)
        if len(chosen) != 1:
            raise ValueError("Markdown holds one session.")
        ((session, messages),) = chosen
        return TextExport(session_markdown(session, messages), "utf-8", len(messages))
    if kind is ExportFormat.CSV:
        rows = [row for session, messages in sessions for row in correction_rows(session, messages)]
        return TextExport(corrections_csv(rows), CSV_ENCODING, len(rows))
    raise ValueError(f"{kind.value} is not a text export.")
