"""The fit meter's line in a session's report: how well the partner's replies fitted the
learner's level over the session (tutor/domain/level_fit.py), in the interface language."""

from __future__ import annotations

from tutor.domain.report import SessionFigures
from tutor.i18n.formats import format_number, format_percent
from tutor.i18n.translate import _, ngettext


def fit_rows(figures: SessionFigures) -> list[tuple[str, str]]:
    """The report's row on the replies' level, or none: a report kept before the meter,
    or a session whose replies could not be judged (a language without a word list)."""
    if not figures.fit_judged or figures.fit_mean_share is None:
        return []
    # Translators: {percent} is like "96%": the mean share of the words of the partner's
    # replies within the learner's level, over the session.
    known = _("{percent} of their words within your level").format(
        percent=format_percent(figures.fit_mean_share)
    )
    # Translators: of the partner's replies the fit meter judged, how many were too hard.
    too_hard = ngettext(
        "{hard} of {count} replies too hard",
        "{hard} of {count} replies too hard",
        figures.fit_judged,
    ).format(hard=format_number(figures.fit_too_hard), count=format_number(figures.fit_judged))
    # Translators: a row of the session's report: how the partner's replies fitted the
    # learner's level.
    return [
        (
            _("Replies at your level"),
            _("{known}; {too_hard}").format(known=known, too_hard=too_hard),
        )
    ]
