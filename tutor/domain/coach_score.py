"""A coach's scorecard: how well a model marks learners' mistakes, measured on texts
whose mistakes people labelled, token by token.

The figures are MultiGED-2023's (Volodina et al. 2023): a token is a true positive when
the coach marks it and people labelled it incorrect, a false positive when the coach
marks a token people left as correct, a false negative when the coach leaves a labelled
token unmarked. F0.5 weighs precision twice as much as recall, as a wrong mark costs a
learner more than a missed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TokenCounts:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def __add__(self, other: TokenCounts) -> TokenCounts:
        return TokenCounts(
            self.true_positives + other.true_positives,
            self.false_positives + other.false_positives,
            self.false_negatives + other.false_negatives,
        )

    @property
    def precision(self) -> float | None:
        """Share of marked tokens that people labelled; None when nothing was marked."""
        marked = self.true_positives + self.false_positives
        return self.true_positives / marked if marked else None

    @property
    def recall(self) -> float | None:
        """Share of labelled tokens the coach marked; None when none were labelled."""
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else None

    @property
    def f05(self) -> float | None:
        """F0.5 (beta = 0.5); None while precision or recall is undefined, 0.0 when the
        coach marked something and found none of the labelled tokens."""
        return f_beta(self, 0.5)


def f_beta(counts: TokenCounts, beta: float) -> float | None:
    precision, recall = counts.precision, counts.recall
    if precision is None or recall is None:
        return None
    if precision == 0 and recall == 0:
        return 0.0
    weight = beta * beta
    return (1 + weight) * precision * recall / (weight * precision + recall)


@dataclass(frozen=True)
class Scorecard:
    """One measured run, as stored (tutor/store/coach_scores.py) and shown."""

    base_url: str
    model: str
    language: str
    """BCP 47 tag of the corpus's language: "it", "cs", "uk"."""
    corpus: str
    """Which sample was read: "multiged-it-merlin", "multiged-cs-geccc", "ua-gec", or
    "file:<name>" for a learner's own TSV."""
    style: str
    """CorrectionStyle.key of the style the coach was asked with."""
    sentences: int
    """Sentences scored (answered by the coach)."""
    tokens: int
    requests: int
    """Coach requests sent, including refused paths and failures."""
    failed: int
    """Sentences the coach gave no usable answer for: not scored."""
    counts: TokenCounts
    prompt_tokens: int | None
    completion_tokens: int | None
    seconds: float
    complete: bool
    """False when the run was cancelled or stopped by a failure: the figures cover the
    sentences scored before it."""
    measured_at: datetime
