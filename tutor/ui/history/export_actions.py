"""Export from the window: a session as Markdown, its corrections as CSV, and every review
card as an Anki deck. The same use case as `tutor export` (tutor/services/exports.py),
behind a file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from tutor.domain.exports import ExportFormat
from tutor.services import exports
from tutor.ui.shell.context import AppContext

_FILTERS = {
    ExportFormat.MARKDOWN: "Markdown (*.md)",
    ExportFormat.CSV: "Spreadsheet (*.csv)",
    ExportFormat.ANKI: "Anki deck (*.apkg)",
}


def export_to(context: AppContext, session_id: int, kind: ExportFormat, path: Path) -> str:
    """Write the export; returns what was written, in words. Raises OSError or ValueError."""
    if kind is ExportFormat.ANKI:
        cards = exports.deck_cards(context.review, context.sessions)  # every card
        exports.write_deck(cards, path)  # NoCardsError (a ValueError) when there is none
        return f"Saved {len(cards)} card{'s' if len(cards) != 1 else ''} to {path}."
    session = context.sessions.session(session_id)
    export = exports.write_text(kind, context.sessions, context.corrections, [session], path)
    if kind is ExportFormat.MARKDOWN:
        return f"Saved the session to {path}."
    return f"Saved {export.count} corrections to {path}."


def ask_and_export(
    parent: QWidget, context: AppContext, session_id: int, kind: ExportFormat
) -> str | None:
    """Ask where, then export; the outcome in words, or None if the learner cancelled."""
    name = {ExportFormat.ANKI: "tutor-cards"}.get(kind, f"tutor-session-{session_id}")
    start = str(Path.home() / f"{name}.{kind.value}")
    chosen, _filter = QFileDialog.getSaveFileName(parent, "Export", start, _FILTERS[kind])
    if not chosen:
        return None
    try:
        return export_to(context, session_id, kind, Path(chosen))
    except (OSError, ValueError) as error:
        return f"Nothing was exported: {error}"
