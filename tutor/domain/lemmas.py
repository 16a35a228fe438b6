"""A word's dictionary form, computed on this computer with `simplemma`.

simplemma is preferred to the model's answer wherever it knows the language: its forms
come from Wiktionary-derived lists made for lemmatization, the same every time, while
a model may give a related word, a form in another language, or nothing. The model's
lemma is the fallback for the languages simplemma lacks (Chinese, Japanese, Korean…),
for phrases, and for words its lists do not hold.

Loading one language's list takes about a second the first time (then it is cached by
simplemma): call this off the GUI thread, as the look-up's request is. simplemma is
imported here, never at start-up.
"""

from __future__ import annotations

from functools import cache


@cache
def _supported() -> frozenset[str]:
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    except ImportError:  # simplemma missing from an install: the model's lemma is used
        return frozenset()
    return frozenset(SUPPORTED_LANGUAGES)


def simplemma_language(language: str) -> str | None:
    """simplemma's code for a BCP 47 tag ("pt-BR" → "pt"), or None if it lacks it."""
    code = language.split("-")[0].casefold()
    if code == "no":
        code = "nb"
    return code if code in _supported() else None


def dictionary_form(word: str, language: str) -> str | None:
    """The dictionary form of a single word, or None when simplemma cannot tell it
    (an unsupported language, a phrase, a word its lists do not know)."""
    code = simplemma_language(language)
    word = word.strip()
    if code is None or not word or any(ch.isspace() for ch in word):
        return None
    import simplemma

    # Words starting a sentence are capitalised; the lists hold them in lower case.
    for candidate in dict.fromkeys((word, word.lower())):
        lemma = simplemma.lemmatize(candidate, lang=code)
        if lemma != candidate or simplemma.is_known(candidate, lang=code):
            return lemma
    return None
