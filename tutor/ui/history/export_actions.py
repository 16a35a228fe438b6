"""Export from the window: a session as Markdown, its corrections as CSV, and every review
card as an Anki deck. The same use case as `tutor export` (tutor/services/exports.py),
behind a file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from tutor.domain.exports import ExportFormat
from tutor.i18n.formats import format_number
from tutor.i18n.translate import N_, _, ngettext
from tutor.services import exports
from tutor.ui.shell.context import AppContext

# What the file dialog offers: the kind of file in words, and its pattern (never
# translated: Qt reads it).
_FILTERS = {
    ExportFormat.MARKDOWN: (N_("Markdown"), "*.md"),
    # Translators: a kind of file in the save dialog (a CSV file a spreadsheet opens).
    ExportFormat.CSV: (N_("Spreadsheet"), "*.csv"),
    ExportFormat.ANKI: (N_("Anki deck"), "*.apkg"),
}


def export_to(context: AppContext, session_id: int, kind: ExportFormat, path: Path) -> str:
    """Write the export; returns what was written, in words. Raises OSError or ValueError."""
    if kind is ExportFormat.ANKI:
        cards = exports.deck_cards(context.review, context.sessions)  # every card
        exports.write_deck(cards, path)  # NoCardsError (a ValueError) when there is none
        return ngettext(
            "Saved {count} card to {path}.", "Saved {count} cards to {path}.", len(cards)
        ).format(count=format_number(len(cards)), path=path)
    session = context.sessions.session(session_id)
    export = exports.write_text(kind, context.sessions, context.corrections, [session], path)
    if kind is ExportFormat.MARKDOWN:
        return _("Saved the session to {path}.").format(path=path)
    return ngettext(
        "Saved {count} correction to {path}.", "Saved {count} corrections to {path}.", export.count
    ).format(count=format_number(export.count), path=path)


def file_filter(kind: ExportFormat) -> str:
    """The file dialog's filter for `kind`: "Spreadsheet (*.csv)", its words translated."""
    words, pattern = _FILTERS[kind]
    return f"{_(words)} ({pattern})"


def ask_and_export(
    parent: QWidget, context: AppContext, session_id: int, kind: ExportFormat
) -> str | None:
    """Ask where, then export; the outcome in words, or None if the learner cancelled."""
    name = {ExportFormat.ANKI: "tutor-cards"}.get(kind, f"tutor-session-{session_id}")
    start = str(Path.home() / f"{name}.{kind.value}")
    # Translators: the title of the save dialog that exports a session or the cards.
    chosen, _filter = QFileDialog.getSaveFileName(parent, _("Export"), start, file_filter(kind))
    if not chosen:
        return None
    try:
        return export_to(context, session_id, kind, Path(chosen))
    except (OSError, ValueError) as error:
        return _("Nothing was exported: {reason}").format(reason=error)
