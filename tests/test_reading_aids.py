"""Reading aids: pinyin, furigana and romanization with known readings, including the
sentences where a reader without context goes wrong; a missing library is an answer."""

from __future__ import annotations

import builtins
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tutor.domain import reading_aids
from tutor.domain.japanese_numbers import numeral_reading
from tutor.domain.reading_aids import (
    AidKind,
    Reading,
    ReadingAnalyser,
    Unavailable,
    aid_for,
    missing_package,
    reading_line,
    readings_within,
    with_readings,
)
from tutor.domain.reading_ja import align, hiragana
from tutor.domain.reading_ko import as_pronounced


@pytest.fixture(scope="module")
def analyser() -> ReadingAnalyser:
    return ReadingAnalyser()  # shared: jieba's dictionary takes a second to load


def pairs(analyser: ReadingAnalyser, text: str, language: str) -> list[tuple[str, str]]:
    """(characters, reading) of each reading, in order."""
    found = analyser.readings(text, language)
    assert isinstance(found, tuple), found
    return [(text[r.start : r.end], r.text) for r in found]


# -- Chinese -------------------------------------------------------------------------------

CHINESE = [
    ("我去银行。", [("我", "wǒ"), ("去", "qù"), ("银行", "yínháng")]),
    ("这家银行很大", [("这家", "zhèjiā"), ("银行", "yínháng"), ("很大", "hěndà")]),
    (
        "你好！我叫小明。",
        [("你好", "nǐhǎo"), ("我", "wǒ"), ("叫", "jiào"), ("小明", "xiǎomíng")],
    ),
    ("我们一起去吧", [("我们", "wǒmen"), ("一起", "yìqǐ"), ("去", "qù"), ("吧", "ba")]),
    ("不是", [("不是", "búshì")]),
    ("长大了", [("长大", "zhǎngdà"), ("了", "le")]),
    ("重要的重复", [("重要", "zhòngyào"), ("的", "de"), ("重复", "chóngfù")]),
    ("音乐很好听", [("音乐", "yīnyuè"), ("很", "hěn"), ("好听", "hǎotīng")]),
    ("觉得睡觉", [("觉得", "juéde"), ("睡觉", "shuìjiào")]),
    ("快乐", [("快乐", "kuàilè")]),
    ("我有3个苹果", [("我", "wǒ"), ("有", "yǒu"), ("个", "gè"), ("苹果", "píngguǒ")]),
    # Traditional characters: jieba's words are simplified ones, so characters it does
    # not know as a word are read one by one (never grouped into a made-up word).
    (
        "我喜歡學中文",
        [("我", "wǒ"), ("喜", "xǐ"), ("歡", "huān"), ("學", "xué"), ("中文", "zhōngwén")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_pinyin_word_by_word_with_the_reading_each_word_gives(
    analyser: ReadingAnalyser, text: str, expected: list[tuple[str, str]]
) -> None:
    assert pairs(analyser, text, "zh") == expected


def test_a_polyphone_reads_as_its_word_wants(analyser: ReadingAnalyser) -> None:
    found = dict(pairs(analyser, "他在银行工作，行不行？", "zh"))
    assert found["银行"] == "yínháng"
    assert found["行不行"].startswith("xíng")


def test_pinyin_spans_point_into_the_original_text(analyser: ReadingAnalyser) -> None:
    text = "Hello，我是 Anna。你呢？"
    found = analyser.readings(text, "zh-Hans")
    assert isinstance(found, tuple)
    assert [text[r.start : r.end] for r in found] == ["我", "是", "你", "呢"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


# -- Japanese -----------------------------------------------------------------------------

JAPANESE = [
    ("今日は天気がいいですね。", [("今日", "きょう"), ("天気", "てんき")]),
    ("今日は！", [("今日", "こんにち")]),
    ("一人で行った。", [("一人", "ひとり"), ("行", "い")]),
    ("日本に行きたい。", [("日本", "にほん"), ("行", "い")]),
    ("生ビールと生活", [("生", "なま"), ("生活", "せいかつ")]),
    ("日本語が上手ですね", [("日本語", "にほんご"), ("上手", "じょうず")]),
    ("昨日学校に行った。", [("昨日", "きのう"), ("学校", "がっこう"), ("行", "い")]),
    ("友達と行った。", [("友達", "ともだち"), ("行", "い")]),
    ("会議を行う。", [("会議", "かいぎ"), ("行", "おこな")]),
    ("試験を行った", [("試験", "しけん"), ("行", "おこな")]),
    ("食べる", [("食", "た")]),
    ("お茶を飲みました", [("茶", "ちゃ"), ("飲", "の")]),
    ("二人で一日中", [("二人", "ふたり"), ("一日", "いちにち"), ("中", "じゅう")]),
    ("四月一日と二十日", [("四月", "しがつ"), ("一日", "ついたち"), ("二十日", "はつか")]),
    ("明日は雨です", [("明日", "あした"), ("雨", "あめ")]),
    ("取り扱い", [("取", "と"), ("扱", "あつか")]),
]


NUMBERS = [
    ("一回", ["いっ", "かい"]),
    ("三回", ["さん", "かい"]),
    ("三階", ["さん", "がい"]),
    ("一本", ["いっ", "ぽん"]),
    ("三本", ["さん", "ぼん"]),
    ("六本", ["ろっ", "ぽん"]),
    ("三分", ["さん", "ぷん"]),
    ("一杯", ["いっ", "ぱい"]),
    ("一歳", ["いっ", "さい"]),
    ("二十歳", ["はたち"]),
    ("四時", ["よ", "じ"]),
    ("九時", ["く", "じ"]),
    ("何時", ["なんじ"]),
    ("三百円", ["さん", "びゃく", "えん"]),
    ("八百円", ["はっ", "ぴゃく", "えん"]),
    ("三千円", ["さん", "ぜん", "えん"]),
    ("一枚", ["いち", "まい"]),
    ("一年", ["いち", "ねん"]),
    ("3本", ["ぼん"]),  # the digit has no furigana; the counter sounds as after さん
    ("10回", ["かい"]),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_a_number_and_its_counter_sound_together(
    analyser: ReadingAnalyser, text: str, expected: list[str]
) -> None:
    assert [reading for _characters, reading in pairs(analyser, text, "ja")] == expected


def test_numbers_in_digits_end_as_they_are_read() -> None:
    assert [numeral_reading(n) for n in ("3", "10", "300", "2000", "10000", "８")] == [
        "さん",
        "じゅう",
        "ひゃく",
        "せん",
        "まん",
        "はち",
    ]
    assert numeral_reading("三") is None


@pytest.mark.parametrize(("text", "expected"), JAPANESE)
def test_furigana_over_kanji_only_read_in_context(
    analyser: ReadingAnalyser, text: str, expected: list[tuple[str, str]]
) -> None:
    assert pairs(analyser, text, "ja") == expected


def test_kana_alone_gets_no_furigana(analyser: ReadingAnalyser) -> None:
    assert pairs(analyser, "ひらがなとカタカナだけです。", "ja") == []


def test_okurigana_stay_bare() -> None:
    assert align("食べる", "たべる", 10) == [Reading(10, 11, "た")]
    assert align("一人っ子", "ひとりっこ", 0) == [Reading(0, 2, "ひとり"), Reading(3, 4, "こ")]
    # A reading that does not follow the spelling: the kanji get what is left of it.
    assert align("お父さん", "おとーさん", 0) == [Reading(1, 2, "とー")]


def test_katakana_readings_are_written_in_hiragana() -> None:
    assert hiragana("キョウ・ヴァイオリン") == "きょう・ゔぁいおりん"


# -- Korean -------------------------------------------------------------------------------

KOREAN = [
    ("안녕하세요", "annyeonghaseyo"),
    ("감사합니다", "gamsahamnida"),
    ("한국어", "hangugeo"),
    ("같이", "gachi"),
    ("좋아요", "joayo"),
    ("신라", "silla"),
    ("독립", "dongnip"),
    ("국물", "gungmul"),
    ("설날", "seollal"),
    ("있는", "inneun"),
    ("서울", "seoul"),
    ("학교", "hakgyo"),
]


@pytest.mark.parametrize(("text", "expected"), KOREAN)
def test_revised_romanization_writes_the_sound_changes(
    analyser: ReadingAnalyser, text: str, expected: str
) -> None:
    assert pairs(analyser, text, "ko") == [(text, expected)]


def test_korean_is_romanized_word_by_word_without_punctuation(analyser: ReadingAnalyser) -> None:
    assert pairs(analyser, "네, 좋아요! 같이 가요.", "ko") == [
        ("네", "ne"),
        ("좋아요", "joayo"),
        ("같이", "gachi"),
        ("가요", "gayo"),
    ]


def test_sound_changes_are_spelled_within_a_word() -> None:
    assert as_pronounced("합니다") == "함니다"
    assert as_pronounced("대통령") == "대통녕"
    assert as_pronounced("밥") == "밥"


# -- every language -------------------------------------------------------------------------


def test_which_languages_have_an_aid() -> None:
    assert aid_for("zh") is not None and aid_for("zh").kind is AidKind.PINYIN  # type: ignore[union-attr]
    assert aid_for("ja-JP") is not None and aid_for("ja-JP").kind is AidKind.FURIGANA  # type: ignore[union-attr]
    assert aid_for("ko") is not None and aid_for("ko").kind is AidKind.ROMANIZATION  # type: ignore[union-attr]
    assert aid_for("es") is None and aid_for("en") is None


def test_a_language_without_an_aid_reads_nothing(analyser: ReadingAnalyser) -> None:
    assert analyser.readings("¿Qué tal?", "es") == ()
    assert missing_package("es") is None


def test_the_installed_libraries_are_found_without_importing_them() -> None:
    assert missing_package("zh") is None
    assert missing_package("ja") is None
    assert missing_package("ko") is None


@pytest.fixture
def without_pypinyin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] == "pypinyin":
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    monkeypatch.setattr(
        reading_aids.importlib,
        "import_module",
        lambda name: refuse(name),
    )
    monkeypatch.setattr(
        reading_aids.importlib.util,
        "find_spec",
        lambda name: None if name == "pypinyin" else object(),
    )
    yield


@pytest.mark.usefixtures("without_pypinyin")
def test_a_missing_library_is_an_answer_naming_the_package() -> None:
    assert missing_package("zh") == "pypinyin"
    analyser = ReadingAnalyser()
    assert analyser.readings("我去银行", "zh") == Unavailable("pypinyin")
    assert analyser.load("zh") == Unavailable("pypinyin")


def test_the_readings_as_one_line() -> None:
    text = "食べる日本"
    readings = (Reading(0, 1, "た"), Reading(3, 5, "にほん"))
    assert reading_line(text, readings, AidKind.FURIGANA) == "食(た)べる日本(にほん)"
    assert reading_line("银行", (Reading(0, 2, "yínháng"),), AidKind.PINYIN) == "yínháng"


def test_a_selection_copies_with_its_readings() -> None:
    readings = (Reading(0, 1, "wǒ"), Reading(1, 2, "qù"), Reading(2, 4, "yínháng", ("yín", "háng")))
    inside = readings_within(readings, 1, 4)
    assert inside == (Reading(0, 1, "qù"), Reading(1, 3, "yínháng", ("yín", "háng")))
    assert readings_within(readings, 1, 3) == (Reading(0, 1, "qù"),)  # 银行 cut: not read
    assert with_readings("去银行", inside, AidKind.PINYIN) == "去银行\nqù yínháng"
    furigana = (Reading(0, 1, "た"),)
    assert with_readings("食べる", furigana, AidKind.FURIGANA) == "食(た)べる"
    assert with_readings("ください", (), AidKind.FURIGANA) == "ください"
