"""The practice targets' rows in a session's report: per kind of mistake a "Practise my
mistakes" session was built for, how many uses the coach found right and wrong."""

from __future__ import annotations

from tutor.domain.corrections import Category
from tutor.domain.report import SessionFigures
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext
from tutor.ui.widgets.bidi import isolate


def target_rows(figures: SessionFigures) -> list[tuple[str, str]]:
    """One row a target; none outside practice sessions (or in reports made before)."""
    rows = []
    for count in figures.target_counts:
        try:
            category = Category(count.category).label
        except ValueError:
            category = count.category
        # Translators: a row label of the report of a "Practise my mistakes" session:
        # "Practised: past tense (Grammar)"; the description is the scenario's, in English.
        label = _("Practised: {target} ({category})").format(
            # In its own direction: English inside an Arabic label reads whole.
            target=isolate(count.description),
            category=category,
        )
        uses = count.right + count.wrong
        value = (
            # Translators: how the learner's uses of a practised form went.
            ngettext(
                "{right} of {count} use right, {wrong} wrong",
                "{right} of {count} uses right, {wrong} wrong",
                uses,
            ).format(
                right=format_number(count.right),
                count=format_number(uses),
                wrong=format_number(count.wrong),
            )
            if uses
            else _("not used yet")
        )
        rows.append((label, value))
    return rows
