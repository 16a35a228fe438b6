"""What Tutor learned about each model server and model, kept in one small JSON file.

Which form of the output cap a server takes, whether it takes a temperature and a system
message, how much history fits its model, whether the model reasons (ServerHabits in
tutor/domain/server_habits.py). The partner, the coach and the summary ask from pool
threads, so the file is read once, kept in memory behind a lock, and written whole
(write_atomically) on every change, which is rare: a habit changes when a server refuses
something. A file that cannot be read starts empty (the habits are learned again); one
that cannot be written keeps them for this run.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from tutor.domain.server_habits import ServerHabits
from tutor.store.atomic_file import write_atomically

log = logging.getLogger(__name__)

FILE_VERSION = 1


class HabitsFile:
    """Habits by base URL and model, in `path` (read at first use)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._servers: dict[str, dict[str, dict[str, Any]]] | None = None

    def recall(self, base_url: str, model: str) -> ServerHabits | None:
        key = _key(base_url)
        with self._lock:
            found = self._loaded().get(key, {}).get(model)
        return ServerHabits.from_dict(found, key) if isinstance(found, dict) else None

    def remember(self, base_url: str, model: str, habits: ServerHabits) -> None:
        with self._lock:
            servers = self._loaded()
            servers.setdefault(_key(base_url), {})[model] = habits.to_dict()
            data = {"version": FILE_VERSION, "servers": servers}
            text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
            try:
                write_atomically(self._path, text.encode("utf-8"))
            except OSError as error:
                log.warning("server habits kept for this run only: %s", error)

    def _loaded(self) -> dict[str, dict[str, dict[str, Any]]]:
        if self._servers is None:
            self._servers = _read(self._path)
        return self._servers


def _key(base_url: str) -> str:
    return base_url.rstrip("/")


def _read(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("server habits not read (%s): they are learned again", error)
        return {}
    servers = data.get("servers") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        return {}
    return {
        str(url): {str(m): h for m, h in models.items() if isinstance(h, dict)}
        for url, models in servers.items()
        if isinstance(models, dict)
    }
