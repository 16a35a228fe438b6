"""The one way Tutor replaces a file: whole or not at all.

Settings, the learner's scenarios, a scenario they export, and every export (Markdown,
CSV, Anki deck) reach the disk through `write_atomically()`: the bytes go to a temporary
file beside the target, are flushed to the disk, the temporary file is renamed over the
target, and the folder is flushed so the rename itself survives a power cut. A full disk,
a crash or a refused rename never leaves half a file (or half of the older one), and no
temporary file is left behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE = 0o600
"""Readable and writable by the owner only: exports (what the learner wrote)."""

_NEW_FILE = 0o666
"""What `open()` asks for: the process's umask then takes its bits away (0644 usually)."""


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data`.

    `mode` is the new file's permission bits, exactly; None gives what a plain `open()`
    would (0666 less the umask), as the settings and scenario files have always had.
    Raises OSError (the folder missing, no space, no permission); `path` is then as it was.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    # O_EXCL: never write through a file (or a link) someone put there first.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    handle = os.open(temporary, flags, _NEW_FILE if mode is None else PRIVATE)
    try:
        with os.fdopen(handle, "wb") as file:
            if mode is not None:
                temporary.chmod(mode)  # exactly these bits, whatever the umask
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    # The rename lives in the folder's entries: without this a power cut can undo it.
    # Some systems cannot open a folder for this (Windows); the file is whole anyway.
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
