"""Numbers, dates, times, lists and language names as the interface language writes them
(Babel's CLDR data), and text sorted as its readers expect.

Each function formats for the language in use (translate.use_language), so a caller
never passes a locale: "1,234" in English is "1.234" in German, a date in Korean reads
"2026년 12월 6일", and Spanish is "스페인어" in a Korean list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from functools import cache
from typing import TYPE_CHECKING, Literal

from tutor.i18n.translate import language_in_use

if TYPE_CHECKING:
    from babel import Locale

Width = Literal["short", "medium", "long", "full"]


@cache
def _locale(language: str) -> Locale:
    from babel import Locale  # 10 ms, and only once a number or date is shown

    return Locale.parse(language)


def locale_in_use() -> Locale:
    return _locale(language_in_use())


def format_number(number: float, *, decimals: int | None = None) -> str:
    """`number` with the interface language's digits grouping and decimal sign."""
    from babel.numbers import format_decimal

    if decimals is None:
        return format_decimal(number, locale=locale_in_use())
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale=locale_in_use())


def format_percent(fraction: float, *, decimals: int = 0) -> str:
    """0.25 -> "25%" ("25 %" in French, "٪25" where the locale puts it first);
    `decimals` after the decimal sign, in the locale's own pattern."""
    from babel.numbers import format_percent as babel_percent

    locale = locale_in_use()
    if not decimals:
        return babel_percent(fraction, locale=locale)
    pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0." + "0" * decimals, 1)
    return babel_percent(fraction, format=pattern, locale=locale)


def format_date(day: date | datetime, width: Width = "medium") -> str:
    from babel.dates import format_date as babel_date

    return babel_date(day, width, locale=locale_in_use())


def format_time(moment: time | datetime, width: Width = "short") -> str:
    from babel.dates import format_time as babel_time

    return babel_time(moment, width, locale=locale_in_use())


def format_datetime(moment: datetime, width: Width = "medium") -> str:
    from babel.dates import format_datetime as babel_datetime

    return babel_datetime(moment, width, locale=locale_in_use())


def format_list(items: Sequence[str]) -> str:
    """["a", "b", "c"] -> "a, b and c" ("a, b 및 c" in Korean)."""
    from babel.lists import format_list as babel_list

    return babel_list(list(items), locale=locale_in_use())


def language_name(code: str) -> str:
    """The language of a BCP 47 tag named in the interface language ("스페인어" for "es"
    in Korean); its English name from CLDR when the tag is unknown to CLDR."""
    locale = locale_in_use()
    tag = code.replace("-", "_")
    name = locale.languages.get(tag) or locale.languages.get(tag.split("_")[0])
    return name or code


def sort_key(text: str) -> tuple[str, str]:
    """A key that sorts text as readers expect rather than by code point, which puts
    "Ñ" after "Z", "Ö" after every Latin letter and lower case after upper: letters
    first without their accents and case ("Österreich" beside "Oslo"), then with them.

    Hangul syllables, kana and the Arabic letters already stand in their alphabet's order
    in Unicode, and CJK ideographs in radical-stroke order (the order of the Unicode
    Collation Algorithm's default table), so this key sorts the short lists Tutor shows
    (language names, scenario titles) as the default collation does, in microseconds; the
    full table (pyuca, ICU) costs 0.2 s to load, which a start-up cannot afford.
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)), text


def sorted_text(items: Iterable[str]) -> list[str]:
    return sorted(items, key=sort_key)
