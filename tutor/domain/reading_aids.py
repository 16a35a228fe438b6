"""Reading aids: how to read a text in a script the learner may not read yet, computed
locally by libraries made for it (never asked of the model, which would cost a request
and could be wrong without anyone noticing).

- Chinese: pinyin with tone marks, word by word (`reading_zh.py`): jieba cuts the text
  into words and pypinyin reads each word as a whole, so a polyphone takes its reading
  in that word (银行 yínháng, 行不行 xíng bù xíng; 一 and 不 with their changed tones
  where pypinyin's phrase list has them: 一起 yìqǐ, 不是 búshì).
- Japanese: furigana over kanji only, never over kana (`reading_ja.py`), from MeCab
  with the IPA dictionary; the reading comes in katakana and is written in hiragana,
  and okurigana are aligned so 食べる has た over 食 alone.
- Korean: Revised Romanization, word by word (`reading_ko.py`): korean-romanizer, after
  the sound changes it leaves out (감사합니다 gamsahamnida, not gamsahapnida).

Why MeCab + ipadic for Japanese, and not pykakasi. Both are installed; on the tricky
sentences of tests/test_reading_aids.py:
- MeCab reads each word in its sentence: 今日は天気がいい is きょう (pykakasi reads 今日は
  as the greeting こんにちは wherever it stands), 東京へ行った いった and 会議を行う
  おこなう, 生ビール なま and 生活 せいかつ, 上手 じょうず. pykakasi knows no context: 行った
  is いった even after を.
- Where ipadic is weak, a short documented correction fixes it (reading_ja.py): counters
  with irregular readings (一人 ひとり, 二日 ふつか, 一日中 いちにちじゅう: ipadic cuts 一|人
  and reads イチ|ニン), 行っ after something that is not を (ipadic's first guess after
  と or で is おこなっ), 日本 にほん (its everyday reading; ipadic says ニッポン), and
  今日は standing alone as the greeting こんにちは. pykakasi would need a list as long for
  its own mistakes, and could not have one for context it does not see.
- Size and time: ipadic (51 MB) and mecab-python3 come with wordfreq[cjk], which the
  level meter needs anyway, so MeCab costs nothing more to install; its dictionary is
  mapped, not read, so a tagger is ready in about 3 ms. pykakasi adds 10 MB and takes
  0.5 s to load its dictionaries.

Each aid gives `Reading`s: (start, end, text) over the original text, so the interface
places a reading over exactly the characters it reads and the text itself never
changes (selection and marks stay as they were). A language without an aid has none
(`aid_for` is None); a library missing from an install gives `Unavailable` with the
package to install, never an exception. Libraries are imported on first use, by the
`ReadingAnalyser` (one per window, not a module global), off the GUI thread.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from enum import StrEnum

from tutor.domain.readings import Reader, Reading


class AidKind(StrEnum):
    PINYIN = "pinyin"
    FURIGANA = "furigana"
    ROMANIZATION = "romanization"


@dataclass(frozen=True)
class ReadingAid:
    kind: AidKind
    packages: tuple[tuple[str, str], ...]
    """(module imported, package to install) for each library the aid needs."""


@dataclass(frozen=True)
class Unavailable:
    """The aid's library is not installed (or does not load): `package` names it."""

    package: str


AIDS: dict[str, ReadingAid] = {
    "zh": ReadingAid(AidKind.PINYIN, (("jieba", "jieba"), ("pypinyin", "pypinyin"))),
    "ja": ReadingAid(AidKind.FURIGANA, (("MeCab", "mecab-python3"), ("ipadic", "ipadic"))),
    "ko": ReadingAid(AidKind.ROMANIZATION, (("korean_romanizer", "korean-romanizer"),)),
}


