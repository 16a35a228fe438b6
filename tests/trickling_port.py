"""A port that answers HTTP, but slowly: a byte now and then, as a server still loading
its model, or another program on 8080, can. A per-read socket timeout never fires on it.

Standard library only. It stops by itself: each answer ends after BYTES * PAUSE seconds.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType

BYTES = 40
PAUSE = 0.25


class TricklingPort:
    """Listens on 127.0.0.1; every request gets a 200 whose body arrives a byte per PAUSE.
    `finished` is set when an answer has been sent whole (or the asker hung up)."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self.port: int = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.asked = threading.Event()
        self.finished = threading.Event()
        self._stop = threading.Event()

    def __enter__(self) -> TricklingPort:
        threading.Thread(target=self._accept, name="trickling-port", daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                self.asked.set()
                connection.sendall(
                    b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {BYTES}\r\n\r\n".encode()
                )
                for _ in range(BYTES):
                    if self._stop.wait(PAUSE):
                        return
                    connection.sendall(b" ")
            except OSError:
                pass  # the asker gave up
            finally:
                self.finished.set()
