"""Tutor as a real process, offscreen, for tests that kill it or start it twice.

The script given to `TutorProcess` runs before `main()` and can print lines (events) the
test waits for with `wait_for_line()`; standard output is read on a thread so the test
never blocks on a pipe.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def environment(home: Path) -> dict[str, str]:
    return {
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "NO_PROXY": "127.0.0.1,localhost",
        # The machine's keyring is not the test's business (and may prompt).
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


class TutorProcess:
    def __init__(self, script: str, home: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=environment(home),
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_line(self, prefix: str, timeout: float = 30.0) -> str:
        """The first line starting with `prefix`, waiting at most `timeout` seconds."""
        for line in self.lines:
            if line.startswith(prefix):
                return line
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                got = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if got is None:
                raise AssertionError(
                    f"Tutor exited ({self.process.wait()}) before printing {prefix!r}; "
                    f"stdout {self.lines}, stderr:\n{self.stderr()}"
                )
            self.lines.append(got)
            if got.startswith(prefix):
                return got
        raise AssertionError(f"no {prefix!r} within {timeout} s; stdout so far: {self.lines}")

    def wait(self, timeout: float = 30.0) -> int:
        code = self.process.wait(timeout)
        self._reader.join(5)
        while not self._queue.empty():
            line = self._queue.get()
            if line is not None:
                self.lines.append(line)
        return code

    def stderr(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return ""
        return self.process.stderr.read()

    def stop(self) -> None:
        """Kill it if it still runs (a failed test must not leave Tutor behind)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
