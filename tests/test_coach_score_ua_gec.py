"""UA-GEC as learner texts: labels from its corrections (pure), and the source where
its optional package is installed."""

from __future__ import annotations

import pytest

from tutor.domain.corrected_corpus import Correction, labelled_document
from tutor.services import ua_gec_source
from tutor.services.coach_score import score_sources


def _labelled(sentence):
    return [t + ("*" if w else "") for t, w in zip(sentence.tokens, sentence.wrong, strict=True)]


def test_corrections_become_token_labels_sentence_by_sentence():
    original = "Я йду в школу. Вона сказала що ні!"
    sentences = ["Я йду в школу.", "Вона сказала що ні!"]
    tokenized = ["Я йду в школу .", "Вона сказала що ні !"]
    corrections = [
        Correction(6, 7, "у"),  # в → у
        Correction(27, 27, ","),  # a missing comma: labelled on the word after it
    ]
    first, second = labelled_document(original, sentences, tokenized, corrections)
    assert _labelled(first) == ["Я", "йду", "в*", "школу", "."]
    assert _labelled(second) == ["Вона", "сказала", "що*", "ні", "!"]
    # The coach sees the sentence as the learner wrote it, and each token keeps its place.
    assert first.text == "Я йду в школу."
    assert [first.text[a:b] for a, b in first.spans] == list(first.tokens)


def test_a_correction_over_two_sentences_labels_its_part_of_each():
    original = "Ми пішли. додому рано."
    corrections = [Correction(6, 16, "пішли додому")]
    first, second = labelled_document(
        original, ["Ми пішли.", "додому рано."], ["Ми пішли .", "додому рано ."], corrections
    )
    assert _labelled(first) == ["Ми", "пішли*", ".*"]
    assert _labelled(second) == ["додому*", "рано", "."]


def test_a_sentence_whose_tokens_were_rewritten_is_left_out():
    original = "Він сказав «так». Добре."
    kept = labelled_document(
        original,
        ["Він сказав «так».", "Добре."],
        ['Він сказав " так " .', "Добре ."],
        [],
    )
    assert [s.text for s in kept] == ["Добре."]


def test_ua_gec_is_offered_only_where_installed(monkeypatch):
    monkeypatch.setattr(ua_gec_source, "installed", lambda: False)
    assert "ua-gec" not in {s.corpus for s in score_sources()}
    monkeypatch.setattr(ua_gec_source, "installed", lambda: True)
    (ukrainian,) = (s for s in score_sources() if s.corpus == "ua-gec")
    assert (ukrainian.language, ukrainian.sentences) == ("uk", 200)
    assert "CC BY 4.0" in ukrainian.attribution and "UA-GEC" in ukrainian.attribution


@pytest.mark.skipif(not ua_gec_source.installed(), reason="pip install tutor[ua-gec]")
def test_the_installed_corpus_gives_a_learner_sample():
    import ua_gec

    sample = ua_gec_source.ua_gec_sentences()
    assert len(sample) == 200
    assert all(4 <= len(s.tokens) <= 40 for s in sample)
    assert 0 < sum(s.errors for s in sample) < sum(len(s.tokens) for s in sample)
    learners = {d.source for d in ua_gec.Corpus(partition="test") if str(d.meta.is_native) == "0"}
    assert all(any(s.text in text for text in learners) for s in sample[:20])
