"""Where a client keeps what it learned about each server and model (ServerHabits).

Requests run on pool threads, so whatever keeps the habits must be safe to call from
any thread. Tutor's window keeps them in a file in the data folder
(tutor/store/server_habits.py, built in tutor/app.py); without one, a client keeps them
in memory for as long as it lives.
"""

from __future__ import annotations

import threading
from typing import Protocol

from tutor.domain.server_habits import ServerHabits


class HabitsMemory(Protocol):
    """What a server and model were found to take, by base URL and model."""

    def recall(self, base_url: str, model: str) -> ServerHabits | None:
        """What was learned about them; None when nothing was."""
        ...

    def remember(self, base_url: str, model: str, habits: ServerHabits) -> None:
        """Keep `habits` for them (never raises: a habit not kept is learned again)."""
        ...


class HabitsInMemory:
    """Habits kept for as long as this object lives."""

    def __init__(self) -> None:
        self._habits: dict[tuple[str, str], ServerHabits] = {}
        self._lock = threading.Lock()

    def recall(self, base_url: str, model: str) -> ServerHabits | None:
        with self._lock:
            return self._habits.get((base_url.rstrip("/"), model))

    def remember(self, base_url: str, model: str, habits: ServerHabits) -> None:
        with self._lock:
            self._habits[(base_url.rstrip("/"), model)] = habits
