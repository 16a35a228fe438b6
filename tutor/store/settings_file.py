"""The settings file: JSON with a version, written atomically so a crash never truncates it."""

from __future__ import annotations

import contextlib
import io
import json
import time
from dataclasses import dataclass
from pathlib import Path

from tutor.domain.settings import Settings, SettingsError, settings_from_dict
from tutor.i18n.translate import _
from tutor.store.atomic_file import write_atomically
from tutor.store.frame_hints import MAX_BYTES

MAX_SETTINGS_BYTES = MAX_BYTES


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    problem: str | None = None
    """Set when the file could not be used and defaults were taken: tell the learner."""


class SettingsFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> LoadedSettings:
        try:
            return LoadedSettings(self._read())
        except FileNotFoundError:
            return LoadedSettings(Settings())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, SettingsError) as error:
            kept = self._set_aside()
            # Translators: {reason} may be in English (the file reader's own words).
            words = _(
                "Your settings could not be read ({reason}), so Tutor starts with defaults. "
                "The old file was kept as {name}."
            ).format(reason=error, name=kept.name)
            return LoadedSettings(Settings(), words)

    def peek(self) -> LoadedSettings:
        """As load(), but an unreadable file stays where it is (`tutor doctor` only looks)."""
        try:
            return LoadedSettings(self._read())
        except FileNotFoundError:
            return LoadedSettings(Settings())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, SettingsError) as error:
            return LoadedSettings(Settings(), f"unreadable: {error}")

    def _read(self) -> Settings:
        if self.path.stat().st_size > MAX_SETTINGS_BYTES:
            raise SettingsError(_("the settings file is far too large"))
        return settings_from_dict(json.loads(self.path.read_text(encoding="utf-8")))

    def save(self, settings: Settings) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = io.StringIO()
        json.dump(settings.to_dict(), text, indent=2, ensure_ascii=False)
        # No secret lives here (addresses, the profile): the usual mode, in a 0700 folder.
        write_atomically(self.path, text.getvalue().encode("utf-8"))

    def _set_aside(self) -> Path:
        stem = f"{self.path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}"
        kept = self.path.with_name(stem)
        number = 1
        while kept.exists():  # never replace a file set aside earlier in the same second
            number += 1
            kept = self.path.with_name(f"{stem}-{number}")
        with contextlib.suppress(OSError):  # a file we cannot move is left where it is
            self.path.replace(kept)
        return kept
