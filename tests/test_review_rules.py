"""Small rules the review window shows by: a card's heading, which way a language is
typed, and whether a mark sits inside a word."""

from __future__ import annotations

from tutor.domain.corrections import Category, Mark, MarkKind, inside_word
from tutor.domain.languages import reads_right_to_left
from tutor.domain.review import category_label


def test_a_sentence_cards_heading_is_its_category_or_sentence():
    assert category_label(Category.GRAMMAR.value) == Category.GRAMMAR.label
    assert category_label(None) == "Sentence"
    assert category_label("") == "Sentence"
    assert category_label("idiom") == "idiom"  # stored by another version: shown as is


def test_right_to_left_by_tag_and_unknown_tags_read_as_written():
    assert reads_right_to_left("ar") and reads_right_to_left("he")
    assert not reads_right_to_left("es") and not reads_right_to_left("ja")
    assert not reads_right_to_left("not a tag")
    assert not reads_right_to_left("")


def change(text: str, original: str, corrected: str) -> Mark:
    return Mark(text.index(original), original, corrected, MarkKind.CHANGE, Category.SPELLING)


def inside(text: str, mark: Mark) -> bool:
    return inside_word(text, mark.start, mark.end)


def test_a_mark_inside_a_word_and_one_of_whole_words():
    assert inside("le parc", change("le parc", "c", "k"))
    assert not inside("le parc", change("le parc", "parc", "park"))
    assert not inside("I go to home", change("I go to home", "to", ""))
