"""Whether a partner's reply fits the learner's level: the share of its words the learner
can be expected to know (lexical coverage), the words above the level, and a verdict.

Reading research puts comfortable understanding of a text at about 95-98% of its running
words known (Hu & Nation 2000: adequate comprehension of fiction at 98%, a minimal one
at 95%; Laufer & Ravenhorst-Kalovski 2010: 95% "minimal", 98% "optimal"). So a reply
*fits* at 95% or more, is *a bit hard* from 90% to 95%, and *too hard* below 90%.

A word counts as within the level when its Zipf frequency (wordfreq; the larger of the
form's and its lemma's) is at or above the level's band (level_bands.py, calibrated on
texts written for each level), or when the learner has already used it correctly (the
form or its lemma: "comí" counts when "comer" is known). In Chinese and Japanese a
compound the tokenizer kept whole counts when its two parts do (坐火车: 坐 + 火车), and
in Japanese a word with the polite prefix お/ご counts as the word (お寺: 寺). German,
Dutch and the Scandinavian languages write compounds as one word: one counts when its
parts do (Kulturkonsum: Kultur + Konsum; Arbeitszeit: Arbeit + s + Zeit).

What is not counted, as reading research does not count it: numbers, punctuation, and
names. A name is a word capitalized in the middle of a sentence, in a script with
capitals (Latin, Cyrillic, Greek, Armenian), except in German and Luxembourgish, which
capitalize every noun, and except one-letter words (English "I"). Names at the start of
a sentence, and names in scripts without capitals (Chinese, Japanese, Korean, Arabic...),
are counted as words; wordfreq lists the common ones.

Pure: the lists load lazily (word_frequency.py), nothing here touches Qt or the disk.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass

from tutor.domain import word_frequency
from tutor.domain.level_bands import Verdict, band, verdict_for_share
from tutor.domain.levels import Level

MIN_WORDS = 5
"""Fewer counted words than this and a share says nothing (one unknown word in a
four-word reply is 75%): no verdict."""

_ALL_NOUNS_CAPITALIZED = frozenset({"de", "lb"})
_POLITE_PREFIXES = frozenset("おご御")
_COMPOUNDING = frozenset({"zh", "ja"})  # written without spaces; compounds read by parts
_CLOSED_COMPOUNDS = frozenset({"de", "nl", "sv", "da", "nb", "is"})  # Kultur+konsum
_LINKS = ("s", "es", "n", "en", "er", "e")  # Arbeit-s-zeit, Familie-n-leben
_MIN_PART = 3
_SENTENCE_ENDS = frozenset(".!?…:;¿¡\n。！？")
_QUOTES_AND_SPACE = frozenset("\"'«»“”‘’„‚()[]- \t\r—–")


@dataclass(frozen=True)
class TextWord:
    """A counted word: its folded form (as the lists spell it) and where it is in the
    text (start == end when it could not be placed)."""

    form: str
    start: int
    end: int


@dataclass(frozen=True)
class LevelFit:
    verdict: Verdict
    words: int = 0
    """Running words counted (numbers, punctuation and names left out)."""
    known: int = 0
    hard: tuple[TextWord, ...] = ()
    """Each occurrence of a word above the level, in the text's order."""
    language: str = ""

    @property
    def share(self) -> float | None:
        """Known words / words, 0..1; None when there is nothing to judge."""
        if self.verdict in (Verdict.CANNOT_JUDGE, Verdict.TOO_SHORT) or not self.words:
            return None
        return self.known / self.words

    @property
    def judged(self) -> bool:
        return self.share is not None

    def hard_words(self) -> list[str]:
        """The distinct words above the level, as written in the text, in order."""
        seen: dict[str, str] = {}
        for word in self.hard:
            seen.setdefault(word.form, word.form)
        return list(seen)


def text_words(text: str, language: str) -> list[TextWord]:
    """The words of `text` that coverage counts, with their offsets (see the module's
    docstring for what is left out)."""
    folded, origin = _folded(text)
    names_capitalized = _has_name_rule(language)
    words: list[TextWord] = []
    cursor = 0
    for token in word_frequency.tokens(text, language):
        if not _is_word(token):
            continue
        found = folded.find(token, cursor)
        if found < 0:
            words.append(TextWord(token, 0, 0))  # counted, not placed (NFKC changed it)
            continue
        start, end = origin[found], origin[found + len(token) - 1] + 1
        cursor = found + len(token)
        if names_capitalized and _is_name(text, start, end):
            continue
        words.append(TextWord(token, start, end))
    return words


def known_words(texts: Iterable[str], language: str) -> frozenset[str]:
    """Every form and lemma in the learner's correct messages: words they can use."""
    known: set[str] = set()
    for text in texts:
        for token in word_frequency.tokens(text, language):
            if _is_word(token):
                known.add(token)
                known.add(word_frequency.lemma(token, language))
    return frozenset(known)


