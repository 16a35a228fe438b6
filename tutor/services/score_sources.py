"""The learner texts a coach can be measured on: the samples Tutor ships
(resources/coach_corpora/, rebuilt by scripts/coach_corpora), UA-GEC where its optional
package is installed (tutor/services/ua_gec_source.py), and a learner's own file in the
MultiGED-2023 format.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tutor.domain.learner_corpus import (
    CorpusFormatError,
    Fault,
    LabelledSentence,
    read_multiged,
)
from tutor.i18n.formats import format_number
from tutor.i18n.translate import N_, _
from tutor.services.score_source import ScoreError as ScoreError
from tutor.services.score_source import ScoreSource as ScoreSource
from tutor.services.score_source import attribution

CORPORA_FOLDER = "coach_corpora"
FILE_PREFIX = "file:"


@dataclass(frozen=True)
class _Shipped:
    corpus: str
    language: str
    title: str
    file: str
    corpus_credit: str
    licence: str
    reference_f05: float
    sentences: int


# The best F0.5 of MultiGED-2023 (EliCoDe, Colombo et al. 2023) on its test sets.
_SHIPPED = (
    _Shipped(
        "multiged-it-merlin",
        "it",
        N_("Italian learner essays (MERLIN)"),
        "it_merlin_sample.tsv",
        "MERLIN (Boyd et al. 2014)",  # i18n: ignore (a name and a paper)
        "CC BY-SA 4.0",  # i18n: ignore (a licence's name)
        82.15,
        200,
    ),
    _Shipped(
        "multiged-cs-geccc",
        "cs",
        N_("Czech learner essays (GECCC)"),
        "cs_geccc_sample.tsv",
        "GECCC (Náplava et al. 2022)",  # i18n: ignore (a name and a paper)
        "CC BY-SA 4.0",  # i18n: ignore (a licence's name)
        73.44,
        200,
    ),
)
_TASK = "MultiGED-2023 (Volodina et al. 2023)"  # i18n: ignore (a name and a paper)


def score_sources(file: Path | None = None) -> list[ScoreSource]:
    """The shipped samples, UA-GEC where the optional package is installed, and a
    learner's own MultiGED TSV when `file` is given (ScoreError if unreadable)."""
    from tutor.services import ua_gec_source

    sources = [_source(shipped) for shipped in _SHIPPED]
    ua_gec = ua_gec_source.ua_gec_score_source()
    if ua_gec is not None:
        sources.append(ua_gec)
    if file is not None:
        sources.append(file_source(file))
    return sources


def _source(shipped: _Shipped) -> ScoreSource:
    return ScoreSource(
        shipped.corpus,
        shipped.language,
        _(shipped.title),
        shipped.sentences,
        attribution(shipped.corpus_credit, shipped.licence, _TASK),
        shipped.reference_f05,
    )


def file_source(file: Path, language: str | None = None) -> ScoreSource:
    """A learner's own MultiGED TSV; `language` when they said which (else "")."""
    sentences = read_file(file)
    return ScoreSource(
        FILE_PREFIX + file.name,
        language or "",
        # Translators: {name} is a file's name.
        _("Your file {name}").format(name=file.name),
        len(sentences),
        _("Your own file, {name}.").format(name=file.name),
        None,
    )


def load_sentences(source: ScoreSource, file: Path | None = None) -> list[LabelledSentence]:
    """The sentences of `source`, in the sample's order; `file` for a "file:" source."""
    for shipped in _SHIPPED:
        if shipped.corpus == source.corpus:
            return read_file(shipped_file(shipped.file))
    if source.corpus.startswith(FILE_PREFIX):
        if file is None:
            raise ScoreError(_("Choose the file to measure on."))
        return read_file(file)
    from tutor.services import ua_gec_source

    if source.corpus == ua_gec_source.CORPUS and ua_gec_source.installed():
        return ua_gec_source.ua_gec_sentences()
    raise ScoreError(_("Tutor has no learner texts called {name}.").format(name=source.corpus))


def shipped_file(name: str) -> Path:
    return corpora_folder() / name


def corpora_folder() -> Path:
    """Where the shipped samples and their licences are (in the wheel: tutor_resources)."""
    from tutor.paths import bundled_resources

    return bundled_resources() / CORPORA_FOLDER


def read_file(path: Path) -> list[LabelledSentence]:
    """Every sentence of a MultiGED TSV; ScoreError, in words, when it cannot be read."""
    try:
        with path.open(encoding="utf-8") as lines:
            sentences = read_multiged(lines, source=path.name)
    except CorpusFormatError as error:
        raise ScoreError(_format_problem(path, error)) from error
    except UnicodeDecodeError as error:
        raise ScoreError(
            _("Tutor cannot read {file}: it is not UTF-8 text.").format(file=path)
        ) from error
    except OSError as error:
        raise ScoreError(
            # Translators: {reason} is the system's own words, often in English.
            _("Tutor cannot read {file}: {reason}.").format(
                file=path, reason=error.strerror or error
            )
        ) from error
    if not sentences:
        raise ScoreError(_format_problem(path, CorpusFormatError(path.name, 0, Fault.NO_SENTENCE)))
    return sentences


_FAULTS = {
    # Translators: what is wrong with a line of a learner-text file ("token<TAB>c" or "i").
    Fault.NO_TAB: N_("there is no tab between the word and its label"),
    Fault.NO_TOKEN: N_("the word before the tab is empty"),
    Fault.BAD_LABEL: N_("the label is “{found}”, not c (correct) or i (incorrect)"),
}


def _format_problem(path: Path, error: CorpusFormatError) -> str:
    if error.fault is Fault.NO_SENTENCE:
        return _(
            "{file} holds no labelled sentences: each line should be a word, a tab, and c or i."
        ).format(file=path)
    # Translators: {line} is a line number; {problem} one of the faults above.
    problem = _(_FAULTS[error.fault]).format(found=error.found)
    return _(
        "{file}, line {line}: {problem}. Each line should be a word, a tab, and c or i."
    ).format(file=path, line=format_number(error.line), problem=problem)
