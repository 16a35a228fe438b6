"""One set of learner texts a coach can be measured on, as the window and the command
line show it (tutor/services/score_sources.py lists them)."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.i18n.translate import _


class ScoreError(Exception):
    """A source that cannot be read (a bad --file), in words for the learner."""


@dataclass(frozen=True)
class ScoreSource:
    corpus: str
    """"multiged-it-merlin", "multiged-cs-geccc", "ua-gec", "file:<name>"."""
    language: str
    """BCP 47 tag: "it", "cs", "uk"."""
    title: str
    """In the interface's language, e.g. "Italian learner essays (MERLIN)"."""
    sentences: int
    """How many sentences the sample holds."""
    attribution: str
    """Licence and source, one line (the frame translated, the names as they are)."""
    reference_f05: float | None
    """The best published F0.5 on this data, 0..100; None when there is none."""


def attribution(corpus: str, licence: str, labels: str) -> str:
    # Translators: one line under a scorecard; {corpus} and {labels} are names and
    # papers, {licence} a licence's name ("CC BY-SA 4.0"): keep them as they are.
    return _("Learner texts: {corpus}, {licence}. Labels: {labels}.").format(
        corpus=corpus, licence=licence, labels=labels
    )
