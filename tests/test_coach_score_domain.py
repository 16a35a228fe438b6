"""The scorecard's pure parts: reading MultiGED TSV, the text the coach sees, laying
Tutor's marks onto the corpus's tokens, and the MultiGED-2023 figures."""

from __future__ import annotations

import pytest

from tutor.domain.coach_score import TokenCounts
from tutor.domain.corrections import (
    Category,
    CoachItem,
    CoachVerdict,
    Mark,
    MarkKind,
    build_marks,
)
from tutor.domain.learner_corpus import (
    CorpusFormatError,
    Fault,
    LabelledSentence,
    detokenize,
    read_multiged,
    write_multiged,
)
from tutor.domain.model_prices import OPENAI_PRICES, known_price
from tutor.domain.token_alignment import marked_tokens, token_counts

# -- reading --------------------------------------------------------------------------


def test_sentences_are_read_block_by_block_with_their_labels():
    lines = ["Io\tc\n", "andato\ti\n", ".\tc\n", "\n", "Ciao\tc\n", ".\tc\n"]
    first, second = read_multiged(lines)
    assert first.tokens == ("Io", "andato", ".")
    assert first.wrong == (False, True, False)
    assert first.errors == 1
    assert second.tokens == ("Ciao", ".") and second.errors == 0


def test_reading_forgives_what_loses_nothing():
    text = "\ufeffIo\tc  \r\nvado \t i\r\n\r\n\r\n\n  \nCiao\tc"
    first, second = read_multiged(text.splitlines(keepends=True))
    assert first.tokens == ("Io", "vado") and first.wrong == (False, True)
    assert second.tokens == ("Ciao",)


def test_escaped_double_quotes_are_quotes_again():
    (sentence,) = read_multiged(['\\"\tc', "Ciao\tc", '\\\\\\"\tc'])
    assert sentence.tokens == ('"', "Ciao", '"')
    assert sentence.text == '"Ciao"'
    assert read_multiged(write_multiged([sentence]).splitlines()) == [sentence]


@pytest.mark.parametrize(
    ("lines", "line", "fault"),
    [
        (["Io\tc", "vado c"], 2, Fault.NO_TAB),
        (["Io\tc", "", "\tc"], 3, Fault.NO_TOKEN),
        (["Io\tc", "vado\tx"], 2, Fault.BAD_LABEL),
        (["Io\tc", "vado\t"], 2, Fault.BAD_LABEL),
    ],
)
def test_a_bad_line_is_named_with_its_number(lines, line, fault):
    with pytest.raises(CorpusFormatError) as raised:
        read_multiged(lines, source="mine.tsv")
    assert (raised.value.line, raised.value.fault) == (line, fault)
    assert str(raised.value).startswith(f"mine.tsv, line {line}: ")


def test_written_samples_read_back_the_same():
    sentences = [
        LabelledSentence(("Io", "andato", "."), (False, True, False)),
        LabelledSentence(("Ciao",), (True,)),
    ]
    assert read_multiged(write_multiged(sentences).splitlines()) == sentences


# -- the text the coach sees ----------------------------------------------------------


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        ("Ciao , come stai ?", "Ciao, come stai?"),
        ("Vado a casa ; poi : niente !", "Vado a casa; poi: niente!"),
        ("L' uomo e c' è dell' acqua .", "L'uomo e c'è dell'acqua."),
        ("Un po' di tempo , Po' di più", "Un po' di tempo, Po' di più"),
        ("Lui ( forse ) viene .", "Lui (forse) viene."),
        ('Ha detto " ciao " e " no " .', 'Ha detto "ciao" e "no".'),
        ("Řekl „ ahoj “ a šel .", "Řekl „ahoj“ a šel."),
        ("Ha detto “ ciao ” .", "Ha detto “ciao”."),
        ("Il 50 % e poi …", "Il 50% e poi…"),
        ("13 / 08 / 2011", "13 / 08 / 2011"),
    ],
)
def test_detokenized_text_reads_as_typed(tokens, text):
    assert detokenize(tokens.split())[0] == text


def test_every_token_keeps_its_place_in_the_text():
    tokens = ["L'", "uomo", ",", "„", "ahoj", "“", "(", "sì", ")", "."]
    text, spans = detokenize(tokens)
    assert [text[a:b] for a, b in spans] == tokens


# -- laying marks onto tokens ---------------------------------------------------------


def _marked(tokens: str, corrected: str, items: tuple[CoachItem, ...] = ()) -> list[str]:
    """The tokens Tutor's marks fall on when the coach answers `corrected`."""
    text, spans = detokenize(tokens.split())
    marks = build_marks(text, CoachVerdict(corrected, items))
    flags = marked_tokens(text, spans, marks)
    return [token for token, flag in zip(tokens.split(), flags, strict=True) if flag]