def level_fit(text: str, language: str, level: Level, known: Set[str] = frozenset()) -> LevelFit:
    """The reply's coverage for a learner at `level` who has used `known` correctly."""
    if not text.strip():
        return LevelFit(Verdict.TOO_SHORT, language=language)
    words = text_words(text, language)  # wordfreq splits any language, listed or not
    if len(words) < MIN_WORDS:
        return LevelFit(Verdict.TOO_SHORT, words=len(words), language=language)
    if not word_frequency.covers(language):
        return LevelFit(Verdict.CANNOT_JUDGE, words=len(words), language=language)
    threshold = band(language, level)
    hard = tuple(word for word in words if not within_band(word.form, language, threshold, known))
    share = 1 - len(hard) / len(words)
    return LevelFit(verdict_for_share(share), len(words), len(words) - len(hard), hard, language)


def within_band(form: str, language: str, threshold: float, known: Set[str]) -> bool:
    """The word is known, or frequent enough: its form or its lemma at or above `threshold`."""
    if form in known:
        return True
    if word_frequency.zipf(form, language) >= threshold:
        return True
    lemma = word_frequency.lemma(form, language)
    if lemma != form and (lemma in known or word_frequency.zipf(lemma, language) >= threshold):
        return True
    return _known_parts(form, language, threshold, known)


def _known_parts(form: str, language: str, threshold: float, known: Set[str]) -> bool:
    """A compound the tokenizer kept whole (jieba: 二十岁, 坐火车, 工作效率) is within the
    level when it splits into two words that are: a learner reads 坐 + 火车."""
    base = word_frequency.base_language(language)
    if base == "ja" and len(form) >= 2 and form[0] in _POLITE_PREFIXES:
        rest = form[1:]  # お寺 is 寺, ご飯 is 飯: the prefix only makes it polite
        if rest in known or word_frequency.zipf(rest, language, listed_only=True) >= threshold:
            return True
    if base in _CLOSED_COMPOUNDS:
        return _known_closed_compound(form, language, threshold, known)
    if base not in _COMPOUNDING or len(form) < 3:
        return False
    return any(
        _all_within((form[:cut], form[cut:]), language, threshold, known)
        for cut in range(1, len(form))
    )


def _known_closed_compound(
    form: str, language: str, threshold: float, known: Set[str], depth: int = 0
) -> bool:
    """German (Dutch, Scandinavian) writes compounds as one word: Kulturkonsum is Kultur +
    Konsum, Arbeitszeit Arbeit + s + Zeit. Within the level when it splits into two
    words of three letters or more that are (after a linking s, n, en, es, er or e);
    the tail may itself be made of two (Empfehlungs + algorithmen), no deeper. The head
    is looked up first: few beginnings of a word are words, so most cuts stop there."""
    for cut in range(_MIN_PART, len(form) - _MIN_PART + 1):
        head, tail = form[:cut], form[cut:]
        heads = [head] + [head[: -len(link)] for link in _LINKS if head.endswith(link)]
        if not any(
            len(h) >= _MIN_PART and _within_or_known(h, language, threshold, known) for h in heads
        ):
            continue
        if _within_or_known(tail, language, threshold, known):
            return True
        deeper = not depth and len(tail) >= 2 * _MIN_PART
        if deeper and _known_closed_compound(tail, language, threshold, known, depth + 1):
            return True
    return False


def _all_within(parts: Sequence[str], language: str, threshold: float, known: Set[str]) -> bool:
    return all(_within_or_known(part, language, threshold, known) for part in parts)


def _within_or_known(part: str, language: str, threshold: float, known: Set[str]) -> bool:
    return part in known or word_frequency.zipf(part, language, listed_only=True) >= threshold


def _is_word(token: str) -> bool:
    """A token with a letter and no digit: numbers ("3", "2.5", "1er") are not words a
    learner learns."""
    has_letter = False
    for char in token:
        category = unicodedata.category(char)
        if category == "Nd":
            return False
        has_letter = has_letter or category.startswith("L")
    return has_letter


def _folded(text: str) -> tuple[str, list[int]]:
    """The text in lower case as wordfreq folds it, with each folded character's offset in
    the original (lower case may change a character's length: "İ")."""
    lowered = text.lower()
    if len(lowered) == len(text):  # nearly always: offsets carry over as they are
        return lowered, list(range(len(text)))
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = char.lower()
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


def _has_name_rule(language: str) -> bool:
    return word_frequency.base_language(language) not in _ALL_NOUNS_CAPITALIZED


def _is_name(text: str, start: int, end: int) -> bool:
    first = text[start]
    if not first.isupper() or end - start < 2:
        return False
    before = start - 1
    while before >= 0 and text[before] in _QUOTES_AND_SPACE:
        before -= 1
    return before >= 0 and text[before] not in _SENTENCE_ENDS
