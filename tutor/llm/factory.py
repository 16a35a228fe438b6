"""Builds ChatClients once per server configuration, from any thread."""

from __future__ import annotations

import threading

from tutor.llm.client import ChatClient, ServerConfig, Timeouts
from tutor.llm.habits import HabitsInMemory, HabitsMemory


class ClientFactory:
    """`timeouts` apply to every client it builds; tests pass short ones (a hanging server
    then fails in about a second instead of two minutes). `habits`: where every client
    keeps what it learns about its server (Tutor's window: a file in the data folder,
    built in tutor/app.py); without one, in memory for the factory's life."""

    def __init__(
        self, timeouts: Timeouts | None = None, habits: HabitsMemory | None = None
    ) -> None:
        self._timeouts = timeouts
        self.habits: HabitsMemory = habits if habits is not None else HabitsInMemory()
        self._clients: dict[ServerConfig, ChatClient] = {}
        self._lock = threading.Lock()

    @property
    def timeouts(self) -> Timeouts:
        return self._timeouts or Timeouts()

    def set_timeouts(self, timeouts: Timeouts) -> None:
        """Use these from the next request on (clients built before are dropped)."""
        with self._lock:
            self._timeouts = timeouts
            self._clients = {}

    def client(self, config: ServerConfig) -> ChatClient:
        with self._lock:
            found = self._clients.get(config)
            if found is None:
                found = ChatClient(config, self._timeouts, self.habits)
                self._clients = {config: found}  # one server at a time: drop old connections
            return found
