"""What the coach says about a learner's message, and the marks Tutor draws from it.

The coach (a separate model call) returns a corrected message and a list of items.
Nothing it says is trusted as is: items whose fragment is not in the learner's text
are dropped, and the marks come from diffing the learner's text against the
corrected text here, never from offsets the model gives.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum

from tutor.domain.patterns import pattern
from tutor.domain.textdiff import NO_SPACE_SCRIPTS, Segment, diff_texts
from tutor.i18n.translate import N_, _

# Scripts whose letters join or stack into one shape, so a word cannot be coloured in parts.
_JOINED_LETTERS = (
    r"[\p{Arabic}\p{Syriac}\p{Nko}\p{Mongolian}\p{Devanagari}\p{Bengali}\p{Gurmukhi}"
    r"\p{Gujarati}\p{Oriya}\p{Tamil}\p{Telugu}\p{Kannada}\p{Malayalam}\p{Sinhala}"
    r"\p{Myanmar}\p{Khmer}\p{Tibetan}]"
)


class Category(StrEnum):
    GRAMMAR = "grammar"
    VOCABULARY = "vocabulary"
    SPELLING = "spelling"
    """Includes accents, capitals, and characters of the wrong script (kana, kanji)."""
    PUNCTUATION = "punctuation"
    WORD_ORDER = "word_order"
    REGISTER = "register"
    PHRASING = "phrasing"
    """Correct but not what a native speaker would say: flagged by the strict teacher."""
    OTHER = "other"

    @property
    def label(self) -> str:
        """The category's name in the interface language."""
        return _(_CATEGORY_LABELS[self])

    @property
    def english_label(self) -> str:
        """The name in English, as a report keeps it: `_()` translates it when shown."""
        return _CATEGORY_LABELS[self]


# Translators: kinds of mistake, shown beside each correction and as notebook groups.
_CATEGORY_LABELS = {
    Category.GRAMMAR: N_("Grammar"),
    Category.VOCABULARY: N_("Word choice"),
    Category.SPELLING: N_("Spelling"),
    Category.PUNCTUATION: N_("Punctuation"),
    Category.WORD_ORDER: N_("Word order"),
    Category.REGISTER: N_("Register and politeness"),
    Category.PHRASING: N_("Natural phrasing"),
    Category.OTHER: N_("Other"),
}


class CorrectionScope(StrEnum):
    ALL = "all"
    MEANING = "meaning"
    """Only mistakes that change or block the meaning."""


@dataclass(frozen=True)
class CorrectionStyle:
    scope: CorrectionScope = CorrectionScope.ALL
    explanations: bool = True
    strict: bool = False
    """Also flag phrasing that is correct but unnatural."""
    precise: bool = False
    """Precision first: only minimal edits the coach is sure of (a wrong mark teaches the
    wrong thing). Wins over `strict`, which asks for the opposite."""

    @property
    def key(self) -> str:
        """What a coach scorecard is kept under: the parts of the style that change which
        marks are made ("all", "meaning+precise", "all+strict")."""
        parts = [self.scope.value]
        if self.precise:
            parts.append("precise")
        elif self.strict:
            parts.append("strict")
        return "+".join(parts)


class CoachPath(StrEnum):
    """How the coach was asked for JSON; tried in this order, the first that works kept."""

    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    PLAIN = "plain"

    def fallback(self) -> CoachPath | None:
        order = list(CoachPath)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None


@dataclass(frozen=True)
class CoachItem:
    original: str
    correction: str
    explanation: str
    category: Category


@dataclass(frozen=True)
class CoachVerdict:
    """The coach's answer, parsed and checked against the learner's text."""

    corrected: str
    items: tuple[CoachItem, ...]
    natural: str = ""
    goals_met: tuple[int, ...] = ()
    """Indexes (from 0) of the session's open goals this message met."""
    target_uses: tuple[TargetUse, ...] = ()
    """The session's practice targets this message used (none outside practice)."""


@dataclass(frozen=True)
class TargetUse:
    """One use of a practice target in a message: which target (index from 0), and
    whether the learner got the form right."""

    target: int
    correct: bool


class MarkKind(StrEnum):
    CHANGE = "change"
    """Struck-through text with the fix beside it (either side may be empty)."""
    NOTE = "note"
    """A fragment the coach flagged without changing the corrected text."""


@dataclass(frozen=True)
class Mark:
    start: int
    """Index of `original` in the learner's text."""
    original: str
    corrected: str
    kind: MarkKind
    category: Category
    explanation: str = ""
    dismissed: bool = False
    """The learner said "that was right": kept, shown plainly, not counted."""

    @property
    def end(self) -> int:
        return self.start + len(self.original)

    def in_words(self, text: str) -> tuple[str, str]:
        """(before, after) widened to whole words: a wrong letter reads "parc → park"."""
        start, end = word_bounds(text, self.start, self.end)
        head, tail = text[start : self.start], text[self.end : end]
        return head + self.original + tail, head + self.corrected + tail


class CorrectionState(StrEnum):
    CHECKING = "checking"
    CHECKED = "checked"
    FAILED = "failed"


@dataclass(frozen=True)
class Correction:
    message_id: int
    state: CorrectionState
    corrected_text: str = ""
    natural_text: str = ""
    marks: tuple[Mark, ...] = ()
    model: str | None = None
    path: CoachPath | None = None
    error: str | None = None

    @property
    def mistake_count(self) -> int:
        return sum(1 for mark in self.marks if not mark.dismissed)

    def with_dismissed(self, index: int, dismissed: bool) -> Correction:
        marks = list(self.marks)
        marks[index] = replace(marks[index], dismissed=dismissed)
        return replace(self, marks=tuple(marks))


