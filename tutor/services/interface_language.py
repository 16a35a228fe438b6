"""The interface language: the one Tutor starts in, the choices the welcome and Settings
offer, and the one the welcome suggests for the learner's own language.

A choice is saved with the other settings (`apply_setup(..., interface_language=code)`,
Settings.interface_language; "" follows the system) and takes effect at the next start:
Tutor's windows word their text as they are built, so a window already open would keep
the old words beside new ones; a language is therefore taken once, before the first
window (tutor/app.py), and `change_note` tells the learner when the new one comes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from tutor.i18n.translate import (
    INTERFACE_LANGUAGES,
    SOURCE_LANGUAGE,
    _,
    interface_language_for,
    language_in_use,
)

FOLLOW_THE_SYSTEM = ""
"""The setting that means: the system's language, when Tutor offers it."""


class LanguageChoice(NamedTuple):  # not a dataclass: loaded before the first frame
    code: str
    """One of INTERFACE_LANGUAGES, or FOLLOW_THE_SYSTEM."""
    label: str
    """What the list shows: the language named in the interface language, and in its own."""


def starting_language(saved: str, system_languages: Sequence[str]) -> str:
    """The language to start in: the saved choice when Tutor offers it, else the first of
    the system's languages (most preferred first, as BCP 47 or POSIX names: "fr-CA",
    "ko_KR.UTF-8") that Tutor offers, else English. Traditional Chinese is not offered,
    so "zh-TW" passes to the next preference rather than to Simplified Chinese."""
    if saved in INTERFACE_LANGUAGES:
        return saved
    for tag in system_languages:
        chosen = interface_language_for(tag)
        if chosen != SOURCE_LANGUAGE or _base(tag) == SOURCE_LANGUAGE:
            return chosen
    return SOURCE_LANGUAGE


def suggested_language(native_language: str) -> str:
    """The interface language for a learner whose own language is `native_language`
    (BCP 47): the welcome proposes it once the learner names theirs. FOLLOW_THE_SYSTEM
    when Tutor has no interface in that language."""
    chosen = interface_language_for(native_language)
    if chosen == SOURCE_LANGUAGE and _base(native_language) != SOURCE_LANGUAGE:
        return FOLLOW_THE_SYSTEM
    return chosen


def language_choices(system_languages: Sequence[str]) -> list[LanguageChoice]:
    """The system's language first ("System language (Deutsch)"), then every interface
    language sorted by its name in the language in use, each with its own name beside:
    "Korean — 한국어"; the language in use alone by the one name."""
    # Here, not at the top: the frame imports this module before its first paint, and
    # the formats (datetime, Babel's names) are needed only when a list is shown.
    from tutor.i18n.formats import language_name, sort_key

    system = starting_language(FOLLOW_THE_SYSTEM, system_languages)
    choices = [
        LanguageChoice(
            code,
            _("{language} — {own_name}").format(
                language=language_name(code), own_name=own_name(code)
            )
            if code != language_in_use()
            else own_name(code),
        )
        for code in INTERFACE_LANGUAGES
    ]
    choices.sort(key=lambda choice: sort_key(choice.label))
    follow = _("System language ({language})").format(language=own_name(system))
    return [LanguageChoice(FOLLOW_THE_SYSTEM, follow), *choices]


def change_note(saved: str, system_languages: Sequence[str]) -> str | None:
    """What to tell the learner once `saved` is the setting: None when Tutor already
    speaks that language, else when the new one comes."""
    from tutor.i18n.formats import language_name  # as in language_choices

    chosen = starting_language(saved, system_languages)
    if chosen == language_in_use():
        return None
    return _("Tutor will speak {language} from the next time it starts.").format(
        language=language_name(chosen)
    )


def own_name(code: str) -> str:
    """The language named in itself: "한국어", "Deutsch", "Português (Brasil)"."""
    from babel import Locale

    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def _base(tag: str) -> str:
    return tag.replace("-", "_").split("_")[0].split(".")[0].lower()
