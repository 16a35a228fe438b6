"""The practice targets' rows in a session's report: per kind of mistake a "Practise my
mistakes" session was built for, how many uses the coach found right and wrong."""

from __future__ import annotations

from tutor.domain.corrections import Category
from tutor.domain.report import SessionFigures
from tutor.i18n.formats import format_list, format_number
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
        # "Practised: fui, comí (Grammar)": the right forms, in the language learnt.
        label = _("Practised: {target} ({category})").format(
            # In its own direction: Spanish inside an Arabic label reads whole. Reports
            # made before forms were kept name the target in the scenario's English.
            target=isolate(format_list(count.forms) if count.forms else count.description),
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
