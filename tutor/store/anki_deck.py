"""Review cards as an Anki deck (.apkg), written with genanki; its bytes are the same for
the same cards, name and moment.

The model and deck ids are fixed and each note's guid comes from the card's id, so
importing a newer export into Anki updates the notes it already has instead of adding
them again. Changing any of these constants would make every learner's next import a
duplicate: never change them.

The deck is written like every export, by tutor/store/atomic_file.py.
"""

from __future__ import annotations

import contextlib
import html
import io
import itertools
import json
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tutor.domain.review import ReviewCard, highlighted
from tutor.store.atomic_file import PRIVATE, write_atomically

MODEL_ID = 1_734_016_125
DECK_ID = 1_734_016_126
# The note type's names stay English: Anki knows the type by them and by MODEL_ID, and a
# deck exported again (in another interface language) must land in the same type.
MODEL_NAME = "Tutor review card"  # i18n: ignore (a name Anki keeps)
FIELDS = ("Front", "Back", "Explanation", "Language")  # i18n: ignore (names in the templates)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold

# dir="auto" sets Arabic or Hebrew right to left; lang picks the right CJK glyphs.
_FRONT = '<div class="sentence" lang="{{Language}}" dir="auto">{{Front}}</div>'
_BACK = (
    "{{FrontSide}}<hr id=answer>"
    '<div class="sentence" lang="{{Language}}" dir="auto">{{Back}}</div>'
    '{{#Explanation}}<div class="explanation" dir="auto">{{Explanation}}</div>{{/Explanation}}'
)
_CSS = """
.card { font-family: sans-serif; font-size: 22px; text-align: center; }
.sentence { margin: 0.5em 0; }
.explanation { font-size: 16px; opacity: 0.75; margin-top: 1em; }
"""


def _genanki() -> Any:
    # Imported when a deck is written (about 0.1 s): Markdown and CSV exports, which
    # import this module for nothing else, and the app's start do not wait for it.
    import genanki  # type: ignore[import-untyped]

    return genanki


def _model() -> Any:
    return _genanki().Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[
            {"name": "Recall the correction", "qfmt": _FRONT, "afmt": _BACK}  # i18n: ignore
        ],
        css=_CSS,
    )


def card_guid(card: ReviewCard) -> str:
    """The note's identity in Anki: the same card always gets the same guid."""
    return str(_genanki().guid_for("tutor-review-card", card.id))


def _field(text: str) -> str:
    # Anki fields are HTML: what the learner or the model wrote must not become markup.
    return html.escape(text).replace("\n", "<br>")


def _front(card: ReviewCard) -> str:
    """A vocabulary card's front shows its word bold in the sentence; any other as it is."""
    parts = highlighted(card.front)
    if parts is None:
        return _field(card.front)
    before, word, after = parts
    return f"{_field(before)}<b>{_field(word)}</b>{_field(after)}"


def _note(model: Any, card: ReviewCard) -> Any:
    tags = ["tutor", card.language.replace(" ", "_")]
    if card.category:
        tags.append(card.category.replace(" ", "_"))
    return _genanki().Note(
        model=model,
        fields=[_front(card), _field(card.back), _field(card.explanation), card.language],
        guid=card_guid(card),
        tags=tags,
    )


def write_apkg(
    cards: Sequence[ReviewCard],
    path: Path,
    deck_name: str = "Tutor",
    *,
    timestamp: float | None = None,
) -> None:
    """Write the cards to `path` as one Anki deck, readable by its owner only (0600).

    Raises OSError when `path` cannot be written; `path` is then as it was.
    """
    stamp = time.time() if timestamp is None else timestamp
    write_atomically(path, deck_bytes(cards, deck_name, stamp), mode=PRIVATE)


def deck_bytes(cards: Sequence[ReviewCard], deck_name: str, timestamp: float) -> bytes:
    """The .apkg file's bytes: the same cards, name and `timestamp` give the same bytes.

    `timestamp` is the notes' modification time, so it should be the moment of the export:
    Anki updates a note it already has only from a newer one.
    """
    genanki = _genanki()
    model = _model()
    deck = genanki.Deck(DECK_ID, deck_name)
    for card in cards:
        deck.add_note(_note(model, card))
    package = genanki.Package(deck)
    with tempfile.TemporaryDirectory(prefix="tutor-apkg-") as scratch:
        # Package.write_to_file() leaves its collection in the system temp folder; the
        # learner's sentences should not linger there, so the zip is built here instead.
        collection = Path(scratch) / "collection.anki2"
        with contextlib.closing(sqlite3.connect(collection)) as connection:
            ids = itertools.count(int(timestamp * 1000))
            package.write_to_db(connection.cursor(), timestamp, ids)
            connection.commit()
        database = collection.read_bytes()
    # Each entry dated by `timestamp`, not by the scratch file: no clock reading but one.
    when = max(time.gmtime(timestamp)[:6], _ZIP_EPOCH)
    archive_bytes = io.BytesIO()
    with zipfile.ZipFile(archive_bytes, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("collection.anki2", database), ("media", json.dumps({}).encode())):
            entry = zipfile.ZipInfo(name, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, data)
    return archive_bytes.getvalue()
