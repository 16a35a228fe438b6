"""The languages Tutor offers, with their names in English and in themselves."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import langcodes

# Scripts written right to left (ISO 15924 codes as langcodes reports them).
_RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Mand", "Samr"})

# Languages a learner can practise: chosen for the number of learners and for
# covering Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai and CJK scripts.
PRACTICE_LANGUAGE_CODES: tuple[str, ...] = (
    "ar",
    "zh",
    "cs",
    "da",
    "nl",
    "en",
    "fi",
    "fr",
    "de",
    "el",
    "he",
    "hi",
    "hu",
    "id",
    "it",
    "ja",
    "ko",
    "nb",
    "fa",
    "pl",
    "pt",
    "ro",
    "ru",
    "es",
    "sw",
    "sv",
    "th",
    "tr",
    "uk",
    "ur",
    "vi",
)

# Further languages a learner may speak natively (explanations are written in it).
_EXTRA_NATIVE_CODES: tuple[str, ...] = (
    "bn",
    "bg",
    "ca",
    "hr",
    "et",
    "tl",
    "ka",
    "lt",
    "lv",
    "ms",
    "sr",
    "sk",
    "sl",
    "ta",
    "te",
)


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str
    native_name: str
    script: str
    right_to_left: bool

    @property
    def label(self) -> str:
        """How a picker shows it: 'Español (Spanish)', or just 'English'."""
        if self.native_name.casefold() == self.english_name.casefold():
            return self.english_name
        return f"{self.native_name} ({self.english_name})"


@cache
def language(code: str) -> Language:
    """The language for a BCP 47 tag such as 'es' or 'pt-BR'; raises ValueError if unknown."""
    if not langcodes.tag_is_valid(code):
        raise ValueError(f"Not a language code: {code!r}")
    tag = langcodes.Language.get(code)
    english = tag.display_name("en")
    native = tag.autonym()
    if english.startswith("Unknown language"):
        raise ValueError(f"Unknown language: {code!r}")
    native = native[:1].upper() + native[1:]
    script = tag.maximize().script or "Latn"
    return Language(
        code=tag.to_tag(),
        english_name=english,
        native_name=native,
        script=script,
        right_to_left=script in _RTL_SCRIPTS,
    )


def practice_languages() -> list[Language]:
    """Languages offered for practice, sorted by English name."""
    return sorted((language(c) for c in PRACTICE_LANGUAGE_CODES), key=lambda x: x.english_name)


def native_languages() -> list[Language]:
    """Languages offered as the learner's own, sorted by English name."""
    codes = PRACTICE_LANGUAGE_CODES + _EXTRA_NATIVE_CODES
    return sorted((language(c) for c in codes), key=lambda x: x.english_name)
