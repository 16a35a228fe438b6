"""The correction diff: what the learner sees struck through and what replaces it."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.domain import textdiff
from tutor.domain.textdiff import Segment, diff_texts, tokenize


def changes(original: str, corrected: str) -> list[tuple[str, str]]:
    return [(s.original, s.corrected) for s in diff_texts(original, corrected) if s.changed]


def assert_rebuilds(original: str, corrected: str) -> list[Segment]:
    diff = diff_texts(original, corrected)
    assert "".join(s.original for s in diff) == original
    assert "".join(s.corrected for s in diff) == corrected
    return diff


# --- examples -------------------------------------------------------------------------------


def test_a_wrong_word_is_one_change_at_its_offset():
    original = "Yesterday I goed to the park"
    diff = assert_rebuilds(original, "Yesterday I went to the park")
    changed = [s for s in diff if s.changed]
    assert changed == [Segment("goed", "went", 12, True)]
    assert original[12:16] == "goed"


def test_missing_words_are_insertions_placed_where_they_go():
    diff = assert_rebuilds("I to park", "I went to the park")
    inserted = [(s.corrected, s.start) for s in diff if s.changed]
    assert all(s.original == "" for s in diff if s.changed)
    assert inserted == [(" went", 1), ("the ", 5)]


def test_an_extra_word_is_a_deletion():
    diff = assert_rebuilds("I went to to the park", "I went to the park")
    assert [s for s in diff if s.changed] == [Segment("to ", "", 10, True)]


def test_a_misspelt_word_is_marked_at_character_level_with_the_whole_word():
    assert diff_texts("parc", "park") == [
        Segment("par", "par", 0, False),
        Segment("c", "k", 3, True, word=("parc", "park")),
    ]
    diff = assert_rebuilds("the parc is big", "the park is big")
    assert [s for s in diff if s.changed] == [Segment("c", "k", 7, True, ("parc", "park"))]


def test_a_missing_accent_marks_only_the_letter():
    assert diff_texts("un cafe", "un café") == [
        Segment("un caf", "un caf", 0, False),
        Segment("e", "é", 6, True, word=("cafe", "café")),
    ]


def test_short_words_and_rewrites_stay_whole():
    assert changes("he go home", "he goes home") == [("go", "goes")]
    assert changes("it is", "it was") == [("is", "was")]


def test_case_is_a_change():
    assert changes("i like tea", "I like tea") == [("i", "I")]


def test_punctuation_spacing_is_one_change():
    diff = assert_rebuilds("Hello ,world", "Hello, world")
    assert [s for s in diff if s.changed] == [Segment(" ,", ", ", 5, True)]


def test_two_words_around_a_space_are_one_change():
    assert changes("a big cat sat", "a small dog sat") == [("big cat", "small dog")]


def test_japanese_without_spaces_changes_only_the_particle():
    diff = assert_rebuilds("私は公園に行きました", "私は公園へ行きました")
    assert [s for s in diff if s.changed] == [Segment("に", "へ", 4, True)]


def test_thai_graphemes_are_separate_tokens_and_keep_their_marks():
    assert tokenize("ที่นี่") == ["ที่", "นี่"]


def test_arabic_right_to_left_word_change():
    original = "هذه كتاب جميل"
    diff = assert_rebuilds(original, "هذا كتاب جميل")
    changed = [s for s in diff if s.changed]
    assert changed == [Segment("ه", "ا", 2, True, word=("هذه", "هذا"))]
    assert changes("أنا ذهبت إلى المدرسة", "أنا ذهبت إلى البيت") == [("المدرسة", "البيت")]


def test_combining_mark_and_precomposed_accent_are_the_same_text():
    decomposed = "un cafe\u0301 noir"
    assert tokenize(decomposed) == ["un", " ", "cafe\u0301", " ", "noir"]
    diff = assert_rebuilds(decomposed, "un café noir")
    assert diff == [Segment(decomposed, "un café noir", 0, False)]


def test_emoji_sequences_and_flags_are_never_split():
    family, spain = "👩\u200d👩\u200d👧", "🇪🇸"
    assert tokenize(f"{family}{spain}👍🏽!") == [family, spain, "👍🏽", "!"]
    assert changes(f"I ❤️ {spain}", "I ❤️ 🇫🇷") == [(spain, "🇫🇷")]
    assert changes(family, "👩\u200d👩\u200d👦") == [(family, "👩\u200d👩\u200d👦")]


def test_whitespace_only_differences_are_no_change():
    diff = assert_rebuilds("I  went\nhome", "I went home")
    assert diff == [Segment("I  went\nhome", "I went home", 0, False)]
    # A stray accent typed after a space is not whitespace: it must show.
    assert changes("a \u0301b", "a b") == [(" \u0301", " ")]


def test_identical_and_empty_texts():
    assert diff_texts("Hola", "Hola") == [Segment("Hola", "Hola", 0, False)]
    assert diff_texts("", "") == []
    assert diff_texts("", "Hola") == [Segment("", "Hola", 0, True)]
    assert diff_texts("Hola", "") == [Segment("Hola", "", 0, True)]


# --- properties -----------------------------------------------------------------------------

PIECES = [
    *["park", "parc", "café", "cafe\u0301", "I", "i", "went", "goed", "42"],
    *[" ", "  ", "\n", "\t", ",", ".", "!", "?", "¿", "-"],
    *["私", "は", "公園", "に", "へ", "ー", "ที่", "นี่"],
    *["هذا", "هذه", "كتاب", "مرحبا"],
    *["e\u0301", "\u0301", "\u0308", "é"],
    *["👩\u200d👩\u200d👧", "🇪🇸", "🇫🇷", "👍🏽", "❤️", "\u200d"],
]
mixed_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join)


@st.composite
def edited_pair(draw: st.DrawFn) -> tuple[str, str]:
    """An original and a correction made from it by a few token edits, as a teacher would."""
    original = draw(mixed_text)
    tokens = tokenize(original)
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.integers(0, len(tokens)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert" or where == len(tokens):
            tokens.insert(where, draw(st.sampled_from(PIECES)))
        elif action == "delete":
            del tokens[where]
        else:
            tokens[where] = draw(st.sampled_from(PIECES))
    return original, "".join(tokens)


def assert_well_formed(original: str, corrected: str) -> None:
    diff = assert_rebuilds(original, corrected)
    offset = 0
    for segment in diff:
        assert segment.start == offset
        assert original[segment.start : segment.start + len(segment.original)] == segment.original
        assert segment.original or segment.corrected
        assert segment.word is None or segment.changed
        offset += len(segment.original)
    for before, after in itertools.pairwise(diff):
        assert before.changed != after.changed


any_text = st.text() | mixed_text


@settings(deadline=None)
@given(any_text, any_text)
def test_any_pair_rebuilds_both_texts(original: str, corrected: str):
    assert_well_formed(original, corrected)


@settings(deadline=None)
@given(edited_pair())
def test_edited_pairs_rebuild_both_texts(pair: tuple[str, str]):
    assert_well_formed(*pair)


@settings(deadline=None)
@given(any_text)
def test_identical_texts_have_no_change(text: str):
    diff = diff_texts(text, text)
    assert diff == ([Segment(text, text, 0, False)] if text else [])


@settings(deadline=None)
@given(mixed_text)
def test_other_normalization_or_spacing_is_no_change(text: str):
    respaced = "".join("\n" if token.isspace() else token for token in tokenize(text))
    for other in (unicodedata.normalize("NFD", text), respaced):
        diff = assert_rebuilds(text, other)
        assert not [s for s in diff if s.changed]


@given(any_text)
def test_tokens_join_back_to_the_text(text: str):
    assert "".join(tokenize(text)) == text


def test_a_word_wrong_in_two_places_is_marked_whole() -> None:
    changes = [s for s in diff_texts("my freinds", "my friends") if s.changed]
    assert [(s.original, s.corrected, s.word) for s in changes] == [("freinds", "friends", None)]


@settings(deadline=None)
@given(edited_pair())
def test_long_texts_take_the_fast_alignment_and_still_rebuild_both_texts(
    pair: tuple[str, str],
) -> None:
    original, corrected = pair
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textdiff, "DIFFLIB_MAX_PAIRS", 0)  # what an 8,000-character paste gets
        assert_well_formed(original, corrected)


def test_a_long_repetitive_japanese_paste_marks_every_change() -> None:
    learner = "私は公園に行きました。" * 700
    changes = [s for s in diff_texts(learner, learner.replace("に", "へ")) if s.changed]
    assert len(changes) == 700
    assert all((s.original, s.corrected) == ("に", "へ") for s in changes)


def test_a_letter_only_added_marks_the_whole_word() -> None:
    changes = [s for s in diff_texts("Quero un café", "Quiero un café") if s.changed]
    assert [(s.original, s.corrected) for s in changes] == [("Quero", "Quiero")]
