"""What a use case changed, said once, so that every view showing that kind of thing
refreshes itself (the idea of Anki's OpChanges): no view calls another view's refresh.

A use case publishes on the hub after its write has committed; the hub calls its
listeners at once, on the thread that published (the GUI thread: the store is written
there only). The interface listens through one Qt relay (tutor/ui/shell/change_relay.py),
so a view that is destroyed stops listening with it.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


class Change(enum.Flag):
    """The kinds of thing a use case can change."""

    NONE = 0
    SESSIONS = enum.auto()
    """The list of sessions: one made, renamed, deleted, restored, or its counts moved."""
    MESSAGES = enum.auto()
    """A session's messages: one added, finished, or removed."""
    CORRECTIONS = enum.auto()
    """A check started, ended, or a mark was dismissed."""
    CARDS = enum.auto()
    """Review cards: added, reviewed, or their due dates moved."""
    GOALS = enum.auto()
    """A scenario goal was met, or a session ended."""
    REPORTS = enum.auto()
    """A session report was written."""
    SCENARIOS = enum.auto()
    """The learner's own scenarios."""
    SETTINGS = enum.auto()
    """The settings: the server, the learner, the coach's style, the appearance."""
    FACTS = enum.auto()
    """The facts the learner shared (added, edited, deleted, forgotten), memory turned
    on or off, or a reading of a session for them (tutor/services/memory.py)."""


@dataclass(frozen=True)
class Changes:
    """One use case's changes: what kinds, and in which session when it was one."""

    what: Change
    session_id: int | None = None

    def touches(self, kinds: Change) -> bool:
        return bool(self.what & kinds)


Listener = Callable[[Changes], None]


class ChangeHub:
    """Use cases publish here; views listen (through the interface's relay)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every change from now on; returns the way to stop."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, what: Change, session_id: int | None = None) -> Changes:
        """Tell every listener; a listener that fails is logged and the others still hear."""
        changes = Changes(what, session_id)
        if what is Change.NONE:
            return changes
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:
                log.exception("a view failed to follow %s", changes)
        return changes
