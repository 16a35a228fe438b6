"""The word lists behind the fit meter: wordfreq's Zipf frequencies and tokenizers, and
simplemma's lemmas, imported lazily.

wordfreq costs 0.2 s to import and load a language's list, jieba 0.1 s more for Chinese,
MeCab a little for Japanese, simplemma a dictionary per language: none of it may load at
start-up (docs/performance.md). Nothing here runs at import; `warm()` loads a language
on a pool thread once the window is shown, and every other call loads on first use.
"""

from __future__ import annotations

import logging
import math
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

log = logging.getLogger(__name__)

# Tags Tutor offers whose wordfreq list goes by another name: Norwegian Bokmål is "nb",
# Serbian, Croatian and Bosnian share "sh", Tagalog is wordfreq's Filipino, Hebrew's old tag.
_WORDFREQ_ALIASES = {"no": "nb", "sr": "sh", "hr": "sh", "bs": "sh", "tl": "fil", "iw": "he"}
_SIMPLEMMA_ALIASES = {"no": "nb", "sr": "hbs", "hr": "hbs", "bs": "hbs", "sh": "hbs"}


@cache
def base_language(code: str) -> str:
    """The language part of a BCP 47 tag, as wordfreq names its lists: 'pt-BR' -> 'pt',
    'zh-Hans' -> 'zh', 'no' -> 'nb'."""
    base = code.replace("_", "-").split("-")[0].lower()
    return _WORDFREQ_ALIASES.get(base, base)


@cache
def covered_languages() -> frozenset[str]:
    """The languages wordfreq has a frequency list for (loads wordfreq)."""
    import wordfreq

    return frozenset(wordfreq.available_languages())


def covers(code: str) -> bool:
    return base_language(code) in covered_languages()


def tokens(text: str, code: str) -> list[str]:
    """The text's words as wordfreq splits and folds them (lower case, NFKC; jieba for
    Chinese, MeCab for Japanese and Korean), without punctuation."""
    import wordfreq

    return list(wordfreq.tokenize(text, base_language(code)))


def zipf(word: str, code: str, *, listed_only: bool = False) -> float:
    """log10 of the word's frequency per billion words (wordfreq's Zipf scale: 7 for
    "the", 3 for a word met once in a million, 0 when the word is not in the list).

    A word in the list is looked up there directly: wordfreq's own `zipf_frequency`
    tokenizes the word again first, which for Chinese (jieba) costs more than the rest
    of a reply's measure. Anything else (a word the list splits, traditional Chinese)
    goes to wordfreq, unless `listed_only` (a piece of a compound: 0 when not listed)."""
    language = base_language(code)
    frequency = _frequencies(language).get(word)
    if frequency:
        return round(math.log10(frequency) + 9, 2)
    if listed_only:
        return 0.0
    import wordfreq

    return float(wordfreq.zipf_frequency(word, language))


@cache
def _frequencies(language: str) -> dict[str, float]:
    import wordfreq

    # As wordfreq calls it, so its lru_cache holds one copy: ~90 ms and 20 MB a language.
    return wordfreq.get_frequency_dict(language, "best")


def lemma(word: str, code: str) -> str:
    """The word's dictionary form where simplemma has the language ("comí" -> "comer");
    the word itself elsewhere (Chinese, Japanese, Korean)."""
    language = _simplemma_language(code)
    if language is None:
        return word
    return _lemma(word, language)


@cache
def _lemma(word: str, language: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang=language)).casefold()


def _simplemma_language(code: str) -> str | None:
    base = code.replace("_", "-").split("-")[0].lower()
    base = _SIMPLEMMA_ALIASES.get(base, base)
    return base if base in _simplemma_languages() else None


@cache
def _simplemma_languages() -> frozenset[str]:
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    return frozenset(SUPPORTED_LANGUAGES)


# Words that make each tokenizer load (jieba, MeCab): never shown.
_SAMPLES = {"zh": "我们今天学习", "ja": "今日は勉強します", "ko": "오늘 공부합니다"}  # i18n: ignore


def warm(codes: Iterable[str]) -> None:
    """Load each language's list, tokenizer and lemmas now (a pool thread calls this once
    the window is shown), so the first reply's meter costs milliseconds."""
    for code in codes:
        if not covers(code):
            continue
        sample = _SAMPLES.get(base_language(code), "hello world")  # i18n: ignore (never shown)
        for word in tokens(sample, code):
            zipf(word, code)
            lemma(word, code)
        log.info("word frequencies for %s loaded", code)
