"""Exporting a learner's work, for the window (tutor/ui/history/export_actions.py) and for
`tutor export` (tutor/cli/commands.py) alike: a session as Markdown, corrections as CSV,
review cards as an Anki deck. Both callers only choose what and where and say the outcome
in their own words; what reaches the file is decided here, so the same session gives the
same bytes from either.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from tutor.domain.exports import ExportFormat, TextExport, text_export
from tutor.domain.languages import language
from tutor.domain.review import ReviewCard
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import _
from tutor.services.conversations import messages_with_checks
from tutor.store.atomic_file import PRIVATE, write_atomically
from tutor.store.corrections import CorrectionStore
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore

DECK_NAME = "Tutor"


def _now() -> float:
    """The moment a deck is written (its notes' modification time); tests replace it."""
    return time.time()


def render_text(
    kind: ExportFormat,
    sessions: SessionStore,
    corrections: CorrectionStore,
    chosen: Sequence[PracticeSession],
) -> TextExport:
    """`chosen` (oldest first) as Markdown (exactly one session) or CSV, not yet written.

    ValueError for Markdown of anything but one session, or for the Anki format.
    """
    with_messages = [
        (session, messages_with_checks(sessions, corrections, session.id)) for session in chosen
    ]
    return text_export(kind, with_messages)


def write_text(
    kind: ExportFormat,
    sessions: SessionStore,
    corrections: CorrectionStore,
    chosen: Sequence[PracticeSession],
    path: Path,
) -> TextExport:
    """Render (see render_text()) and replace `path` with it, readable by its owner only.

    The bytes are the text in the format's encoding, with no newline conversion: CSV rows
    end in CRLF as RFC 4180 says. Raises OSError or ValueError; `path` is then as it was.
    """
    export = render_text(kind, sessions, corrections, chosen)
    write_atomically(path, export.text.encode(export.encoding), mode=PRIVATE)
    return export


def deck_cards(
    review: ReviewStore, sessions: SessionStore, session_id: int | None = None
) -> list[ReviewCard]:
    """The session's review cards, or every card (cards outlive a deleted session)."""
    cards = review.cards()
    if session_id is None:
        return cards
    ids = {message.id for message in sessions.messages(session_id)}
    return [card for card in cards if card.message_id in ids]


def deck_name(cards: Sequence[ReviewCard]) -> str:
    """The deck's name in Anki: "Tutor::Spanish" when all cards are Spanish (the language
    named in the interface language), else "Tutor"."""
    codes = {card.language for card in cards}
    if len(codes) == 1:
        try:
            return f"{DECK_NAME}::{language(codes.pop()).interface_name}"
        except ValueError:
            pass
    return DECK_NAME


class NoCardsError(ValueError):
    """There is no review card to write: a deck is never written empty."""


def write_deck(cards: Sequence[ReviewCard], path: Path) -> None:
    """Replace `path` with the cards as one Anki deck named by deck_name().

    Raises NoCardsError when there are none, and OSError; `path` is then as it was.
    """
    if not cards:
        raise NoCardsError(_("There are no review cards yet: corrections become cards."))
    from tutor.store.anki_deck import write_apkg  # genanki is imported for a deck only

    write_apkg(cards, path, deck_name(cards), timestamp=_now())
