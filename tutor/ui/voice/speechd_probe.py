"""Is speech-dispatcher there, and does it answer? Asked before Qt's `speechd` engine is
made, because making it cannot be waited out: its constructor connects to the
dispatcher (starting one first, about two seconds, if none runs) while holding Python's
lock, so every Python thread of Tutor, the window's included, stops until it returns;
and a dispatcher that hangs (its audio output stuck) accepts the connection but never
answers, so the constructor never returns.

This asks the way libspeechd does, in plain Python, whose socket calls let the other
threads run: the dispatcher's address (SPEECHD_ADDRESS, else the user's socket under
XDG_RUNTIME_DIR, else ~/.cache, as libspeechd picks it), started with `--spawn` as
libspeechd would start it when none runs, then one SSIP command with a timeout. Only
a dispatcher that answers is handed to the engine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from tutor.i18n.translate import _

ANSWER_TIMEOUT_S = 2.0
SPAWN_TIMEOUT_S = 6.0


def default_socket(environ: Mapping[str, str]) -> Path:
    runtime = environ.get("XDG_RUNTIME_DIR") or str(Path.home() / ".cache")
    return Path(runtime) / "speech-dispatcher" / "speechd.sock"


def speechd_problem(environ: Mapping[str, str] | None = None) -> str:
    """ "" when speech-dispatcher answers; else why not, in the engine's words (English,
    shown inside a translated sentence)."""
    environ = os.environ if environ is None else environ
    address = environ.get("SPEECHD_ADDRESS", "")
    if address.startswith("inet_socket:"):
        host, _colon, port = address[len("inet_socket:") :].rpartition(":")
        if not port.isdigit():
            return _("SPEECHD_ADDRESS is not an address: {address}").format(address=address)
        return _ask(socket.AF_INET, (host or "127.0.0.1", int(port)))
    path = Path(address[len("unix_socket:") :]) if address else default_socket(environ)
    if not path.exists():
        if address:
            return _("nothing listens at {path}").format(path=path)
        problem = _spawn(path)
        if problem:
            return problem
    return _ask(socket.AF_UNIX, str(path))


def _spawn(path: Path) -> str:
    """Start the user's dispatcher on `path`, as libspeechd's autospawn does."""
    program = shutil.which("speech-dispatcher")
    if program is None:
        return _("speech-dispatcher is not installed")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    command = [program, "--spawn", "--communication-method", "unix_socket"]
    try:
        subprocess.run(
            [*command, "--socket-path", str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=SPAWN_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        # Translators: {error} is the system's own words, in English.
        return _("speech-dispatcher did not start: {error}").format(error=error)
    deadline = time.monotonic() + SPAWN_TIMEOUT_S
    while not path.exists():
        if time.monotonic() > deadline:
            return _("speech-dispatcher did not start")
        time.sleep(0.05)
    return ""


def _ask(family: int, address: str | tuple[str, int]) -> str:
    """One SSIP command; "" when the dispatcher answers it."""
    try:
        with socket.socket(family, socket.SOCK_STREAM) as connection:
            connection.settimeout(ANSWER_TIMEOUT_S)
            connection.connect(address)
            connection.sendall(b"SET SELF CLIENT_NAME tutor:probe:main\r\n")
            answer = connection.recv(256)
            connection.sendall(b"QUIT\r\n")
    except TimeoutError:
        return _("speech-dispatcher does not answer")
    except OSError as error:
        # Translators: {reason} is the system's own words, in English.
        return _("speech-dispatcher cannot be reached: {reason}").format(
            reason=error.strerror or error
        )
    if not answer.startswith(b"2"):
        # Translators: {answer} is speech-dispatcher's own words, in English.
        return _("speech-dispatcher refused: {answer}").format(
            answer=answer[:80].decode(errors="replace").strip()
        )
    return ""
