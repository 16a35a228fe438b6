"""Where the words to look up are: the word under a click, and the sentence around a
word or a selected phrase in a partner's message, checked against the message's text
(which may have changed since it was drawn).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tutor.i18n.translate import _

MAX_LOOKED_UP_CHARS = 80
"""A phrase longer than this is a sentence to translate, not a word to look up."""
MAX_SENTENCE_CHARS = 600


@dataclass(frozen=True)
class LookupTarget:
    """What is looked up: the words, and the sentence around them in the message."""

    word: str
    sentence: str
    start: int
    """Offsets of the word in `sentence`."""
    end: int


# A word: letters, digits and marks, with an apostrophe or hyphen inside (l'eau,
# bien-être). A run of Chinese or Japanese characters has no spaces to end a word at:
# the run is taken whole, and a learner selects a shorter phrase to look it up.
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…。！？])\s*|\n+")


class NotInTextError(ValueError):
    """The words to look up are not where they were said to be in the message."""


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word under `offset` (a click) as (start, end) in `text`; None off a word."""
    for match in _WORD.finditer(text):
        if match.start() <= offset < match.end():
            return match.start(), match.end()
        if match.start() > offset:
            break
    return None


_UNSPACED = frozenset({"zh", "ja"})
"""Languages written without spaces between words: a click's word is found by the
tokenizer wordfreq uses for them (jieba, MeCab)."""


def needs_segmenting(language: str) -> bool:
    return language.split("-")[0].casefold() in _UNSPACED


def segmented_word_at(text: str, offset: int, language: str) -> tuple[int, int] | None:
    """The word under `offset` where words have no spaces between them (Chinese,
    Japanese): the run of characters is cut into words by wordfreq's tokenizer. The run
    whole when the tokenizer is missing or its words cannot be found in it again (it
    normalises some characters). Loads the tokenizer the first time (a fraction of a
    second): call it off the GUI thread."""
    span = word_at(text, offset)
    if span is None or not needs_segmenting(language):
        return span
    run = text[span[0] : span[1]]
    try:
        import wordfreq
    except ImportError:
        return span
    searched = 0
    for token in wordfreq.tokenize(run, language.split("-")[0].casefold()):
        at = run.find(token, searched)
        if at < 0:
            continue
        if at <= offset - span[0] < at + len(token):
            return span[0] + at, span[0] + at + len(token)
        searched = at + len(token)
    return span


def lookup_target(text: str, start: int, end: int, word: str | None = None) -> LookupTarget:
    """The words at [start, end) of a message's `text` with their sentence.

    `word`: what the learner saw there; NotInTextError when the text no longer holds it there
    (the message changed since), or when the span is empty or too long to look up."""
    if not 0 <= start < end <= len(text):
        raise NotInTextError(_("Those words are not in this message (any more)."))
    found = text[start:end]
    if word is not None and found != word:
        raise NotInTextError(
            _("“{word}” is not in this message (any more): it may have changed.").format(word=word)
        )
    # A selection takes a space or a full stop along: the words are what is inside them.
    lead = next((i for i, ch in enumerate(found) if _wordy(ch)), None)
    if lead is None:
        raise NotInTextError(_("There is no word there to look up."))
    trail = next(i for i in range(len(found), 0, -1) if _wordy(found[i - 1]))
    stripped = found[lead:trail]
    if len(stripped) > MAX_LOOKED_UP_CHARS:
        raise NotInTextError(_("That is too long to look up: select a word or a short phrase."))
    start, end = start + lead, start + trail
    sentence_start, sentence_end = 0, len(text)
    for boundary in _SENTENCE_END.finditer(text):
        if boundary.end() <= start:
            sentence_start = boundary.end()
        elif boundary.start() >= end:
            sentence_end = boundary.start()
            break
    # A very long "sentence" (no full stops): the words around, not all of it.
    half = MAX_SENTENCE_CHARS // 2
    sentence_start = max(sentence_start, start - half)
    sentence_end = min(sentence_end, end + half)
    sentence = text[sentence_start:sentence_end]
    lead = len(sentence) - len(sentence.lstrip())
    sentence = sentence.strip()
    offset = sentence_start + lead
    return LookupTarget(stripped, sentence, start - offset, end - offset)


def _wordy(ch: str) -> bool:
    """A letter, a digit, or a mark on one (Devanagari's vowel signs are marks)."""
    return ch.isalnum() or unicodedata.category(ch).startswith("M")
