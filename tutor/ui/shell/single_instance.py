"""One Tutor per data folder: a second start brings the first window forward and exits.

Two Tutors on one database would both write: each would mark the other's streaming
reply as cut off at start, and two windows would show different truths. So the first
Tutor takes a lock file in the data folder (QLockFile: the kernel's PID check makes a
lock left by a killed Tutor stale at once) and listens on a local socket whose name is
derived from the folder. A second Tutor that finds the lock taken connects, asks the
first to show its window, and exits with status 0 without opening the database.
"""

from __future__ import annotations

import functools
import logging
import time
import weakref
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

# QtNetwork (30 ms), hashlib and getpass are imported where used, and Qt reached through
# QtCore at call time: start-up takes the lock before its window shows and listens after
# (docs/performance.md).

log = logging.getLogger(__name__)


LOCK_NAME = "tutor.lock"
SHOW = b"show\n"
CONNECT_WAIT_S = 5.0
"""How long a second Tutor tries to reach the first: it may hold the lock and still be
a moment away from listening."""


class Claim(Enum):
    FIRST = "first"
    """This Tutor is the one for the folder: go on and open the window."""
    SHOWN = "shown"
    """Another Tutor has the folder and was asked to show its window: exit."""
    SILENT = "silent"
    """Another Tutor holds the folder but did not answer: exit, touching nothing."""


def server_name(data_dir: Path) -> str:
    """The local socket's name for this folder: the same for every Tutor given the same
    folder, different for another folder or another user, and short enough for a Unix
    socket path."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): the folder decides
        user = ""
    import hashlib  # 4 ms, paid when the socket is made, after the window shows

    digest = hashlib.sha256(f"{user}\0{data_dir.resolve()}".encode()).hexdigest()
    return f"tutor-{digest[:24]}"


class SingleInstance(QObject):
    """Keep it alive as long as the window: closing it lets another Tutor start."""

    show_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._lock = QLockFile(str(data_dir / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None
        self._window: weakref.ref[QWidget] | None = None
        self.show_requested.connect(self._show_window)

    def claim(self, wait_s: float = CONNECT_WAIT_S, *, listen: bool = True) -> Claim:
        """Take the folder, or ask the Tutor that has it to show its window.

        listen=False: take the lock only, and call listen() later (start-up does, once
        its window is painted); a second Tutor keeps trying for `wait_s` meanwhile.
        """
        if self._lock.tryLock(0):
            if listen:
                self.listen()
            return Claim.FIRST
        if self._lock.error() is not QLockFile.LockError.LockFailedError:
            # No lock file can be made (a read-only folder): the socket alone decides.
            log.info("no lock file in the data folder (%s)", self._lock.error())
            if self._ask_to_show(0.3):
                return Claim.SHOWN
            if listen:
                self.listen()
            return Claim.FIRST
        return Claim.SHOWN if self._ask_to_show(wait_s) else Claim.SILENT

    @functools.cached_property
    def name(self) -> str:
        """The local socket's name (see server_name)."""
        return server_name(self.data_dir)

    def show_on_request(self, window: QWidget) -> None:
        """Bring `window` forward whenever another start asks (held weakly: main() deletes
        the window before the application)."""
        self._window = weakref.ref(window)

    def _show_window(self) -> None:
        window = self._window() if self._window is not None else None
        if window is not None:
            bring_to_front(window)

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def listen(self) -> None:
        """Answer other starts from now on (at most once)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None:
            return
        # A socket file left by a Tutor that was killed would make listen() fail; with
        # the lock held, no living Tutor owns that name, so it is removed first.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._accept)
        if not server.listen(self.name):
            # Not fatal: this Tutor still works; a second one simply cannot find it.
            log.warning("cannot listen on %s: %s", self.name, server.errorString())
            return
        self._server = server

    def _accept(self) -> None:
        assert self._server is not None
        while (connection := self._server.nextPendingConnection()) is not None:
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(connection.deleteLater)
            if connection.bytesAvailable():
                self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        if SHOW.strip() in bytes(connection.readAll().data()):
            log.info("another start asked for this window")
            self.show_requested.emit()

    def _ask_to_show(self, wait_s: float) -> bool:
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + wait_s
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(250):
                socket.write(SHOW)
                sent = socket.waitForBytesWritten(1000)
                socket.disconnectFromServer()
                return sent
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


def bring_to_front(window: QWidget) -> None:
    """Show the window as the learner left it, raised and focused."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~QtCore.Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