def _base(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def aid_for(language: str) -> ReadingAid | None:
    """The reading aid for a language (a code such as "zh" or "zh-Hant"), or None."""
    return AIDS.get(_base(language))


def missing_package(language: str) -> str | None:
    """The first package the language's aid needs and this install lacks, found without
    importing anything (cheap enough for the GUI thread); None when all are there or the
    language has no aid."""
    aid = aid_for(language)
    if aid is None:
        return None
    for module, package in aid.packages:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            return package
    return None


def shown_by_default(target_language: str, level: str, native_language: str) -> bool:
    """Whether a new session shows its reading aids before the learner chooses: for a
    beginner (A1, A2) in a language that has one, unless it is their own language.

    Not "unless their own language uses the same script": a Chinese reader learning
    Japanese knows what most kanji mean but not how Japanese reads them, and a Japanese
    reader learning Chinese does not know pinyin; the readings are what they lack. From
    B1 on a learner is expected to read the script (the partner writes for that level),
    so the aid is one click away instead of on the page."""
    return (
        aid_for(target_language) is not None
        and level in ("A1", "A2")
        and _base(native_language) != _base(target_language)
    )


class ReadingAnalyser:
    """Reads texts aloud in letters, loading each language's libraries the first time
    they are needed. Safe to call from several threads: one text at a time (neither
    MeCab's tagger nor jieba's dictionary promise more)."""

    def __init__(self) -> None:
        self._readers: dict[str, Reader] = {}
        self._lock = threading.Lock()

    def readings(self, text: str, language: str) -> tuple[Reading, ...] | Unavailable:
        """The readings of `text`, in order and not overlapping; () for a language
        without an aid or a text with nothing to read; Unavailable when the library is
        missing."""
        aid = aid_for(language)
        if aid is None or not text:
            return ()
        with self._lock:
            reader = self._readers.get(aid.kind)
            if reader is None:
                loaded = _load(aid)
                if isinstance(loaded, Unavailable):
                    return loaded
                reader = self._readers[aid.kind] = loaded
            return tuple(reader(text))

    def load(self, language: str) -> Unavailable | None:
        """Load the language's libraries now (their first use is slow: jieba's
        words and pypinyin's phrases take half a second); Unavailable when one is missing."""
        found = self.readings("一" if aid_for(language) else "", language)
        return found if isinstance(found, Unavailable) else None


def _load(aid: ReadingAid) -> Reader | Unavailable:
    for module, package in aid.packages:
        try:
            importlib.import_module(module)
        except ImportError:
            return Unavailable(package)
    try:
        return _make_reader(aid.kind)
    except RuntimeError:
        # MeCab finding no dictionary where ipadic says it is: the dictionary's package.
        return Unavailable(aid.packages[-1][1])


def _make_reader(kind: AidKind) -> Reader:
    if kind is AidKind.PINYIN:
        from tutor.domain import reading_zh

        return reading_zh.pinyin_reader()
    if kind is AidKind.FURIGANA:
        from tutor.domain import reading_ja

        return reading_ja.furigana_reader()
    from tutor.domain import reading_ko

    return reading_ko.romanization_reader()


def readings_within(readings: tuple[Reading, ...], start: int, end: int) -> tuple[Reading, ...]:
    """The readings wholly inside text[start:end], with offsets into that piece."""
    return tuple(
        Reading(r.start - start, r.end - start, r.text, r.parts)
        for r in readings
        if start <= r.start and r.end <= end
    )


def with_readings(text: str, readings: tuple[Reading, ...], kind: AidKind) -> str:
    """Text and its readings as plain text, to copy: the text, then its pinyin or
    romanization on the next line; Japanese with each kanji word's reading after it."""
    line = reading_line(text, readings, kind)
    if kind is AidKind.FURIGANA or not readings:
        return line if readings else text
    return f"{text}\n{line}"


def reading_line(text: str, readings: tuple[Reading, ...], kind: AidKind) -> str:
    """The readings as one line of plain text, for where they cannot stand over the text
    (a screen reader, a copy): pinyin and romanization word by word; the text with each
    kanji word's reading after it in brackets for furigana."""
    if kind is not AidKind.FURIGANA:
        return " ".join(reading.text for reading in readings)
    parts: list[str] = []
    end = 0
    for reading in readings:
        parts.append(text[end : reading.end])
        parts.append(f"({reading.text})")
        end = reading.end
    parts.append(text[end:])
    return "".join(parts)
