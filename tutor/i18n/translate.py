"""What the learner reads, in the interface language: gettext catalogues compiled from
`tutor/locale/<code>/LC_MESSAGES/tutor.po` (scripts/catalogues keeps them current).

Text is marked where it is written, in every layer (the domain's level descriptions, the
llm's error explanations, the interface's labels), with the gettext names translators'
tools know:

    _("Stop")                                       # translated now
    _("Nothing answers at {address}.").format(address=url)
    ngettext("{count} message", "{count} messages", n).format(count=format_number(n))
    N_("Grammar")   # marked only: a constant made at import, translated where shown: _(GRAMMAR)
    pgettext("menu", "Session")                     # one English word, two meanings

Placeholders are named (`{address}`), so a translation may move them; a sentence is never
assembled from translated fragments.

One language is in use for the whole process, chosen by the composition root at start
(`use_language`) and again when the learner changes it in Settings: the one piece of
process-wide state Tutor keeps, as gettext and Qt's installed translators do, because
passing a catalogue to every function that words something would reach into every call
in every layer. Until a language is chosen, and for any text a catalogue lacks, the
English source is used.
"""

from __future__ import annotations

import gettext
import struct

DOMAIN = "tutor"
SOURCE_LANGUAGE = "en"

INTERFACE_LANGUAGES: tuple[str, ...] = (
    "en",
    "ar",
    "de",
    "es",
    "fr",
    "ja",
    "ko",
    "pt_BR",
    "zh_Hans",
)
"""Languages whose catalogue is complete (tests/test_translations.py checks it), as
gettext names them; English is the source."""

RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


class _InUse:
    # Not a dataclass: this module loads before the first frame, and dataclasses (with
    # inspect) would cost it 10 ms (tests/test_startup.py).
    def __init__(self) -> None:
        self.language = SOURCE_LANGUAGE
        self.catalogue = gettext.NullTranslations()


_in_use = _InUse()


def _(message: str) -> str:
    """`message` in the interface language."""
    return _in_use.catalogue.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` in the interface language's plural rules (Arabic has six,
    Japanese one); format the count into it yourself."""
    return _in_use.catalogue.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` as meant in `context`, where one English word needs two translations."""
    return _in_use.catalogue.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Marks `message` for translation without translating it: for constants made at
    import, before a language is chosen. Translate with `_()` where it is shown."""
    return message


def language_in_use() -> str:
    """The interface language now, as gettext names it ("ko", "pt_BR", "zh_Hans")."""
    return _in_use.language


def reads_right_to_left() -> bool:
    """True when the interface language is written right to left: the layout mirrors."""
    return _in_use.language.split("_")[0] in RIGHT_TO_LEFT_LANGUAGES


def use_language(code: str) -> str:
    """Translate from now on into `code` (a gettext name, or a BCP 47 tag such as
    "pt-BR" or "zh-Hans-CN"); English when Tutor has no catalogue for it. Returns the
    language in use."""
    chosen = interface_language_for(code)
    _in_use.language = chosen
    _in_use.catalogue = _catalogue(chosen)
    return chosen


def interface_language_for(code: str) -> str:
    """The interface language Tutor offers nearest to `code`: "pt-PT" -> "pt_BR" (the
    one Portuguese it has), "zh-CN" -> "zh_Hans", "ko_KR.UTF-8" -> "ko"; "en" for
    anything else."""
    tag = code.split(".")[0].split("@")[0].replace("-", "_")
    parts = tag.split("_")
    base = parts[0].lower()
    if base == "zh":
        traditional = any(p in ("Hant", "TW", "HK", "MO") for p in parts[1:])
        return "en" if traditional else "zh_Hans"
    for offered in INTERFACE_LANGUAGES:
        if offered.split("_")[0] == base:
            return offered
    return SOURCE_LANGUAGE


def compiled_languages() -> list[str]:
    """The interface languages (but English) whose compiled catalogue Tutor finds and
    reads: `tutor doctor` lists them, for a wheel or a bundle that lacks one."""
    return [
        code
        for code in INTERFACE_LANGUAGES
        if code != SOURCE_LANGUAGE and isinstance(_catalogue(code), gettext.GNUTranslations)
    ]


def _catalogue(language: str) -> gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from importlib import resources  # 12 ms (tempfile, inspect): not for an English start

    compiled = resources.files("tutor") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with compiled.open("rb") as data:
            return gettext.GNUTranslations(data)
    except (OSError, ValueError, struct.error):  # not compiled yet, or damaged
        return gettext.NullTranslations()
