"""The fit meter's coverage figure, on sentences whose words above the band are counted
by hand (the Zipf values are wordfreq's, as printed by scripts/calibrate_level_fit's
lists), and its verdicts on the graded passages it was calibrated on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.domain.level_bands import BANDS, DEFAULT, Verdict, band, verdict_for_share
from tutor.domain.level_fit import MIN_WORDS, known_words, level_fit, text_words
from tutor.domain.levels import Level

TEXTS = Path(__file__).parent / "data" / "level_texts"


def forms(text: str, language: str) -> list[str]:
    return [word.form for word in text_words(text, language)]


def test_spanish_sentence_counted_by_hand() -> None:
    # 18 words once "Pedro" (a name mid-sentence) and "3" (a number) are left out.
    # Above the A1 band (Zipf 4.30): manzana 4.15, deliciosa 3.96, ornitorrinco 2.41.
    # "comí" is 3.79 as written but counts by its lemma "comer" (5.09).
    text = (
        "Hola, Pedro. Ayer comí una manzana deliciosa en el jardín, pero el ornitorrinco "
        "no quiso comer nada. Tengo 3 gatos."
    )
    fit = level_fit(text, "es", Level.A1)
    assert "pedro" not in forms(text, "es") and "3" not in forms(text, "es")
    assert (fit.words, fit.known) == (18, 15)
    assert fit.share == pytest.approx(15 / 18)
    assert fit.hard_words() == ["manzana", "deliciosa", "ornitorrinco"]
    assert [text[w.start : w.end] for w in fit.hard] == ["manzana", "deliciosa", "ornitorrinco"]
    assert fit.verdict is Verdict.TOO_HARD  # 83% < 90%


def test_a_word_the_learner_used_correctly_counts_as_known_by_its_lemma() -> None:
    text = "Ayer nadábamos en el mar con mi hermano y comimos una manzana."
    alone = level_fit(text, "es", Level.A1)
    assert alone.hard_words() == ["nadábamos", "manzana"]  # 1.02 (nadar 3.80), 4.15
    # The learner wrote "nadé" (nadar) and "manzanas" (manzana) without a mistake.
    known = known_words(["Nadé mucho.", "Me gustan las manzanas."], "es")
    assert {"nadar", "manzana"} <= known
    fit = level_fit(text, "es", Level.A1, known)
    assert fit.hard == () and fit.verdict is Verdict.FITS
    assert (fit.words, fit.known) == (alone.words, alone.words) == (12, 12)


def test_japanese_sentence_counted_by_hand() -> None:
    # MeCab's 16 words: 私 は 毎日 学校 に 行き ます 昨日 は 友達 と 韜晦 について 話し まし た;
    # only 韜晦 (Zipf 1.45) is under the A1 band (4.35): 15/16 = 93.75%.
    text = "私は毎日学校に行きます。昨日は友達と韜晦について話しました。"
    fit = level_fit(text, "ja", Level.A1)
    assert (fit.words, fit.known) == (16, 15)
    assert fit.hard_words() == ["韜晦"]
    assert text[fit.hard[0].start : fit.hard[0].end] == "韜晦"
    assert fit.verdict is Verdict.A_BIT_HARD
    easy = level_fit("私は毎日学校に行きます。昨日は友達と寿司を食べました。", "ja", Level.A1)
    assert (easy.words, easy.known, easy.verdict) == (16, 16, Verdict.FITS)


def test_chinese_sentence_counted_by_hand() -> None:
    # jieba's 11 words: 我 今天 很 高兴 但是 他 的 窘境 令人 揣 度; under the A1 band
    # (4.25): 窘境 (3.26) and 揣 (3.06): 9/11 = 81.8%.
    text = "我今天很高兴，但是他的窘境令人揣度。"
    fit = level_fit(text, "zh", Level.A1)
    assert (fit.words, fit.known) == (11, 9)
    assert fit.hard_words() == ["窘境", "揣"]
    assert fit.verdict is Verdict.TOO_HARD
    easy = level_fit("我今天很高兴。我和朋友去学校。我们喜欢吃饭。", "zh-Hans", Level.A1)
    assert (easy.words, easy.known, easy.verdict) == (12, 12, Verdict.FITS)


def test_a_chinese_compound_counts_by_its_parts() -> None:
    # jieba keeps 坐火车 whole (Zipf 3.01, under A1's 4.25); 坐 and 火车 are both within.
    assert "坐火车" in forms("我们坐火车去上海玩。", "zh")
    fit = level_fit("我们坐火车去北京，很好玩。", "zh", Level.A1)
    assert "坐火车" not in fit.hard_words()


def test_a_german_compound_counts_by_its_parts() -> None:
    # Kulturkonsum (not in the list) is Kultur + Konsum; Arbeitszeit Arbeit + s + Zeit;
    # Empfehlungsalgorithmen Empfehlung + s + Algorithmen (both within C1's 3.10).
    text = "Der Kulturkonsum und die Arbeitszeit sind heute für viele Menschen wichtig."
    assert level_fit(text, "de", Level.B2).hard_words() == []
    fit = level_fit(
        "Die Empfehlungsalgorithmen sind keineswegs neutrale Werkzeuge.", "de", Level.C1
    )
    assert "empfehlungsalgorithmen" not in fit.hard_words()
    # Not every long word splits: Mahlstrom's parts are rare.
    fit = level_fit(
        "Inmitten des Mahlstroms der Unmittelbarkeit wuchern Lobgesänge.", "de", Level.A2
    )
    assert "mahlstroms" in fit.hard_words()


def test_german_nouns_are_words_not_names() -> None:
    assert "garten" in forms("Das Haus ist groß und der Garten ist schön.", "de")
    assert "maría" not in forms("Hoy como con María en casa.", "es")
    assert "maría" in forms("María come en casa.", "es")  # first word: counted


@pytest.mark.parametrize("language", ["es", "ja", "zh", "en", "fr", "de"])
def test_an_a1_learner_finds_a_c2_text_too_hard_and_an_a1_text_fits(language: str) -> None:
    a1 = (TEXTS / language / "A1.txt").read_text(encoding="utf-8")
    c2 = (TEXTS / language / "C2.txt").read_text(encoding="utf-8")
    assert level_fit(a1, language, Level.A1).verdict is Verdict.FITS
    assert level_fit(c2, language, Level.A1).verdict is Verdict.TOO_HARD
    assert level_fit(c2, language, Level.C2).verdict is Verdict.FITS


@pytest.mark.parametrize("language", ["es", "ja", "zh", "en", "fr", "de"])
def test_each_level_reads_its_own_passage_comfortably(language: str) -> None:
    for level in Level:
        passage = (TEXTS / language / f"{level}.txt").read_text(encoding="utf-8")
        share = level_fit(passage, language, level).share
        assert share is not None and share >= 0.97, (level, share)


def test_bands_fall_as_levels_rise() -> None:
    for row in BANDS.values():
        values = [row[level] for level in Level]
        assert values == sorted(values, reverse=True)
    assert band("pt-BR", Level.B1) == BANDS[DEFAULT][Level.B1]
    assert band("zh-Hans", Level.A1) == BANDS["zh"][Level.A1]


def test_verdict_thresholds_follow_the_reading_research() -> None:
    assert verdict_for_share(0.95) is Verdict.FITS
    assert verdict_for_share(0.949) is Verdict.A_BIT_HARD
    assert verdict_for_share(0.90) is Verdict.A_BIT_HARD
    assert verdict_for_share(0.899) is Verdict.TOO_HARD


def test_a_language_without_a_frequency_list_cannot_be_judged() -> None:
    fit = level_fit("Habari yako rafiki yangu, unaendeleaje leo asubuhi?", "sw", Level.A1)
    assert fit.verdict is Verdict.CANNOT_JUDGE
    assert fit.share is None and not fit.judged and fit.hard == ()


def test_an_empty_or_tiny_reply_has_no_verdict() -> None:
    assert level_fit("", "es", Level.A1).verdict is Verdict.TOO_SHORT
    assert level_fit("   ", "es", Level.A1).verdict is Verdict.TOO_SHORT
    tiny = level_fit("¡Hola! ¿Qué tal?", "es", Level.A1)
    assert tiny.verdict is Verdict.TOO_SHORT and tiny.words < MIN_WORDS
    assert tiny.share is None
    numbers = level_fit("1, 2, 3, 4, 5, 6, 7.", "es", Level.A1)
    assert numbers.verdict is Verdict.TOO_SHORT


def test_a_japanese_word_with_the_polite_prefix_counts_as_the_word() -> None:
    # MeCab keeps お寺 whole (rare as written); 寺 is within A2 (4.20): all 17 words known.
    fit = level_fit("いいですね！京都で何を見ましたか？お寺に行きましたか？", "ja", Level.A2)
    assert (fit.words, fit.known, fit.verdict) == (17, 17, Verdict.FITS)
