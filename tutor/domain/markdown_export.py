"""A practice session as a Markdown document, the learner's mistakes marked in their text.

Pure text in, text out (tutor/services/exports.py writes the file). Nothing the learner or
the model wrote may become formatting, so their text is escaped, and the marks (cut into
pieces by tutor/domain/mark_segments.py) are drawn with delimiters placed where Markdown
(CommonMark with GitHub's ~~strikethrough~~) actually reads them as such.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import tzinfo

from tutor.domain.conversation import ChatMessage, MessageState, Role
from tutor.domain.corrections import Correction, Mark, change_in_words
from tutor.domain.languages import language
from tutor.domain.mark_segments import (
    Piece,
    Segment,
    mark_segments,
    marks_in_order,
)
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import _

# Characters that are formatting anywhere in a line: escaped wherever they appear.
# ( ) and ! only matter next to [ ], which are escaped; `$` is math on GitHub.
_INLINE_SPECIAL = frozenset("\\`*_[]<>~|&$")
# At the start of a line these begin a heading, quote, list, or a setext underline.
_LINE_START_SPECIAL = frozenset("#>+-=")
_ORDERED_ITEM = re.compile(r"(\d{1,9})([.)])")
_CHANGE_PIECES = frozenset((Piece.STRUCK, Piece.GAP, Piece.INSERTED))


def session_markdown(
    session: PracticeSession,
    messages: Sequence[ChatMessage],
    *,
    partner: str | None = None,
    tz: tzinfo | None = None,
) -> str:
    """The session as a Markdown document, the learner's mistakes marked in their text,
    its words in the interface language.

    `messages` should carry their corrections (`SessionStore.messages(id, corrections)`).
    `partner` names the partner's turns ("Partner" in the interface language by default).
    Times are shown in `tz`, by default the computer's own time zone, as ISO 8601 dates
    and 24-hour times: a document read anywhere, whatever language it is in.
    """
    if partner is None:
        # Translators: who wrote a turn in an exported conversation: the partner.
        partner = _("Partner")
    started = session.created_at.astimezone(tz)
    # A heading's trailing "#"s would be taken for its closing sequence.
    title = escape_markdown(session.title).replace("#", "\\#")
    lines = [
        f"# {title}",
        "",
        " · ".join(
            (
                # Translators: the header of an exported conversation (a Markdown file).
                _("Date: {date}").format(date=f"{started:%Y-%m-%d %H:%M}"),
                _("Language: {language}").format(
                    language=escape_markdown(_language_name(session.target_language))
                ),
                _("Level: {level}").format(level=session.level.value),
                _("Scenario: {scenario}").format(scenario=escape_markdown(session.scenario_title)),
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
        # Translators: who wrote a turn in an exported conversation: the learner.
        name = _("You") if message.role is Role.USER else escape_markdown(partner)
        lines += ["", f"**{name}** ({when:%H:%M})"]
        lines += _message_body(message)
    return "\n".join(lines) + "\n"


def _message_body(message: ChatMessage) -> list[str]:
    correction = message.correction if message.role is Role.USER else None
    marks = marks_in_order(message.text, correction.marks) if correction else []
    body = _render(message.text, marks)
    lines = ["", body] if body else []
    if message.state is MessageState.FAILED:
        reason = message.error or _("no reason given")
        lines += ["", _italic_line(_("This reply failed: {reason}").format(reason=reason))]
    elif message.state in (MessageState.CUT_OFF, MessageState.STREAMING):
        reason = message.error or _("the reply stopped before the end.")
        # Translators: a reply that stopped early, in an exported conversation.
        lines += ["", _italic_line(_("Cut off: {reason}").format(reason=reason))]
    notes = _explanations(message.text, marks, correction)
    if notes:
        lines += ["", *notes]
    return lines


def _explanations(text: str, marks: Sequence[Mark], correction: Correction | None) -> list[str]:
    """One list item per mark the learner did not dismiss: "goed → went: why"."""
    items = []
    for mark in marks:
        if mark.dismissed:
            continue
        before, after = change_in_words(text, mark)
        what = _("{before} → {after}").format(before=_one_line(before), after=_one_line(after))
        # Escaped as a line start: "- 1. x" or "- # x" would nest a list or a heading.
        change = _escape_line_start(what.strip())
        why = _one_line(mark.explanation)
        if why:
            # Translators: a correction and why, in an exported conversation.
            item = _("{change}: {why}").format(change=change, why=escape_markdown(why))
        else:
            # Translators: a correction and its kind ("Grammar"), in an exported conversation.
            item = _("{change} ({category})").format(change=change, category=mark.category.label)
        items.append(f"- {item}")
    if correction is not None:
        natural = _one_line(correction.natural_text)
        if natural and natural not in (_one_line(correction.corrected_text), _one_line(text)):
            # Translators: how a native speaker would say it, in an exported conversation.
            better = _("More natural: {text}").format(text=escape_markdown(natural))
            items.append(f"- {better}")
    return items


def _render(text: str, marks: Sequence[Mark]) -> str:
    """The learner's text with its marks drawn in, escaped, as Markdown lines.

    Strikethrough inside a word ("par~~c~~k") is plain text to many readers (md4c, which
    Qt uses, among them), so in scripts with spaces the whole word is struck, as in the
    mistakes list (mark_segments' `whole_words`).
    """
    out = _Writer()
    segments = mark_segments(text, marks, whole_words=True)
    at = 0
    while at < len(segments):
        segment = segments[at]
        if segment.piece is Piece.PLAIN:
            out.plain(segment.text)
            at += 1
        elif segment.piece is Piece.NOTE:
            out.plain(segment.text)
            better = _one_line(segment.mark.corrected) if segment.mark else ""
            out.raw(" ")
            # Translators: after a fragment the coach flagged, in an exported conversation.
            note = _("(better: {better})").format(better=better) if better else _("(note)")
            out.emphasis("*", escape_markdown(note))
            at += 1
        else:  # the struck text, the space and the fix of one change, drawn together
            change = _one_change(segments, at)
            at += len(change)
            texts = {part.piece: part.text for part in change}
            _render_change(out, texts.get(Piece.STRUCK, ""), texts.get(Piece.INSERTED, ""))
    return out.text()


def _one_change(segments: Sequence[Segment], start: int) -> list[Segment]:
    """The pieces from `start` on that draw the change `segments[start]` begins."""
    index = segments[start].index
    change = []
    for segment in segments[start:]:
        if segment.index != index or segment.piece not in _CHANGE_PIECES:
            break
        change.append(segment)
    return change


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
        return f"{language(code).interface_name} ({code})"
    except ValueError:
        return code