@pytest.mark.parametrize(
    ("tokens", "corrected", "marked"),
    [
        # A word replaced; a letter changed inside a word marks the word.
        ("Ieri io andato al mare", "Ieri sono andato al mare", ["io"]),
        ("in questa mese", "in questo mese", ["questa"]),
        # Punctuation: changed, removed, and missing (marked on the token after it).
        ("Ciao ; come stai ?", "Ciao, come stai?", [";"]),
        ("Ho detto , che no .", "Ho detto che no.", [","]),
        ("Ciao come stai ?", "Ciao, come stai?", ["come"]),
        # A missing word is marked on the token that follows it, as MultiGED labels it.
        ("Vado casa domani", "Vado a casa domani", ["casa"]),
        ("vado a casa", "Io vado a casa", ["vado"]),
        # A word too many, and a word said twice.
        ("Ho visto il il film", "Ho visto il film", ["il"]),
        ("Io io vado", "Io vado", ["io"]),
        # One edit over several tokens marks each of them.
        ("Lui ha mangiato una mela", "Lui mangia mele", ["ha", "mangiato", "una", "mela"]),
        (
            "APPUNTAMENTI SABATO SERA ?",
            "Appuntamenti sabato sera?",
            ["APPUNTAMENTI", "SABATO", "SERA"],
        ),
        # Two words joined: both are marked.
        ("dopo domani vengo", "dopodomani vengo", ["dopo", "domani"]),
        # A word lengthened where it ends is that word's mistake.
        ("la hous è bella", "la house è bella", ["hous"]),
        # Nothing after the last token to carry a missing full stop: nothing is marked.
        ("Vado a casa", "Vado a casa.", []),
        # No mistakes.
        ("Sono contento per te .", "Sono contento per te.", []),
    ],
)
def test_marks_fall_on_the_tokens_they_touch(tokens, corrected, marked):
    assert _marked(tokens, corrected) == marked


def test_a_note_counts_as_the_learner_sees_it():
    item = CoachItem("molto bello", "bellissimo", "More natural.", Category.PHRASING)
    assert _marked("È molto bello .", "È molto bello.", (item,)) == ["molto", "bello"]


def test_a_mark_over_only_spaces_marks_the_tokens_either_side():
    text, spans = detokenize(["a", "b", "c"])
    space = Mark(1, " ", "", MarkKind.CHANGE, Category.SPELLING)
    assert marked_tokens(text, spans, [space]) == [True, True, False]


def test_no_marks_mark_nothing():
    text, spans = detokenize(["Ciao", "."])
    assert marked_tokens(text, spans, []) == [False, False]


# -- the figures -------------------------------------------------------------------------


def test_counts_follow_multigeds_example():
    # MultiGED-2023's README: "I saws the show last nigt ."
    gold = [False, True, False, False, False, True, False]
    predicted = [False, True, False, True, False, False, False]
    counts = token_counts(gold, predicted)
    assert counts == TokenCounts(1, 1, 1)
    assert (counts.precision, counts.recall, counts.f05) == (0.5, 0.5, 0.5)


def test_f05_weighs_precision_twice_as_much():
    counts = token_counts([True] * 4 + [False] * 4, [True, True, False, False, True] + [False] * 3)
    assert counts == TokenCounts(2, 1, 2)
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(1 / 2)
    # 1.25 * P * R / (0.25 * P + R) = (1.25 / 3) / (1 / 6 + 1 / 2) = 0.625
    assert counts.f05 == pytest.approx(0.625)
    assert token_counts([True, False], [False, True]).f05 == 0.0


def test_the_empty_cases_have_no_figure_rather_than_a_wrong_one():
    nothing = token_counts([False, False], [False, False])
    assert nothing == TokenCounts(0, 0, 0)
    assert (nothing.precision, nothing.recall, nothing.f05) == (None, None, None)
    only_marks = token_counts([False, False], [True, False])
    assert (only_marks.precision, only_marks.recall, only_marks.f05) == (0.0, None, None)
    only_gold = token_counts([True, False], [False, False])
    assert (only_gold.precision, only_gold.recall, only_gold.f05) == (None, 0.0, None)
    assert token_counts([], []) == TokenCounts()
    with pytest.raises(ValueError, match="2 labels but 1"):
        token_counts([True, False], [True])


def test_counts_add_up_over_sentences():
    total = TokenCounts(1, 2, 3) + TokenCounts(4, 0, 1)
    assert total == TokenCounts(5, 2, 4)


# -- prices -----------------------------------------------------------------------------


def test_a_price_is_known_only_for_openais_models_on_openais_server():
    price = known_price("https://api.openai.com/v1", "gpt-4o-mini")
    assert price == OPENAI_PRICES["gpt-4o-mini"]
    assert price.cost(1_000_000, 1_000_000) == pytest.approx(0.75)
    assert known_price("https://api.openai.com/v1", "gpt-4o-2024-08-06") == OPENAI_PRICES["gpt-4o"]
    assert (
        known_price("https://api.openai.com/v1", "gpt-4o-mini-2024-07-18")
        == (OPENAI_PRICES["gpt-4o-mini"])
    )
    assert known_price("http://localhost:11434/v1", "gpt-4o-mini") is None
    assert known_price("https://api.openai.com/v1", "llama3.2:3b") is None
    assert known_price("https://api.openai.com/v1", "gpt-4") is None
