"""UA-GEC (Ukrainian, CC BY 4.0) as learner texts to measure the coach on, where its
package is installed (`pip install tutor[ua-gec]`: the package is 36 MB to download and
138 MB installed, so Tutor does not ship it).

Only what learners wrote (`is_native` 0), from the test split, with its first
annotator's grammar corrections (the "gec-only" layer: fluency rewrites are not
mistakes MultiGED would label). Token labels come from the corrections' character
spans (tutor/domain/corrected_corpus.py); the sample is drawn by the same seeded rule
as the shipped ones.
"""

from __future__ import annotations

import importlib.util
import threading
from typing import Any

from tutor.domain.corrected_corpus import Correction, labelled_document
from tutor.domain.learner_corpus import SAMPLE_SIZE, LabelledSentence, sample_of
from tutor.i18n.translate import _
from tutor.services.score_source import ScoreSource, attribution

CORPUS = "ua-gec"
PACKAGE = "ua_gec"
_CREDIT = "UA-GEC (Syvokon et al. 2023)"  # i18n: ignore (a name and a paper)
_lock = threading.Lock()
_sample: list[LabelledSentence] | None = None


def installed() -> bool:
    """True if the package can be imported (found without importing it: it is slow)."""
    return importlib.util.find_spec(PACKAGE) is not None


def ua_gec_score_source() -> ScoreSource | None:
    """UA-GEC as a source, or None when its package is not installed."""
    if not installed():
        return None
    return ScoreSource(
        CORPUS,
        "uk",
        _("Ukrainian learner essays (UA-GEC)"),
        SAMPLE_SIZE,
        attribution(_CREDIT, "CC BY 4.0", _CREDIT),  # i18n: ignore (a licence's name)
        None,
    )


def ua_gec_sentences() -> list[LabelledSentence]:
    """The sample, read once a run (the corpus is a few thousand small files)."""
    global _sample
    with _lock:
        if _sample is None:
            _sample = sample_of(_learner_sentences())
        return _sample


def _learner_sentences() -> list[LabelledSentence]:
    import ua_gec

    corpus = ua_gec.Corpus(partition="test", annotation_layer=ua_gec.AnnotationLayer.GecOnly)
    sentences: list[LabelledSentence] = []
    for document in corpus:
        meta = document.meta
        if str(meta.is_native) != "0" or int(meta.annotator_id) != 1:
            continue
        sentences += labelled_document(
            document.source,
            document.source_sentences,
            document.source_sentences_tokenized,
            _corrections(document.annotated),
        )
    return sentences


def _corrections(annotated: Any) -> list[Correction]:
    return [
        Correction(int(a.start), int(a.end), str(a.top_suggestion or ""))
        for a in annotated.get_annotations()
    ]