def word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to the whole word(s) around it: letters, marks and digits."""
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return start, end


def inside_word(text: str, start: int, end: int) -> bool:
    """True if text[start:end] (a mark) is part of a word ("par~~c~~k"): its fix then
    follows at once, with no space between the struck letters and the new ones."""
    return word_bounds(text, start, end) != (start, end)


def is_word_char(char: str) -> bool:
    """A letter, a mark or a digit: what words are made of, in any script."""
    return unicodedata.category(char)[0] in "LMN"


def build_marks(learner_text: str, verdict: CoachVerdict) -> tuple[Mark, ...]:
    """Marks for the learner's text, in order and never overlapping.

    Each change in the diff takes the category and explanation of the coach items
    that overlap it; an item that overlaps no change becomes a note on its fragment.
    """
    changes = [s for s in diff_texts(learner_text, verdict.corrected) if s.changed]
    explained: dict[int, list[CoachItem]] = {}
    notes: list[Mark] = []
    for item in verdict.items:
        where = _locate(item, learner_text, changes)
        if isinstance(where, int):
            explained.setdefault(where, []).append(item)
        elif where is not None and not any(_overlaps(where, n.start, n.end) for n in notes):
            start, end = where
            notes.append(
                Mark(
                    start,
                    learner_text[start:end],
                    item.correction,
                    MarkKind.NOTE,
                    item.category,
                    item.explanation,
                )
            )
    marks = [
        _change_mark(learner_text, change, explained.get(index, []))
        for index, change in enumerate(changes)
    ]
    marks += [
        note
        for note in notes
        if not any(_overlaps((note.start, note.end), c.start, c.end) for c in marks)
    ]
    return tuple(sorted(marks, key=lambda m: (m.start, m.kind != MarkKind.CHANGE)))


def _locate(item: CoachItem, text: str, changes: list[Segment]) -> int | tuple[int, int] | None:
    """The index of the change the item explains, else its fragment's span, else None."""
    if not item.original:
        # A missing word: the coach can only point at what it added.
        for index, change in enumerate(changes):
            if not change.original and item.correction.strip() in change.corrected:
                return index
        return None
    spans = _occurrences(text, item.original)
    for start, end in spans:
        for index, change in enumerate(changes):
            if _overlaps((start, end), change.start, change.start + len(change.original)):
                return index
    return spans[0] if spans else None


def _occurrences(text: str, fragment: str) -> list[tuple[int, int]]:
    spans = []
    start = text.find(fragment)
    while start != -1:
        spans.append((start, start + len(fragment)))
        start = text.find(fragment, start + 1)
    return spans


def _overlaps(span: tuple[int, int], start: int, end: int) -> bool:
    """True if the spans share a character, or an insertion point lies within the span."""
    a, b = span
    if start == end:
        return a <= start <= b
    if a == b:
        return start <= a <= end
    return a < end and start < b


def _change_mark(text: str, change: Segment, items: list[CoachItem]) -> Mark:
    explanation = " ".join(dict.fromkeys(i.explanation for i in items if i.explanation))
    category = items[0].category if items else _guess_category(change)
    mark = Mark(
        change.start, change.original, change.corrected, MarkKind.CHANGE, category, explanation
    )
    if change.word is not None and pattern(_JOINED_LETTERS).search(change.word[0]):
        # In scripts whose letters join, a colour change inside a word breaks its shape
        # and hides a one-letter fix: mark the whole word instead.
        before, after = mark.in_words(text)
        start, _end = word_bounds(text, mark.start, mark.end)
        return replace(mark, start=start, original=before, corrected=after)
    return mark


def _guess_category(change: Segment) -> Category:
    """For a change the coach made without saying why."""
    both = change.original + change.corrected
    if both and all(unicodedata.category(c)[0] in "PZ" for c in both):
        return Category.PUNCTUATION
    if change.word is not None or change.original.casefold() == change.corrected.casefold():
        return Category.SPELLING
    return Category.OTHER


def change_text(mark: Mark, text: str) -> str:
    """The change in words, e.g. "goed → went", "Add “the”"; `text` is the learner's."""
    if mark.kind is MarkKind.NOTE:
        # Translators: a note on a fragment the coach would put otherwise; quote marks
        # as your language writes them.
        return _("“{original}”: better “{better}”").format(
            original=mark.original, better=mark.corrected
        )
    before, after = change_in_words(text, mark)
    if before.strip() and after.strip():
        # Translators: a correction, "goed → went"; keep the arrow pointing to the fix
        # (in a right-to-left language "←" reads the same way).
        return _("{before} → {after}").format(before=before.strip(), after=after.strip())
    if mark.corrected:
        # Translators: a correction that adds a missing word.
        return _("Add “{words}”").format(words=mark.corrected)
    # Translators: a correction that removes a word too many.
    return _("Remove “{words}”").format(words=mark.original)


def change_in_words(text: str, mark: Mark) -> tuple[str, str]:
    """(before, after) widened to whole words, where the script has words to widen to:
    "parc → park" for a changed letter, as a list of mistakes shows it."""
    if mark.kind is MarkKind.NOTE:
        return mark.original, mark.corrected
    around = text[max(mark.start - 1, 0) : mark.end + 1] + mark.corrected
    if pattern(NO_SPACE_SCRIPTS).search(around):
        # Japanese or Thai has no spaces: "whole words" would be the whole sentence.
        return mark.original, mark.corrected
    return mark.in_words(text)
