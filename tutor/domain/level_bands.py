"""The CEFR bands of the fit meter: for each level, the Zipf frequency (wordfreq) from
which a word counts as within the level, and the shares of known words that decide a
verdict.

The verdict's shares come from reading research (level_fit.py): 95% of running words
known is the minimum for comfortable reading, 90% the point below which a text is too
hard (Hu & Nation 2000; Laufer & Ravenhorst-Kalovski 2010).

The bands are CALIBRATED, not guessed: scripts/calibrate_level_fit reads the graded
passages in tests/data/level_texts/<language>/<level>.txt (one passage a level, written
for it as graded readers are: A1 about family and routine in the present, C2 literary
and abstract) and takes for each level the highest band at which the level's own
passage is at least 97% known, no higher than the level below's. Its figures (own
passage / next level's passage at the band) are in the comments of the table.

Passages are written in Spanish, Japanese, Chinese, English, French and German. A
language without passages takes the DEFAULT row (the mean of the Latin-script rows):
Japanese and Chinese get rows of their own, as their tokenizers cut text into
morphemes and words of other lengths, so the same Zipf value means another thing.
"""

from __future__ import annotations

from enum import StrEnum

from tutor.domain.levels import Level


class Verdict(StrEnum):
    FITS = "fits"
    A_BIT_HARD = "a_bit_hard"
    TOO_HARD = "too_hard"
    CANNOT_JUDGE = "cannot_judge"
    """The language has no frequency list: nothing can be said."""
    TOO_SHORT = "too_short"
    """Too few words to judge (or none): no meter."""


FITS_FROM = 0.95
"""At or above: the reply fits (comfortable reading)."""
TOO_HARD_BELOW = 0.90
"""Below: too hard. Between the two: a bit hard."""

DEFAULT = "default"


def _row(*bands: float) -> dict[Level, float]:
    """A table row: the bands of A1, A2, B1, B2, C1 and C2, in this order."""
    return dict(zip(Level, bands, strict=True))


# fmt: off
# CALIBRATION TABLE (replaced by scripts/calibrate_level_fit --write)
BANDS: dict[str, dict[Level, float]] = {
    # de A1 4.50: own 98.9% (90 words), A2 92.6%
    # de A2 4.30: own 97.9% (95 words), B1 97.2%
    # de B1 4.30: own 97.2% (108 words), B2 77.8%
    # de B2 3.70: own 97.2% (72 words), C1 91.7%
    # de C1 3.10: own 98.6% (72 words), C2 88.2%
    # de C2 2.25: own 97.6% (85 words)
    "de": _row(4.50, 4.30, 4.30, 3.70, 3.10, 2.25),
    # en A1 4.65: own 98.9% (93 words), A2 97.8%
    # en A2 4.65: own 97.8% (89 words), B1 97.1%
    # en B1 4.65: own 97.1% (102 words), B2 76.9%
    # en B2 4.00: own 97.4% (78 words), C1 86.1%
    # en C1 2.40: own 97.5% (79 words), C2 92.7%
    # en C2 1.80: own 97.6% (82 words)
    "en": _row(4.65, 4.65, 4.65, 4.00, 2.40, 1.80),
    # es A1 4.30: own 98.8% (82 words), A2 92.6%
    # es A2 3.80: own 97.5% (81 words), B1 96.7%
    # es B1 3.75: own 97.8% (91 words), B2 91.4%
    # es B2 3.40: own 97.5% (81 words), C1 91.7%
    # es C1 2.60: own 97.6% (84 words), C2 89.7%
    # es C2 1.55: own 97.7% (87 words)
    "es": _row(4.30, 3.80, 3.75, 3.40, 2.60, 1.55),
    # fr A1 4.60: own 98.0% (102 words), A2 91.8%
    # fr A2 4.00: own 98.0% (98 words), B1 97.3%
    # fr B1 4.00: own 97.3% (112 words), B2 91.0%
    # fr B2 3.50: own 97.8% (89 words), C1 94.3%
    # fr C1 2.70: own 97.7% (88 words), C2 90.8%
    # fr C2 1.80: own 98.0% (98 words)
    "fr": _row(4.60, 4.00, 4.00, 3.50, 2.70, 1.80),
    # ja A1 4.35: own 98.2% (110 words), A2 94.6%
    # ja A2 4.10: own 97.8% (93 words), B1 96.9%
    # ja B1 4.05: own 97.7% (128 words), B2 93.0%
    # ja B2 3.70: own 97.4% (114 words), C1 94.8%
    # ja C1 3.45: own 97.4% (115 words), C2 83.1%
    # ja C2 2.30: own 97.6% (124 words)
    "ja": _row(4.35, 4.10, 4.05, 3.70, 3.45, 2.30),
    # zh A1 4.25: own 97.3% (74 words), A2 90.7%
    # zh A2 3.90: own 97.3% (75 words), B1 96.6%
    # zh B1 3.80: own 97.7% (88 words), B2 97.3%
    # zh B2 3.80: own 97.3% (74 words), C1 95.3%
    # zh C1 3.50: own 97.7% (86 words), C2 79.2%
    # zh C2 1.25: own 97.9% (96 words)
    "zh": _row(4.25, 3.90, 3.80, 3.80, 3.50, 1.25),
    # default mean of de, en, es, fr
    DEFAULT: _row(4.50, 4.20, 4.15, 3.65, 2.70, 1.85),
}
# END CALIBRATION TABLE
# fmt: on


def band(language: str, level: Level) -> float:
    """The lowest Zipf frequency a word within `level` has, in `language`."""
    from tutor.domain.word_frequency import base_language

    return BANDS.get(base_language(language), BANDS[DEFAULT])[level]


def verdict_for_share(share: float) -> Verdict:
    if share >= FITS_FROM:
        return Verdict.FITS
    if share >= TOO_HARD_BELOW:
        return Verdict.A_BIT_HARD
    return Verdict.TOO_HARD
