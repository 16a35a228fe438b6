"""How a Japanese number and the counter after it sound together, for furigana
(reading_ja.py): ipadic reads a number digit by digit and the counter on its own
(一|回 いち|かい), where Japanese runs them together with sound changes: 一回 いっかい,
三本 さんぼん, 六分 ろっぷん, 三百 さんびゃく, 四時 よじ. The rules are the textbook ones
(a small っ after いち, ろく, はち, じゅう and ひゃく before k, s, t and h sounds, h becoming
p after it, and b after さん and なん), with the counters that break them listed.
"""

from __future__ import annotations

_SMALL_TSU = {
    "いち": "いっ",
    "ろく": "ろっ",
    "はち": "はっ",
    "じゅう": "じゅっ",
    "ひゃく": "ひゃっ",
}
_SMALL_TSU_BEFORE_S_T = frozenset({"いち", "はち", "じゅう"})
"""Before s and t sounds ろく and ひゃく keep their く (ろくさい, ひゃくさつ)."""
_HALF_VOICED = {"は": "ぱ", "ひ": "ぴ", "ふ": "ぷ", "へ": "ぺ", "ほ": "ぽ"}
_VOICED = {"は": "ば", "ひ": "び", "ふ": "ぶ", "へ": "べ", "ほ": "ぼ", "か": "が", "せ": "ぜ"}
_P_AFTER_N = frozenset({"ふん", "はく", "ほ"})
"""Counters that take p, not b, after さん, なん and よん (三分 さんぷん, 四泊 よんぱく)."""
_WHOLE: dict[tuple[str, str], tuple[str, str]] = {
    ("よん", "じ"): ("よ", "じ"),  # 四時
    ("なな", "じ"): ("しち", "じ"),  # 七時
    ("きゅう", "じ"): ("く", "じ"),  # 九時
    ("よん", "にん"): ("よ", "にん"),  # 四人
    ("よん", "ねん"): ("よ", "ねん"),  # 四年
    ("よん", "えん"): ("よ", "えん"),  # 四円
    ("さん", "かい"): ("さん", "がい"),  # 三階 (三回 is さんかい: by its spelling, below)
    ("なん", "かい"): ("なん", "がい"),  # 何階
}
_NUMBER_INSIDE: dict[tuple[str, str], tuple[str, str]] = {
    ("さん", "ひゃく"): ("さん", "びゃく"),
    ("なん", "ひゃく"): ("なん", "びゃく"),
    ("ろく", "ひゃく"): ("ろっ", "ぴゃく"),
    ("はち", "ひゃく"): ("はっ", "ぴゃく"),
    ("さん", "せん"): ("さん", "ぜん"),
    ("なん", "せん"): ("なん", "ぜん"),
    ("はち", "せん"): ("はっ", "せん"),
}
_DIGITS = ("ぜろ", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう")


def counted(
    number: list[str | None], counter: str | None, counter_spelling: str = ""
) -> tuple[list[str | None], str | None]:
    """The readings of a number's words (None: written in digits, or unknown) and of
    the counter after it (None: no counter), as they sound together."""
    parts = list(number)
    for k in range(len(parts) - 1):
        pair = (parts[k] or "", parts[k + 1] or "")
        if pair in _NUMBER_INSIDE:
            parts[k], parts[k + 1] = _NUMBER_INSIDE[pair]
    if counter is None or not counter or not parts or parts[-1] is None:
        return parts, counter
    last = parts[-1]
    assert last is not None
    if (last, counter) in _WHOLE and not (counter == "かい" and counter_spelling != "階"):
        parts[-1], counter = _WHOLE[(last, counter)]
        return parts, counter
    parts[-1], counter = _joined(last, counter)
    return parts, counter


def _joined(last: str, counter: str) -> tuple[str, str]:
    first = counter[0]
    if first in _HALF_VOICED:  # h
        if last in _SMALL_TSU:
            return _SMALL_TSU[last], _HALF_VOICED[first] + counter[1:]
        if last in ("さん", "なん"):
            sound = _HALF_VOICED if counter in _P_AFTER_N else _VOICED
            return last, sound[first] + counter[1:]
        if last == "よん" and counter in _P_AFTER_N:
            return last, _HALF_VOICED[first] + counter[1:]
    elif first in "かきくけこ":
        if last in _SMALL_TSU:
            return _SMALL_TSU[last], counter
    elif first in "さしすせそたちつてと" and last in _SMALL_TSU_BEFORE_S_T:
        return _SMALL_TSU[last], counter
    return last, counter


def numeral_reading(digits: str) -> str | None:
    """How a number written in digits ends when read (what the counter after it hears):
    3 さん, 10 じゅう, 300 ひゃく, 2000 せん; None if it is not a number."""
    plain = digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not plain.isdigit():
        return None
    value = int(plain)
    if value % 10:
        return _DIGITS[value % 10]
    if value == 0:
        return _DIGITS[0]
    if value % 100:
        return "じゅう"
    if value % 1000:
        return "ひゃく"
    if value % 10000:
        return "せん"
    return "まん"
