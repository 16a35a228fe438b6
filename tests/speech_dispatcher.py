"""A private speech-dispatcher for tests of the real system voices (QtTextToSpeech "speechd").

The `speech_dispatcher` fixture starts one speech-dispatcher of its own for the test and
stops it after: its own configuration, socket, logs and home in the test's temporary
folder, the espeak-ng output module only, and audio written to libao's `null` driver,
so no sound device or sound server is needed and the developer's own speech-dispatcher
(and its settings under ~/.config/speech-dispatcher) is never touched. SPEECHD_ADDRESS
points the test process at it: libspeechd, which Qt's speechd plugin uses, reads it.

    def test_spanish_voices(speech_dispatcher, qapp):
        engine = QTextToSpeech("speechd")   # talks to the private server

With null audio a sentence ends as soon as it is made. `speech_dispatcher_with_sound`
(which needs the `pulse_audio` fixture, tests/pulse_audio.py) speaks it aloud instead,
in real time, on the private PulseAudio server's speakers, where it can be recorded.

Why each piece (what made QTextToSpeech("speechd") end in State.Error with no voices):
- Debian's espeak-ng output module is its own package, speech-dispatcher-espeak-ng,
  only *recommended* by speech-dispatcher: an install with --no-install-recommends (as
  scripts/bootstrap does) leaves speech-dispatcher with its `dummy` module alone, whose
  audio fails without a sound server, and the server aborts ("No speech output modules
  were loaded"). scripts/bootstrap installs the module by name.
- With no PulseAudio server, speech-dispatcher's default audio ("pulse") fails at the
  first sentence and the engine stays in Speaking; the `null` libao driver (chosen by
  the ~/.libao of the home given to the server) takes the audio and drops it.

Missing programs skip the tests that use the fixture, naming the Debian package, except
on CI (CI=true) on Debian, where scripts/bootstrap must have installed them: there they
fail. A server that is installed but does not start fails them, with its log.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.pulse_audio import PulseAudio
from tests.system_packages import skip_unless_installed

# Where distributions put the output modules (Debian: the first).
_MODULE_FOLDERS = (
    Path("/usr/lib/speech-dispatcher-modules"),
    Path("/usr/libexec/speech-dispatcher-modules"),
    Path("/usr/lib64/speech-dispatcher-modules"),
)
_MODULE_CONFIGURATION = Path("/etc/speech-dispatcher/modules/espeak-ng.conf")
_START_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class SpeechDispatcher:
    """A running private speech-dispatcher."""

    address: str  # what SPEECHD_ADDRESS is set to: "unix_socket:<socket>"
    socket: Path
    log_dir: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        """The server's and its module's logs, for a failing test's message."""
        return "\n".join(
            f"== {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.log_dir.glob("*.log"))
        )


def espeak_ng_module() -> Path | None:
    """speech-dispatcher's espeak-ng output module, if installed."""
    for folder in _MODULE_FOLDERS:
        if (folder / "sd_espeak-ng").is_file():
            return folder / "sd_espeak-ng"
    return None


def missing_for_speech_dispatcher() -> str | None:
    """Why a private speech-dispatcher cannot be started here, or None if it can."""
    if shutil.which("speech-dispatcher") is None:
        return "speech-dispatcher is not installed (scripts/bootstrap installs it)"
    if espeak_ng_module() is None:
        return (
            "speech-dispatcher's espeak-ng module is not installed "
            "(Debian: speech-dispatcher-espeak-ng; scripts/bootstrap installs it)"
        )
    return None


def _write_configuration(folder: Path, log_dir: Path, audio: str) -> Path:
    configuration = folder / "conf"
    (configuration / "modules").mkdir(parents=True)
    module_settings = _MODULE_CONFIGURATION.read_text() if _MODULE_CONFIGURATION.is_file() else ""
    (configuration / "modules" / "espeak-ng.conf").write_text(module_settings)
    (configuration / "speechd.conf").write_text(
        "LogLevel 3\n"
        f'LogDir "{log_dir}"\n'
        f'AudioOutputMethod "{audio}"\n'
        'AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"\n'
        'DefaultModule "espeak-ng"\n'
        'DefaultLanguage "en"\n'
    )
    return configuration


def start_speech_dispatcher(folder: Path, pulse_server: str | None = None) -> SpeechDispatcher:
    """Start a speech-dispatcher that keeps everything in `folder`; wait for its socket.
    Its audio is dropped, or played on the PulseAudio server `pulse_server` (the
    pulse_audio fixture's `.server`), in real time."""
    reason = missing_for_speech_dispatcher()
    if reason is not None:
        raise RuntimeError(reason)
    home = folder / "home"
    log_dir = folder / "log"
    home.mkdir(parents=True)
    log_dir.mkdir()
    (home / ".libao").write_text("default_driver=null\n")  # libao's silent driver
    configuration = _write_configuration(folder, log_dir, "pulse" if pulse_server else "libao")
    socket = folder / "speechd.sock"
    environment = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(folder),
    }
    if pulse_server:
        environment["PULSE_SERVER"] = pulse_server
    module = espeak_ng_module()
    assert module is not None
    errors = (log_dir / "stderr.log").open("wb")
    process = subprocess.Popen(
        [
            "speech-dispatcher",
            "--run-single",  # in the foreground, so the fixture can stop it
            "--timeout",
            "0",  # never leaves by itself
            "--config-dir",
            str(configuration),
            "--module-dir",
            str(module.parent),
            "--communication-method",
            "unix_socket",
            "--socket-path",
            str(socket),
            "--pid-file",
            str(folder / "speechd.pid"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=errors,
        env=environment,
        cwd=folder,
    )
    errors.close()  # the server has its own copy
    running = SpeechDispatcher(f"unix_socket:{socket}", socket, log_dir, process)
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not socket.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            stop_speech_dispatcher(running)
            raise RuntimeError(f"speech-dispatcher did not start:\n{running.log()}")
        time.sleep(0.05)
    return running


def stop_speech_dispatcher(running: SpeechDispatcher) -> None:
    if running.process.poll() is None:
        running.process.terminate()
        try:
            # After speaking through PulseAudio it may hang while closing its module.
            running.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            running.process.kill()
            running.process.wait(timeout=5)


@pytest.fixture
def speech_dispatcher(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SpeechDispatcher]:
    """A private speech-dispatcher with espeak-ng and silent audio, SPEECHD_ADDRESS set
    to it for the test; stopped after. Skips where speech-dispatcher or its espeak-ng
    module is not installed. (A short folder: a unix socket's path is at most 107 bytes.)"""
    skip_unless_installed(missing_for_speech_dispatcher())
    running = start_speech_dispatcher(tmp_path_factory.mktemp("speechd"))
    monkeypatch.setenv("SPEECHD_ADDRESS", running.address)
    try:
        yield running
    finally:
        stop_speech_dispatcher(running)


@pytest.fixture
def speech_dispatcher_with_sound(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    pulse_audio: PulseAudio,
) -> Iterator[SpeechDispatcher]:
    """The same, but speaking aloud, in real time, to the `pulse_audio` fixture's speakers
    (record them with `pulse_audio.record_speakers(wav)`): for tests that need speech to
    take as long as it does, or to be heard. QtTextToSpeech itself plays nothing (the
    server does), so it can run in the test process."""
    skip_unless_installed(missing_for_speech_dispatcher())
    running = start_speech_dispatcher(tmp_path_factory.mktemp("speechd"), pulse_audio.server)
    monkeypatch.setenv("SPEECHD_ADDRESS", running.address)
    try:
        yield running
    finally:
        stop_speech_dispatcher(running)
