"""Furigana for Japanese text: a reading in hiragana over each run of kanji, none over
kana (see reading_aids.py for why MeCab with the IPA dictionary).

MeCab cuts the text into words and gives each its reading in katakana, in context. Each
word's reading is aligned with its spelling so okurigana stay bare: 食べる (たべる) has
た over 食 alone, 取り扱い has と over 取 and あつか over 扱.

ipadic's known weak spots, corrected here (each is tested):
- a number and a counter are two words to it, read one by one: 一人 イチ|ニン, 一回
  イチ|カイ. A number and its counter are read together, as they sound (一回 いっかい,
  三本 さんぼん, 三百円 さんびゃくえん, 四時 よじ: japanese_numbers.py), and counters
  with irregular readings as a whole (一人 ひとり, 二日 ふつか, 二十日 はつか,
  一日 いちにち, or ついたち after a month), and 中 after a counter is じゅう
  (一日中 いちにちじゅう).
- 行っ (before た, て) is 行く or 行う; it guesses おこなっ after と and で. 行う takes an
  object, so 行っ is おこなっ only after を.
- 日本 is ニッポン to it; にほん is the everyday reading (にっぽん is formal).
- 今日は alone, or before an exclamation or full stop, is the greeting こんにちは.
"""

from __future__ import annotations

import re
from typing import Any

from tutor.domain.japanese_numbers import counted, numeral_reading
from tutor.domain.readings import Reader, Reading

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ"
_KANJI_RUN = re.compile(f"[{_KANJI}]+")
_HAS_KANJI = re.compile(f"[{_KANJI}]")

_COUNTED: dict[tuple[str, str], str] = {
    ("一", "人"): "ひとり",
    ("二", "人"): "ふたり",
    ("一", "日"): "いちにち",
    ("二", "日"): "ふつか",
    ("三", "日"): "みっか",
    ("四", "日"): "よっか",
    ("五", "日"): "いつか",
    ("六", "日"): "むいか",
    ("七", "日"): "なのか",
    ("八", "日"): "ようか",
    ("九", "日"): "ここのか",
    ("十", "日"): "とおか",
    ("二十", "日"): "はつか",
    ("二十", "歳"): "はたち",
}
_WORDS = {"日本": "にほん", "日本人": "にほんじん", "何時": "なんじ"}
_GREETING_END = frozenset({"", "！", "!", "。", "♪", "〜", "～"})


def furigana_reader() -> Reader:
    """A MeCab tagger on the IPA dictionary (mapped, not read: about 3 ms)."""
    import ipadic
    import MeCab

    tagger = MeCab.Tagger(ipadic.MECAB_ARGS)
    return lambda text: furigana(_words(tagger, text), text)


def _words(tagger: Any, text: str) -> list[tuple[str, list[str]]]:
    """(surface, features) of each word MeCab finds, in order."""
    words: list[tuple[str, list[str]]] = []
    node = tagger.parseToNode(text)
    while node is not None:
        if node.surface:
            words.append((node.surface, node.feature.split(",")))
        node = node.next
    return words


def furigana(words: list[tuple[str, list[str]]], text: str) -> list[Reading]:
    """Readings over the kanji of `text`, from MeCab's words (surface, features)."""
    found: list[Reading] = []
    position = 0
    i = 0
    while i < len(words):
        surface, features = words[i]
        start = text.find(surface, position)
        if start < 0:  # MeCab dropped or changed something (it skips some spaces)
            i += 1
            continue
        position = start + len(surface)
        counted = _counted_reading(words, i)
        if counted is not None:
            reading, used = counted
            end = start + sum(len(w[0]) for w in words[i : i + used])
            found.extend(align(text[start:end], reading, start))
            position, i = end, i + used
            continue
        run = _number_run(words, i)
        if run is not None:  # each word of a number and its counter, as they sound together
            for k, sound in enumerate(run):
                part = words[i + k][0]
                at = start if k == 0 else text.find(part, position)
                if at < 0:
                    break
                position = at + len(part)
                if sound and _HAS_KANJI.search(part):
                    found.extend(align(part, sound, at))
            i += len(run)
            continue
        word_reading = _reading(words, i, surface, features)
        if word_reading and _HAS_KANJI.search(surface):
            found.extend(align(surface, word_reading, start))
        i += 1
    return found


