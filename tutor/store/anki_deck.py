"""Review cards as an Anki deck (.apkg), written with genanki; and the file write of exports.

The model and deck ids are fixed and each note's guid comes from the card's id, so
importing a newer export into Anki updates the notes it already has instead of adding
them again. Changing any of these constants would make every learner's next import a
duplicate: never change them.

`write_export_file()` is how every export (Markdown, CSV, .apkg) reaches the disk.
"""

from __future__ import annotations

import contextlib
import html
import io
import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tutor.domain.review import ReviewCard

MODEL_ID = 1_734_016_125
DECK_ID = 1_734_016_126
MODEL_NAME = "Tutor review card"
FIELDS = ("Front", "Back", "Explanation", "Language")

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
    # share write_export_file(), and the app's start do not wait for it.
    import genanki  # type: ignore[import-untyped]

    return genanki


def _model() -> Any:
    return _genanki().Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Recall the correction", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )


def card_guid(card: ReviewCard) -> str:
    """The note's identity in Anki: the same card always gets the same guid."""
    return str(_genanki().guid_for("tutor-review-card", card.id))


def _field(text: str) -> str:
    # Anki fields are HTML: what the learner or the model wrote must not become markup.
    return html.escape(text).replace("\n", "<br>")


def _note(model: Any, card: ReviewCard) -> Any:
    tags = ["tutor", card.language.replace(" ", "_")]
    if card.category:
        tags.append(card.category.replace(" ", "_"))
    return _genanki().Note(
        model=model,
        fields=[_field(card.front), _field(card.back), _field(card.explanation), card.language],
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
    """Write the cards to `path` as one Anki deck (see write_export_file()).

    Raises OSError when `path` cannot be written.
    """
    genanki = _genanki()
    model = _model()
    deck = genanki.Deck(DECK_ID, deck_name)
    for card in cards:
        deck.add_note(_note(model, card))
    package = genanki.Package(deck)
    stamp = time.time() if timestamp is None else timestamp
    with tempfile.TemporaryDirectory(prefix="tutor-apkg-") as scratch:
        # Package.write_to_file() leaves its collection in the system temp folder; the
        # learner's sentences should not linger there, so the zip is built here instead.
        collection = Path(scratch) / "collection.anki2"
        with contextlib.closing(sqlite3.connect(collection)) as connection:
            package.write_to_db(connection.cursor(), stamp, itertools.count(int(stamp * 1000)))
            connection.commit()
        archive_bytes = io.BytesIO()
        with zipfile.ZipFile(archive_bytes, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(collection, "collection.anki2")
            archive.writestr("media", json.dumps({}))
    write_export_file(path, archive_bytes.getvalue())


def write_export_file(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: the file appears whole or not at all.

    The bytes go to a temporary file beside `path`, which is then renamed over it, so a
    full disk or a crash never leaves half an export (or half of an older one). Like
    Tutor's own files the export is readable by its owner only (0600). Raises OSError.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
