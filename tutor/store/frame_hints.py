"""The three things the first frame needs from the settings file, read with json alone.

The window shows before the rest of Tutor loads (docs/performance.md): it needs only the
place it was left, whether it is light or dark, and the language its words are in. json
reads those in about 1 ms; the settings model and what it imports take 30 ms more before
the first paint. Anything odd gives the defaults: SettingsFile.load(), which follows,
reads the file in full and tells the learner of any problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from tutor.i18n.translate import INTERFACE_LANGUAGES

MAX_BYTES = 1_000_000
"""No settings file is this large: SettingsFile refuses larger ones too (it reads the
limit from here, a module light enough for start-up)."""


class FrameHints(NamedTuple):  # not a dataclass: see tutor.cli.arguments.Options
    geometry: str | None = None
    """Base64 of QWidget.saveGeometry(), as Settings.window.geometry keeps it."""
    appearance: str = "system"
    """As Settings.appearance; MainWindow and apply_style check it."""
    interface_language: str = ""
    """As Settings.interface_language: one of INTERFACE_LANGUAGES, or empty for the
    system's."""


def read_frame_hints(path: Path) -> FrameHints:
    try:
        with path.open("rb") as file:
            content = file.read(MAX_BYTES + 1)
        data = json.loads(content) if len(content) <= MAX_BYTES else None
    except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON
        return FrameHints()
    if not isinstance(data, dict):
        return FrameHints()
    window = data.get("window")
    geometry = window.get("geometry") if isinstance(window, dict) else None
    appearance = data.get("appearance")
    language = data.get("interface_language")
    return FrameHints(
        geometry=geometry if isinstance(geometry, str) else None,
        appearance=appearance if isinstance(appearance, str) else "system",
        interface_language=language if language in INTERFACE_LANGUAGES else "",
    )
