"""Builds ChatClients once per server configuration, from any thread."""

from __future__ import annotations

import threading

from tutor.llm.client import ChatClient, ServerConfig, Timeouts


class ClientFactory:
    """`timeouts` apply to every client it builds; tests pass short ones (a hanging server
    then fails in about a second instead of two minutes)."""

    def __init__(self, timeouts: Timeouts | None = None) -> None:
        self._timeouts = timeouts
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
                found = ChatClient(config, self._timeouts)
                self._clients = {config: found}  # one server at a time: drop old connections
            return found
