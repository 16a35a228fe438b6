"""mark_segments: the pieces the chat, the review card and the Markdown export draw."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_textdiff import edited_pair
from tutor.domain.corrections import (
    Category,
    CoachVerdict,
    Mark,
    MarkKind,
    build_marks,
    change_in_words,
    change_text,
)
from tutor.domain.mark_segments import Piece, Segment, mark_segments

GRAMMAR = Category.GRAMMAR
WRITTEN = (Piece.PLAIN, Piece.STRUCK, Piece.NOTE, Piece.DISMISSED)
MEANT = (Piece.PLAIN, Piece.INSERTED, Piece.NOTE, Piece.DISMISSED)


def change(start: int, original: str, corrected: str, dismissed: bool = False) -> Mark:
    return Mark(start, original, corrected, MarkKind.CHANGE, GRAMMAR, dismissed=dismissed)


def joined(segments: list[Segment], pieces: tuple[Piece, ...]) -> str:
    return "".join(s.text for s in segments if s.piece in pieces)


def made(text: str, marks: list[Mark]) -> str:
    """`text` with every change not dismissed made (build_marks leaves spacing alone)."""
    for mark in reversed([m for m in marks if not m.dismissed]):
        text = text[: mark.start] + mark.corrected + text[mark.end :]
    return text


def shape(segments: list[Segment]) -> list[tuple[str, str, int | None]]:
    return [(s.piece.value, s.text, s.index) for s in segments]


def test_a_wrong_word_is_struck_then_fixed_with_a_space_between():
    text = "Yo fue al parque"
    assert shape(mark_segments(text, [change(3, "fue", "fui")])) == [
        ("plain", "Yo ", None),
        ("struck", "fue", 0),
        ("gap", " ", 0),
        ("inserted", "fui", 0),
        ("plain", " al parque", None),
    ]


def test_a_letter_inside_a_word_is_fixed_at_once_or_widened_to_the_word():
    text = "the parc is big"
    marks = [change(7, "c", "k")]
    assert shape(mark_segments(text, marks)) == [
        ("plain", "the par", None),
        ("struck", "c", 0),
        ("inserted", "k", 0),
        ("plain", " is big", None),
    ]
    assert shape(mark_segments(text, marks, whole_words=True)) == [
        ("plain", "the ", None),
        ("struck", "parc", 0),
        ("gap", " ", 0),
        ("inserted", "park", 0),
        ("plain", " is big", None),
    ]


def test_changes_sharing_a_word_become_one_when_widened():
    text = "I goed hom"
    marks = [change(2, "goed", "went"), change(10, "", "e")]
    segments = mark_segments(text, marks, whole_words=True)
    assert shape(segments) == [
        ("plain", "I ", None),
        ("struck", "goed", 0),
        ("gap", " ", 0),
        ("inserted", "went", 0),
        ("plain", " ", None),
        ("struck", "hom", 1),
        ("gap", " ", 1),
        ("inserted", "home", 1),
    ]
    glued = mark_segments("porc", [change(1, "o", "a"), change(3, "c", "k")], whole_words=True)
    assert shape(glued) == [("struck", "porc", 0), ("gap", " ", 0), ("inserted", "park", 0)]


def test_japanese_is_not_widened_and_has_no_gap_inside_a_word():
    text = "私は公園に行きました"
    marks = [change(4, "に", "へ")]
    for whole_words in (False, True):
        segments = mark_segments(text, marks, whole_words=whole_words)
        assert [s.text for s in segments if s.piece is not Piece.PLAIN] == ["に", "へ"]


def test_notes_and_dismissed_marks():
    text = "Quiero un café"
    note = Mark(0, "Quiero", "Quisiera", MarkKind.NOTE, GRAMMAR)
    dismissed = change(10, "café", "cafe", dismissed=True)
    segments = mark_segments(text, [note, dismissed])
    assert shape(segments) == [
        ("note", "Quiero", 0),
        ("plain", " un ", None),
        ("dismissed", "café", 1),
    ]
    assert segments[0].mark is note
    # Exported, a dismissed mark is the learner's text as written.
    assert shape(mark_segments(text, [note, dismissed], whole_words=True)) == [
        ("note", "Quiero", 0),
        ("plain", " un café", None),
    ]


def test_a_mark_that_does_not_fit_the_text_is_left_out_and_keeps_the_others_index():
    text = "Yo fue al parque"
    marks = [change(0, "Tu", "Yo"), change(3, "fue", "fui"), change(2, "o fue", "")]
    segments = mark_segments(text, marks)
    assert [s.index for s in segments if s.index is not None] == [1, 1, 1]
    assert joined(segments, WRITTEN) == text


@settings(deadline=None)
@given(edited_pair(), st.data())
def test_the_pieces_rebuild_the_learners_text_and_the_fixed_one(pair, data):
    original, corrected = pair
    marks = list(build_marks(original, CoachVerdict(corrected, ())))
    assert all(m.kind is MarkKind.CHANGE for m in marks)
    for whole_words in (False, True):
        segments = mark_segments(original, marks, whole_words=whole_words)
        assert joined(segments, WRITTEN) == original
        assert joined(segments, MEANT) == made(original, marks)
        for segment in segments:
            assert segment.text or segment.piece is Piece.DISMISSED
            if segment.piece is Piece.PLAIN:
                assert segment.index is None
            else:
                assert segment.index is not None and segment.mark is not None
                assert segment.mark in marks
    # A dismissed change stands as written; the others are still made.
    dismissed = data.draw(st.sets(st.integers(0, max(len(marks) - 1, 0))))
    marks = [
        change(m.start, m.original, m.corrected, dismissed=i in dismissed)
        for i, m in enumerate(marks)
    ]
    for whole_words in (False, True):
        segments = mark_segments(original, marks, whole_words=whole_words)
        assert joined(segments, WRITTEN) == original
        assert joined(segments, MEANT) == made(original, marks)


@settings(deadline=None)
@given(
    st.text(max_size=20),
    st.lists(
        st.tuples(st.integers(-2, 25), st.text(max_size=4), st.text(max_size=4), st.booleans()),
        max_size=5,
    ),
)
def test_any_marks_even_damaged_ones_leave_the_learners_text_whole(text, raw):
    marks = [
        Mark(start, original, corrected, MarkKind.NOTE if note else MarkKind.CHANGE, GRAMMAR)
        for start, original, corrected, note in raw
    ]
    drawable = [m for m in marks if 0 <= m.start <= m.end <= len(text)]
    for whole_words in (False, True):
        segments = mark_segments(text, marks, whole_words=whole_words)
        assert joined(segments, WRITTEN) == text
        assert all(s.mark in drawable for s in segments if s.mark is not None)


def test_the_card_the_tooltip_and_the_exports_say_a_change_in_the_same_words():
    cases = [
        # Without spaces, "the whole word" would be the whole sentence: the change alone.
        ("昨日公園を行きました", "昨日公園に行きました", "を → に"),
        # With words, a changed letter reads as the word it is in.
        ("Je suis allé au parc hier", "Je suis allée au parc hier", "allé → allée"),
    ]
    for text, corrected, said in cases:
        (mark,) = build_marks(text, CoachVerdict(corrected, ()))
        assert change_text(mark, text) == said
        assert " → ".join(change_in_words(text, mark)) == said
