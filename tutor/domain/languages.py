"""The languages Tutor offers, with their names in English, in themselves and in the
interface language."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tutor.i18n.formats import language_name, sort_key
from tutor.i18n.translate import _

# Scripts whose names start with a capital in a list. (Georgian has capitals, Mtavruli,
# but its names are not written with one.)
_CAPITALIZED_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek", "Armn"})

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


# What langcodes answers for every code above, kept here because loading its name tables
# costs 170 ms of start-up: code asked for -> (tag, English name, own name, script).
# tests/test_domain.py checks each row against langcodes, so an update that changes a
# name fails there; regenerate with `python -m tutor.domain.languages`.
_OFFERED: dict[str, tuple[str, str, str, str]] = {
    "ar": ("ar", "Arabic", "العربية", "Arab"),
    "zh": ("zh", "Chinese", "中文", "Hans"),
    "cs": ("cs", "Czech", "Čeština", "Latn"),
    "da": ("da", "Danish", "Dansk", "Latn"),
    "nl": ("nl", "Dutch", "Nederlands", "Latn"),
    "en": ("en", "English", "English", "Latn"),
    "fi": ("fi", "Finnish", "Suomi", "Latn"),
    "fr": ("fr", "French", "Français", "Latn"),
    "de": ("de", "German", "Deutsch", "Latn"),
    "el": ("el", "Greek", "Ελληνικά", "Grek"),
    "he": ("he", "Hebrew", "עברית", "Hebr"),
    "hi": ("hi", "Hindi", "हिन्दी", "Deva"),
    "hu": ("hu", "Hungarian", "Magyar", "Latn"),
    "id": ("id", "Indonesian", "Bahasa Indonesia", "Latn"),
    "it": ("it", "Italian", "Italiano", "Latn"),
    "ja": ("ja", "Japanese", "日本語", "Jpan"),
    "ko": ("ko", "Korean", "한국어", "Kore"),
    "nb": ("nb", "Norwegian Bokmål", "Norsk bokmål", "Latn"),
    "fa": ("fa", "Persian", "فارسی", "Arab"),
    "pl": ("pl", "Polish", "Polski", "Latn"),
    "pt": ("pt", "Portuguese", "Português", "Latn"),
    "ro": ("ro", "Romanian", "Română", "Latn"),
    "ru": ("ru", "Russian", "Русский", "Cyrl"),
    "es": ("es", "Spanish", "Español", "Latn"),
    "sw": ("sw", "Swahili", "Kiswahili", "Latn"),
    "sv": ("sv", "Swedish", "Svenska", "Latn"),
    "th": ("th", "Thai", "ไทย", "Thai"),
    "tr": ("tr", "Turkish", "Türkçe", "Latn"),
    "uk": ("uk", "Ukrainian", "Українська", "Cyrl"),
    "ur": ("ur", "Urdu", "اردو", "Arab"),
    "vi": ("vi", "Vietnamese", "Tiếng Việt", "Latn"),
    "bn": ("bn", "Bangla", "বাংলা", "Beng"),
    "bg": ("bg", "Bulgarian", "Български", "Cyrl"),
    "ca": ("ca", "Catalan", "Català", "Latn"),
    "hr": ("hr", "Croatian", "Hrvatski", "Latn"),
    "et": ("et", "Estonian", "Eesti", "Latn"),
    "tl": ("fil", "Filipino", "Filipino", "Latn"),
    "ka": ("ka", "Georgian", "ქართული", "Geor"),
    "lt": ("lt", "Lithuanian", "Lietuvių", "Latn"),
    "lv": ("lv", "Latvian", "Latviešu", "Latn"),
    "ms": ("ms", "Malay", "Bahasa Malaysia", "Latn"),
    "sr": ("sr", "Serbian", "Српски", "Cyrl"),
    "sk": ("sk", "Slovak", "Slovenčina", "Latn"),
    "sl": ("sl", "Slovenian", "Slovenščina", "Latn"),
    "ta": ("ta", "Tamil", "தமிழ்", "Taml"),
    "te": ("te", "Telugu", "తెలుగు", "Telu"),
}


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str
    native_name: str
    script: str
    right_to_left: bool

    @property
    def interface_name(self) -> str:
        """Its name in the interface language, as a name standing alone (a title, a list
        entry): "Spanish", "스페인어" in Korean, "Espagnol" in French, where CLDR writes
        "espagnol" for use inside a sentence (tutor.i18n.formats.language_name)."""
        name = language_name(self.code)
        return name[:1].upper() + name[1:]

    @property
    def label(self) -> str:
        """How a picker shows it: its own name with its name in the interface language,
        'Español (Spanish)', 'Español (스페인어)' in Korean; just 'English' in English."""
        name = self.interface_name
        if self.native_name.casefold() == name.casefold():
            return self.native_name
        # Translators: a language in a list, its own name first: "Español (Spanish)".
        return _("{native} ({name})").format(native=self.native_name, name=name)


@cache
def language(code: str) -> Language:
    """The language for a BCP 47 tag such as 'es' or 'pt-BR'; raises ValueError if unknown."""
    known = _OFFERED.get(code)
    if known is not None:
        tag, english, native, script = known
        return Language(tag, english, native, script, script in _RTL_SCRIPTS)
    return language_from_langcodes(code)


def reads_right_to_left(code: str) -> bool:
    """True if the language of a BCP 47 tag is written right to left; False for a tag this
    Tutor does not know (it is then read as written)."""
    try:
        return language(code).right_to_left
    except (LookupError, ValueError):
        return False


def language_from_langcodes(code: str) -> Language:
    """Ask langcodes (and its CLDR data) about any tag: the source of `_OFFERED`."""
    import langcodes  # 70 ms of name tables, needed only for tags Tutor does not offer

    if not langcodes.tag_is_valid(code):
        raise ValueError(f"Not a language code: {code!r}")
    tag = langcodes.Language.get(code)
    english = tag.display_name("en")
    native = tag.autonym()
    if english.startswith("Unknown language"):
        raise ValueError(f"Unknown language: {code!r}")
    script = tag.maximize().script or "Latn"
    if script in _CAPITALIZED_SCRIPTS:  # "español" is a name in a list: "Español"
        native = native[:1].upper() + native[1:]
    return Language(
        code=tag.to_tag(),
        english_name=english,
        native_name=native,
        script=script,
        right_to_left=script in _RTL_SCRIPTS,
    )


def practice_languages() -> list[Language]:
    """Languages offered for practice, sorted by their names in the interface language."""
    return _by_interface_name(language(c) for c in PRACTICE_LANGUAGE_CODES)


def native_languages() -> list[Language]:
    """Languages offered as the learner's own, sorted by their names in the interface
    language."""
    codes = PRACTICE_LANGUAGE_CODES + _EXTRA_NATIVE_CODES
    return _by_interface_name(language(c) for c in codes)


def _by_interface_name(languages: Iterable[Language]) -> list[Language]:
    """As the interface language's readers sort names: "Español" by "스페인어" in Korean."""
    return sorted(languages, key=lambda x: sort_key(x.interface_name))


def _table_rows() -> str:
    """The rows of `_OFFERED` as langcodes answers now, formatted as ruff formats them."""
    rows = []
    for code in PRACTICE_LANGUAGE_CODES + _EXTRA_NATIVE_CODES:
        found = language_from_langcodes(code)
        fields = (found.code, found.english_name, found.native_name, found.script)
        quoted = ", ".join(json.dumps(field, ensure_ascii=False) for field in fields)
        rows.append(f'    "{code}": ({quoted}),')
    return "\n".join(rows)


if __name__ == "__main__":
    print(_table_rows())
