"""When a session is read for the facts the learner shared: once it ends, when the learner
leaves a session they wrote in for another (most never press End), at a quiet moment in
a long one (`QUIET_EVERY` learner messages not read yet, and the learner idle for
`IDLE_MS`), and, `CATCH_UP_MS` after the first session is shown, the recent sessions a
reading never reached because Tutor was closed first (services/memory.py:
sessions_to_catch_up). Old sessions only looked at are never read. The reading itself runs on
a pool thread (services/memory.py); its answer is kept on the GUI thread, and a failure
is recorded quietly (the facts window shows it), never a dialog in the middle of practice.

With memory off, `reading_call` makes no call: nothing leaves.
"""

from __future__ import annotations

import logging
import sqlite3
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from tutor.domain.conversation import ChatMessage, Role, utc_now
from tutor.domain.memory import FactChanges
from tutor.llm.memory import MemoryResult
from tutor.services.memory import (
    QUIET_EVERY,
    ReadingCall,
    keep_reading,
    reading_call,
    reading_failed,
    run_reading,
    sessions_to_catch_up,
)

if TYPE_CHECKING:
    from tutor.domain.session import PracticeSession
    from tutor.ui.shell.context import AppContext


class Practice(Protocol):
    """What the reader follows of the practice controller (tutor/ui/chat/practice.py)."""

    @property
    def message_added(self) -> SignalInstance: ...
    @property
    def ended_changed(self) -> SignalInstance: ...
    @property
    def session_opened(self) -> SignalInstance: ...
    @property
    def session(self) -> PracticeSession | None: ...
    @property
    def is_busy(self) -> bool: ...


log = logging.getLogger(__name__)

IDLE_MS = 60_000
"""How long the learner has not written before a long session is read (a quiet moment)."""
CATCH_UP_MS = 5_000
"""After the first session is shown: start-up and the opening reply come first."""


class MemoryReader(QObject):
    read = Signal(int, object)  # session id, FactChanges: a reading was kept
    failed = Signal(int, str)  # session id, why (already recorded for the facts window)

    def __init__(
        self, context: AppContext, practice: Practice, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._practice = practice
        self._reading: set[int] = set()
        self._again: set[int] = set()
        self._written: set[int] = set()
        """Sessions the learner wrote in during this run."""
        self._shown: int | None = None
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_MS)
        self.idle.timeout.connect(self._quiet_moment)
        self.catching_up = QTimer(self)
        self.catching_up.setSingleShot(True)
        self.catching_up.setInterval(CATCH_UP_MS)
        self.catching_up.timeout.connect(self.catch_up)
        self._caught_up = False
        self._started = utc_now()
        practice.message_added.connect(self._message_added)
        practice.ended_changed.connect(self._ended_changed)
        practice.session_opened.connect(self._session_opened)

    @property
    def busy(self) -> bool:
        """A reading is on its way (tests wait for it)."""
        return bool(self._reading)

    def read_session(self, session_id: int, at_least: int = 1) -> bool:
        """Read the session's unread learner messages (at least `at_least` of them) for
        facts; False when nothing left (memory off, no server, nothing to read)."""
        if session_id in self._reading:
            self._again.add(session_id)  # what is said meanwhile is read after it
            return False
        try:
            call = reading_call(self._context, session_id, at_least)
        except sqlite3.Error as error:
            log.warning("session %d not read for facts: %s", session_id, type(error).__name__)
            return False
        if call is None:
            return False
        self._reading.add(session_id)
        self._context.tasks.run(
            partial(run_reading, self._context, call),
            partial(self._keep, call),
            partial(self._failed, call),
            owner=self,
        )
        return True

    def catch_up(self) -> int:
        """Read the recent sessions left unread when Tutor was closed; how many went."""
        self._caught_up = True
        try:
            found = sessions_to_catch_up(self._context, self._started)
        except sqlite3.Error as error:
            log.warning("no catching up on facts: %s", type(error).__name__)
            return 0
        return sum(self.read_session(session_id) for session_id in found)

    def _message_added(self, message: ChatMessage) -> None:
        if message.role is Role.USER:
            self._written.add(message.session_id)
            self.idle.start()  # again: the learner is writing

    def _session_opened(self, session: PracticeSession, _messages: object) -> None:
        if not self._caught_up and not self.catching_up.isActive():
            self.catching_up.start()
        left, self._shown = self._shown, session.id
        if left is not None and left != session.id and left in self._written:
            self.idle.stop()
            self.read_session(left)

    def _quiet_moment(self) -> None:
        session = self._practice.session
        if session is not None and not self._practice.is_busy:
            self.read_session(session.id, at_least=QUIET_EVERY)

    def _ended_changed(self, ended: bool) -> None:
        session = self._practice.session
        if ended and session is not None:
            self.idle.stop()
            self.read_session(session.id)

    def _keep(self, call: ReadingCall, result: MemoryResult) -> None:
        self._done(call.session_id)
        try:
            changes: FactChanges = keep_reading(self._context, call, result)
        except sqlite3.Error as error:  # a full disk: read again next time
            log.warning("facts of session %d not kept: %s", call.session_id, error)
            return
        self.read.emit(call.session_id, changes)
        self._follow_up(call.session_id)

    def _failed(self, call: ReadingCall, error: Exception) -> None:
        self._done(call.session_id)
        try:
            words = reading_failed(self._context, call, error)
        except sqlite3.Error as failure:
            log.warning("failed reading not recorded: %s", type(failure).__name__)
            return
        self.failed.emit(call.session_id, words)

    def _done(self, session_id: int) -> None:
        self._reading.discard(session_id)

    def _follow_up(self, session_id: int) -> None:
        if session_id in self._again:
            self._again.discard(session_id)
            self.read_session(session_id)
