"""The mistakes notebook: every correction the learner kept, and how often they err by week.

`NotebookEntry` is one non-dismissed mark with where it came from. `words_in()` counts
what the learner wrote, so that a rate ("mistakes per 100 words") can compare a week of
long messages with a week of short ones, and `weekly_rates()` turns both into one
`WeekPoint` per ISO week (Monday to Sunday) in which the learner wrote something.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from tutor.domain.corrections import Category, Mark, MarkKind
from tutor.domain.patterns import pattern
from tutor.domain.textdiff import graphemes

if TYPE_CHECKING:
    import regex

# Scripts written without spaces between words (as in textdiff.py): a run of them is a
# phrase, not one word, so words are estimated from its length in grapheme clusters.
# Only letters start or extend a run (ー and 々 are letters), so "。" and "、" count for nothing.
# Chinese words average about 1.5-1.7 characters and Japanese ones (with their
# particles) about 2; Thai, Lao, Khmer, Myanmar and Tibetan write vowels as graphemes of
# their own, and their words average about 3. With these, a rate per 100 "words" stays
# close to what a learner of a spaced language would see.
_CJK_RUN = r"(?V1)(?:[[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]&&\p{L}]\p{M}*)+"
_SOUTHEAST_ASIAN_RUN = (
    r"(?V1)(?:[[\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}\p{scx=Tibetan}]&&\p{L}]"
    r"\p{M}*)+"
)
GRAPHEMES_PER_WORD = {"cjk": 2, "southeast_asian": 3}
# Graphemes shown on each side of a mistake in a script without spaces.
CONTEXT_GRAPHEMES = 3
# A word in a spaced script: letters, marks and digits, joined by an apostrophe or a
# hyphen ("don't", "l'homme", "well-known" are one word each).
_SPACED_WORD = r"[\p{L}\p{M}\p{N}]+(?:['’\-‐][\p{L}\p{M}\p{N}]+)*"

# Accents and vowel signs a learner often leaves out when searching: Latin, Greek and
# Cyrillic diacritics, Arabic harakat and Hebrew niqqud. Only these: dropping every
# combining mark would make か match が (the dakuten) and break Indic vowel signs.
_SEARCH_IGNORED_MARKS = (
    r"[\u0300-\u036f\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"
)


@dataclass(frozen=True)
class NotebookEntry:
    """One mistake the coach found, with the message and session it came from."""

    language: str
    """BCP 47 tag of the session's target language."""
    category: Category
    original: str
    corrected: str
    explanation: str
    when: datetime
    """When the learner wrote the message (timezone-aware)."""
    session_id: int
    message_id: int
    learner_text: str
    """The learner's whole message, as written."""
    kind: MarkKind = MarkKind.CHANGE
    start: int = 0
    """Index of `original` in `learner_text`."""
    position: int = 0
    """The mark's position among its message's marks (with message_id, its key)."""

    @property
    def mark(self) -> Mark:
        """The mark as the chat view knows it."""
        return Mark(
            self.start, self.original, self.corrected, self.kind, self.category, self.explanation
        )

    @property
    def fixed_text(self) -> str:
        """The learner's message with this one fix made."""
        end = self.start + len(self.original)
        return self.learner_text[: self.start] + self.corrected + self.learner_text[end:]

    def in_context(self) -> tuple[str, str]:
        """(before, after): the mistake and its fix with enough around them to read alone.

        In spaced scripts that is the whole word ("parc → park", as in the chat). A
        script without spaces has no word to widen to (the whole sentence would be one),
        so up to CONTEXT_GRAPHEMES grapheme clusters on each side are taken instead,
        stopping at punctuation or a space ("公园了 → 了公园").
        """
        text, start, end = self.learner_text, self.start, self.start + len(self.original)
        around = text[max(start - 1, 0) : end + 1] + self.corrected
        if not (pattern(_CJK_RUN).search(around) or pattern(_SOUTHEAST_ASIAN_RUN).search(around)):
            return self.mark.in_words(text)
        before = graphemes(text[:start])
        after = graphemes(text[end:])
        head = "".join(_letters(reversed(before))[::-1])
        tail = "".join(_letters(after))
        return head + self.original + tail, head + self.corrected + tail


def _letters(clusters: Iterable[str]) -> list[str]:
    """The first CONTEXT_GRAPHEMES graphemes, up to the first that is not a letter."""
    taken: list[str] = []
    for grapheme in clusters:
        if len(taken) == CONTEXT_GRAPHEMES or not pattern(r"[\p{L}\p{N}]").match(grapheme):
            break
        taken.append(grapheme)
    return taken


@dataclass(frozen=True)
class WeekPoint:
    week_start: date
    """The Monday the ISO week starts on."""
    mistakes: int
    words: int
    """Words the learner wrote that week, counted with words_in(); always > 0."""

    @property
    def per_100_words(self) -> float:
        return 100 * self.mistakes / self.words if self.words else 0.0