def _reading(
    words: list[tuple[str, list[str]]], i: int, surface: str, features: list[str]
) -> str | None:
    if len(features) < 8 or features[7] == "*":
        return None  # a word MeCab does not know: better no reading than a guess
    reading = hiragana(features[7])
    before = words[i - 1][0] if i else ""
    after = words[i + 1][0] if i + 1 < len(words) else ""
    if surface in _WORDS:
        return _WORDS[surface]
    if surface == "行っ" and reading == "おこなっ" and before != "を":
        return "いっ"
    beyond = words[i + 2][0] if i + 2 < len(words) else ""
    alone = i == 0 or words[i - 1][1][0] == "記号"  # at the start, or after punctuation
    if surface == "今日" and after == "は" and alone and beyond in _GREETING_END:
        return "こんにち"
    if surface == "中" and features[1] == "接尾" and i and words[i - 1][1][2] == "助数詞":
        return "じゅう"  # 一日中, 一年中: throughout
    return reading


def _counted_reading(words: list[tuple[str, list[str]]], i: int) -> tuple[str, int] | None:
    """An irregular number + counter reading starting at word i: (reading, words used).
    ipadic gives a number digit by digit (二|十|日), so the whole number is taken."""
    if words[i][1][1] != "数" or (i and words[i - 1][1][1] == "数"):
        return None
    j = i
    while j < len(words) and words[j][1][1] == "数":
        j += 1
    if j == len(words):
        return None
    number, counter = "".join(w[0] for w in words[i:j]), words[j][0]
    reading = _COUNTED.get((number, counter))
    if reading is None:
        return None
    if (number, counter) == ("一", "日") and i and words[i - 1][0].endswith("月"):
        reading = "ついたち"  # the first of a month
    return reading, j - i + 1


def _number_run(words: list[tuple[str, list[str]]], i: int) -> list[str | None] | None:
    """The readings of a number starting at word i (its digits are words to ipadic) and
    of the counter after it, if one follows, changed as they sound together
    (japanese_numbers.py); None when no number starts there."""
    if words[i][1][1] != "数" or (i and words[i - 1][1][1] == "数"):
        return None
    j = i
    while j < len(words) and words[j][1][1] == "数":
        j += 1
    number = [_known(features) or numeral_reading(surface) for surface, features in words[i:j]]
    after = words[j] if j < len(words) and words[j][1][2] == "助数詞" else None
    parts, counter = counted(number, _known(after[1]) if after else None, after[0] if after else "")
    return [*parts, counter] if after else parts


def _known(features: list[str]) -> str | None:
    """A word's reading in hiragana, if MeCab knows it."""
    return hiragana(features[7]) if len(features) > 7 and features[7] != "*" else None


def align(surface: str, reading: str, offset: int) -> list[Reading]:
    """Readings for the kanji runs of one word, its kana left bare: 食べる/たべる gives た
    over 食. Where the kana of the spelling cannot be found in the reading (a reading
    that does not follow the spelling), the word's kanji get the reading as a whole,
    less the kana it shares at either end."""
    pieces = re.split(f"([{_KANJI}]+)", surface)
    pattern = "".join(
        "(.+?)" if _KANJI_RUN.fullmatch(p) else re.escape(hiragana(p)) for p in pieces
    )
    match = re.fullmatch(pattern, reading) if pieces else None
    if match is not None:
        readings: list[Reading] = []
        at, group = offset, 1
        for piece in pieces:
            if _KANJI_RUN.fullmatch(piece):
                readings.append(Reading(at, at + len(piece), match.group(group)))
                group += 1
            at += len(piece)
        return readings
    kana = hiragana(surface)
    start, end = 0, len(surface)
    while start < end and reading and not _is_kanji(surface[start]) and kana[start] == reading[0]:
        start, reading = start + 1, reading[1:]
    while (
        end > start and reading and not _is_kanji(surface[end - 1]) and kana[end - 1] == reading[-1]
    ):
        end, reading = end - 1, reading[:-1]
    return [Reading(offset + start, offset + end, reading)] if reading else []


def _is_kanji(character: str) -> bool:
    return _HAS_KANJI.match(character) is not None


def hiragana(text: str) -> str:
    """Katakana written as hiragana (ー and other marks kept)."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)
