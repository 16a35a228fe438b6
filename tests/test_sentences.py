"""Sentences of a streamed reply (tutor/domain/sentences.py): where they end, in which
scripts, and that their offsets always tile the text, however it is cut into pieces."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.domain.sentences import LONG_SENTENCE, SentenceFeeder, split_sentences


def texts(text: str) -> list[str]:
    return [sentence.text.strip() for sentence in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hola. ¿Qué tal? Muy bien.", ["Hola.", "¿Qué tal?", "Muy bien."]),
        ("¡Hola! ¿Vienes?", ["¡Hola!", "¿Vienes?"]),
        ("El Sr. García llega. Tiene 3.5 euros.", ["El Sr. García llega.", "Tiene 3.5 euros."]),
        ("Frutas, p. ej. manzanas. Vale.", ["Frutas, p. ej. manzanas.", "Vale."]),
        ("Mrs. Smith, e.g. here. Fine.", ["Mrs. Smith, e.g. here.", "Fine."]),
        ("Das ist z.B. gut. Ja.", ["Das ist z.B. gut.", "Ja."]),
        ("Bueno... pero no. Sí… Claro.", ["Bueno... pero no.", "Sí…", "Claro."]),
        ("J. R. R. Tolkien escribió. Bien.", ["J. R. R. Tolkien escribió.", "Bien."]),
        ('Dijo "Para." Y se fue.', ['Dijo "Para."', "Y se fue."]),
        ("今日は晴れです。明日は？はい！", ["今日は晴れです。", "明日は？", "はい！"]),
        ("我很好。你呢？", ["我很好。", "你呢？"]),
        ("مرحبا، كيف حالك؟ أنا بخير.", ["مرحبا، كيف حالك؟", "أنا بخير."]),
        ("Lista:\n- uno\n- dos", ["Lista:", "- uno", "- dos"]),
        ("Sin punto al final", ["Sin punto al final"]),
    ],
)
def test_where_sentences_end(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_a_sentence_is_handed_out_once_the_next_one_has_begun() -> None:
    feeder = SentenceFeeder()
    assert feeder.feed("Hola.") == []
    assert feeder.feed(" ") == []  # "Hola. s…" could still be one sentence
    [first] = feeder.feed("¿Qué")
    assert (first.start, first.end, first.text) == (0, 6, "Hola. ")
    assert first.spoken == (0, 5)
    assert feeder.held == "¿Qué"
    assert [s.text for s in feeder.feed(" tal? Bien")] == ["¿Qué tal? "]
    assert [s.text for s in feeder.finish()] == ["Bien"]
    assert feeder.finish() == []


def test_wide_stops_need_no_space() -> None:
    feeder = SentenceFeeder()
    assert feeder.feed("はい。") == []
    assert [s.text for s in feeder.feed("い")] == ["はい。"]


def test_a_long_sentence_without_an_end_is_cut_at_a_clause_mark() -> None:
    feeder = SentenceFeeder()
    words = "palabra " * 20
    found = feeder.feed(words + "y más, " + words + "y más, " + words)
    assert found, "a long run of commas is heard before its end"
    assert found[0].text.endswith(", ")
    assert len(found[0].text) >= 40
    assert len(feeder.text) > LONG_SENTENCE


def test_the_whole_text_so_far_may_be_fed_instead_of_pieces() -> None:
    feeder = SentenceFeeder()
    assert feeder.feed_text("Uno. ") == []
    assert [s.text for s in feeder.feed_text("Uno. Dos. Tres")] == ["Uno. ", "Dos. "]
    with pytest.raises(ValueError):
        feeder.feed_text("Otra cosa")


_alphabet = st.sampled_from(
    [*"abcXYZ 3.5!?…,،؟。！？\n\"'»)", "Sr.", "p. ej.", "...", " ", "你好", "مرحبا"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=80), st.lists(st.integers(1, 7), max_size=80))
def test_offsets_tile_the_text_however_it_streams(parts: list[str], cuts: list[int]) -> None:
    text = "".join(parts)
    feeder = SentenceFeeder()
    sentences = []
    position = 0
    for size in cuts or [len(text)]:
        sentences += feeder.feed(text[position : position + size])
        position += size
    sentences += feeder.feed(text[position:]) + feeder.finish()
    assert "".join(s.text for s in sentences) == text
    expected_start = 0
    for sentence in sentences:
        assert sentence.start == expected_start
        assert sentence.text == text[sentence.start : sentence.end]
        assert not sentence.is_blank or sentence is sentences[-1]
        start, end = sentence.spoken
        assert sentence.start <= start <= end <= sentence.end
        expected_start = sentence.end
    assert expected_start == len(text)
    if len(text) < LONG_SENTENCE:  # a clause cut depends on when the text grew long
        assert [s.text for s in sentences] == [s.text for s in split_sentences(text)]