def words_in(text: str) -> int:
    """How many words `text` holds, in any script.

    Spaced scripts (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Hangul...)
    count runs of letters, marks and digits. In scripts without spaces, each run counts
    one word per GRAPHEMES_PER_WORD grapheme clusters (2 for Han and kana, 3 for Thai and
    its neighbours), rounded up, so a one-character reply ("好", "はい") is one word.
    """
    count = 0

    def estimate(per_word: int) -> Callable[[regex.Match[str]], str]:
        def replace(match: regex.Match[str]) -> str:
            nonlocal count
            count += math.ceil(len(graphemes(match.group())) / per_word)
            return " "  # what is left is counted as spaced words

        return replace

    spaced = pattern(_CJK_RUN).sub(estimate(GRAPHEMES_PER_WORD["cjk"]), text)
    spaced = pattern(_SOUTHEAST_ASIAN_RUN).sub(
        estimate(GRAPHEMES_PER_WORD["southeast_asian"]), spaced
    )
    return count + len(pattern(_SPACED_WORD).findall(spaced))


def week_start(when: datetime, tz: tzinfo | None = None) -> date:
    """The Monday of the ISO week `when` falls in, in `tz` (None: the local time zone).

    The learner's week is a local one: a message written late on Sunday evening counts
    for that week even when it is already Monday in UTC.
    """
    day = when.astimezone(tz).date()
    return day - timedelta(days=day.weekday())


def words_by_week(
    writing: Iterable[tuple[datetime, str]], tz: tzinfo | None = None
) -> dict[date, int]:
    """Words written per week (its Monday), from (when, text) of the learner's messages."""
    totals: dict[date, int] = {}
    for when, text in writing:
        week = week_start(when, tz)
        totals[week] = totals.get(week, 0) + words_in(text)
    return totals


def weekly_rates(
    mistakes: Iterable[datetime | NotebookEntry],
    words_by_week: Mapping[date, int],
    tz: tzinfo | None = None,
) -> list[WeekPoint]:
    """One point per week in which the learner wrote, oldest first.

    `mistakes` are entries, or just the times their messages were written.

    Weeks without writing are omitted, not reported as zero: "no mistakes" and "no
    practice" are different things. A chart shows them as gaps on its time axis. A
    mistake in a week with no counted words (which cannot happen when both come from
    the same checked messages) has no rate to add to, and is left out.
    """
    counts: dict[date, int] = {}
    for mistake in mistakes:
        week = week_start(mistake if isinstance(mistake, datetime) else mistake.when, tz)
        counts[week] = counts.get(week, 0) + 1
    return [
        WeekPoint(week, counts.get(week, 0), words)
        for week, words in sorted(words_by_week.items())
        if words > 0
    ]


@lru_cache(maxsize=16384)  # the search runs again at each key the learner types
def search_key(text: str) -> str:
    """`text` folded for searching: any case, compatibility forms, and optional accents.

    NFKC makes full-width "ＡＢＣ" and half-width kana match their usual forms; the
    accents and vowel signs in _SEARCH_IGNORED_MARKS are dropped, so "esta" finds "está"
    and "مدرسة" finds "مَدْرَسَة".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", pattern(_SEARCH_IGNORED_MARKS).sub("", decomposed))


def matches(entry: NotebookEntry, query: str) -> bool:
    """True if every word of `query` is in the mistake, its fix, its why or the message.

    The message is searched as written and with the fix made, so the corrected word is
    found even when the mark holds only its changed part ("す" → "した" in 行きます).
    """
    terms = search_key(query).split()
    if not terms:
        return True
    haystack = search_key(
        "\n".join(
            (
                entry.original,
                entry.corrected,
                entry.explanation,
                entry.learner_text,
                entry.fixed_text,
            )
        )
    )
    return all(term in haystack for term in terms)


def search(entries: Iterable[NotebookEntry], query: str) -> list[NotebookEntry]:
    return [entry for entry in entries if matches(entry, query)]


def by_category(entries: Iterable[NotebookEntry]) -> list[tuple[Category, list[NotebookEntry]]]:
    """Entries grouped by category, the most frequent first (ties in Category order).

    Each group keeps the order the entries came in (the store gives the newest first).
    """
    groups: dict[Category, list[NotebookEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.category, []).append(entry)
    order = list(Category)
    return sorted(groups.items(), key=lambda group: (-len(group[1]), order.index(group[0])))


def by_language(entries: Iterable[NotebookEntry]) -> dict[str, list[NotebookEntry]]:
    """Entries by language tag, in the order the languages first appear."""
    groups: dict[str, list[NotebookEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.language, []).append(entry)
    return groups
