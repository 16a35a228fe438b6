"""A private PulseAudio server for tests that go through real audio devices end to end.

The `pulse_audio` fixture starts a PulseAudio server of its own for the test and stops
it after. It has no sound card: everything is virtual, in the test's temporary folder.

- `speakers`: a null sink, the default output. What is played there is dropped, and
  can be recorded from its monitor (`record_speakers`).
- `microphone`: the default input (16 kHz mono), a pipe source that the fixture feeds
  in real time, as a sound card would: silence, and the WAV files given to
  `play_into_microphone(wav)` in turn (any rate and channel count; 16-bit PCM).

    def test_recorder_hears_speech(pulse_audio, tmp_path):
        wav = tmp_path / "hola.wav"
        subprocess.run(["espeak-ng", "-v", "es", "-w", str(wav), "Hola"], check=True)
        child = pulse_audio.start_python(RECORD_2_SECONDS, str(tmp_path / "out.raw"))
        ...                               # wait for the child to say it records
        pulse_audio.play_into_microphone(wav).wait()  # played in real time

**Use the devices from a child process** (`start_python`, `run_python`, or any program
given `environment()`). QtMultimedia connects to the sound server once per process, at
its first use, and never again: in the pytest process an earlier test may already have
found no server, and every later device list is then empty. The environment names the
private server (PULSE_SERVER), keeps the child away from the developer's PipeWire or
PulseAudio (XDG_RUNTIME_DIR, PIPEWIRE_RUNTIME_DIR) and asks Qt for its PulseAudio
backend (QT_AUDIO_BACKEND; Qt 6.10+ prefers PipeWire where it finds one).

Running as root (CI, containers) works: PulseAudio only warns. A missing `pulseaudio`
or `paplay` skips (fails on CI, where scripts/bootstrap --test installs them); a server
that does not start here (no shared memory, a sandbox) skips with its log.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
import wave
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.system_packages import skip_unless_installed

ROOT = Path(__file__).resolve().parent.parent
SPEAKERS = "speakers"
MICROPHONE = "microphone"
SPEAKERS_DESCRIPTION = "Tutor test speakers"
MICROPHONE_DESCRIPTION = "Tutor test microphone"
MICROPHONE_RATE = 16000
_CHUNK_S = 0.02  # the feed writes the microphone's samples 20 ms at a time
_START_TIMEOUT_S = 15.0

_CONFIGURATION = """\
.fail
load-module module-native-protocol-unix auth-anonymous=1 socket={socket}
load-module module-null-sink sink_name={speakers} \
sink_properties="device.description='{speakers_description}'"
load-module module-pipe-source source_name={microphone} file={fifo} \
format=s16le rate={rate} channels=1 \
source_properties="device.description='{microphone_description}'"
set-default-sink {speakers}
set-default-source {microphone}
"""


def pcm_of_wav(wav: Path, rate: int = MICROPHONE_RATE, volume: float = 1.0) -> bytes:
    """A 16-bit PCM WAV file's samples as 16-bit mono at `rate` (channels averaged,
    linear interpolation: good enough for speech into a test microphone), times
    `volume` (clipped)."""
    with wave.open(str(wav), "rb") as reader:
        if reader.getsampwidth() != 2:
            raise ValueError(f"{wav.name}: 16-bit PCM wanted")
        channels = reader.getnchannels()
        source_rate = reader.getframerate()
        frames = array.array("h")
        frames.frombytes(reader.readframes(reader.getnframes()))
    if sys.byteorder == "big":
        frames.byteswap()
    mono = [
        volume * sum(frames[i : i + channels]) / channels for i in range(0, len(frames), channels)
    ]
    if not mono:
        return b""
    count = int(len(mono) * rate / source_rate)
    out = array.array("h", bytes(2 * count))
    for i in range(count):
        position = i * source_rate / rate
        left = int(position)
        right = min(left + 1, len(mono) - 1)
        value = mono[left] + (mono[right] - mono[left]) * (position - left)
        out[i] = max(-32768, min(32767, round(value)))
    if sys.byteorder == "big":
        out.byteswap()
    return out.tobytes()


class Playing:
    """A WAV file being played into the microphone."""

    def __init__(self, pcm: bytes) -> None:
        self.pcm = pcm
        self.done = threading.Event()

    def wait(self, timeout: float = 60) -> None:
        """Until its last sample has gone to the microphone."""
        if not self.done.wait(timeout):
            raise TimeoutError("still playing into the microphone")


class _MicrophoneFeed(threading.Thread):
    """Writes the microphone's samples into its pipe in real time, 20 ms at a time:
    silence, or what play_into_microphone queued. (A pipe source only makes audio when
    written to; a microphone never stops.)"""

    def __init__(self, fifo: Path) -> None:
        super().__init__(name="microphone feed", daemon=True)
        self.fifo = fifo
        self.queue: deque[Playing] = deque()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def play(self, pcm: bytes) -> Playing:
        playing = Playing(pcm)
        with self.lock:
            self.queue.append(playing)
        return playing

    def _next_chunk(self, size: int) -> bytes:
        chunk = b""
        with self.lock:
            while self.queue and len(chunk) < size:
                playing = self.queue[0]
                taken = playing.pcm[: size - len(chunk)]
                chunk += taken
                playing.pcm = playing.pcm[len(taken) :]
                if not playing.pcm:
                    playing.done.set()
                    self.queue.popleft()
        return chunk + bytes(size - len(chunk))

    def run(self) -> None:
        size = int(MICROPHONE_RATE * _CHUNK_S) * 2
        # Read-write, so opening never waits for PulseAudio's end of the pipe.
        descriptor = os.open(self.fifo, os.O_RDWR | os.O_NONBLOCK)
        with contextlib.suppress(OSError):
            # A small pipe: what nobody records is lost, as with a microphone, instead of
            # piling up (64 KiB, 2 s) and reaching the next recording late.
            fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, 4096)
        try:
            due = time.monotonic()
            while not self.stopping.is_set():
                with contextlib.suppress(BlockingIOError):  # full: nobody records
                    os.write(descriptor, self._next_chunk(size))  # atomic: under PIPE_BUF
                due += _CHUNK_S
                self.stopping.wait(max(0.0, due - time.monotonic()))
        finally:
            os.close(descriptor)
            with self.lock:
                for playing in self.queue:
                    playing.done.set()


class PulseAudioUnavailableError(RuntimeError):
    """The server did not start here; the message holds its log."""


@dataclass(frozen=True)
class PulseAudio:
    """A running private PulseAudio server."""

    folder: Path
    server: str  # what PULSE_SERVER is set to: "unix:<socket>"
    process: subprocess.Popen[bytes]
    feed: _MicrophoneFeed

    def environment(self) -> dict[str, str]:
        """This process's environment, for a child that uses the private server only."""
        runtime = str(self.folder / "runtime")
        return {
            **os.environ,
            "PULSE_SERVER": self.server,
            "PULSE_COOKIE": str(self.folder / "cookie"),
            "XDG_RUNTIME_DIR": runtime,
            "PIPEWIRE_RUNTIME_DIR": runtime,
            "QT_AUDIO_BACKEND": "pulseaudio",
            "QT_QPA_PLATFORM": "offscreen",
        }

    def play_into_microphone(self, wav: Path, volume: float = 1.0) -> Playing:
        """Start playing `wav` (16-bit PCM, any rate and channels) into the microphone,
        after what was given before; returns at once. `.wait()` on the result for its
        end: it plays in real time. As with a real microphone, what plays while nothing
        records is lost: start the recording first. `volume` scales it (0.01: a
        recording too quiet to transcribe; 8: clipped)."""
        return self.feed.play(pcm_of_wav(wav, volume=volume))

    def record_speakers(self, wav: Path) -> subprocess.Popen[bytes]:
        """Start recording what is played to the speakers into `wav` (16 kHz mono);
        `.terminate()` then `.wait()` on the result to finish the file."""
        return subprocess.Popen(
            [
                "parec",
                f"--device={SPEAKERS}.monitor",
                "--file-format=wav",
                "--rate=16000",
                "--channels=1",
                "--format=s16le",
                "--latency-msec=20",  # not the default 2 s pieces, cut short at the end
                str(wav),
            ],
            env=self.environment(),
            cwd=self.folder,
        )

    def start_python(self, code: str, *args: str) -> subprocess.Popen[str]:
        """Start `python -c code args...` from the checkout's root (so `tests` and this
        checkout's `tutor` import) with `environment()`; stdout and stderr are pipes."""
        return subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.environment(),
            cwd=ROOT,
        )

    def run_python(
        self, code: str, *args: str, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """`start_python` and wait for it; raises subprocess.TimeoutExpired after `timeout`."""
        child = self.start_python(code, *args)
        try:
            stdout, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise
        return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)

    def log(self) -> str:
        return (self.folder / "pulseaudio.log").read_text(errors="replace")[-4000:]


def missing_for_pulse_audio() -> str | None:
    """Why a private PulseAudio server cannot be started here, or None if it can."""
    for program, package in (("pulseaudio", "pulseaudio"), ("paplay", "pulseaudio-utils")):
        if shutil.which(program) is None:
            return f"{program} is not installed (Debian: {package}; scripts/bootstrap --test)"
    return None


def start_pulse_audio(folder: Path) -> PulseAudio:
    """Start a PulseAudio server that keeps everything in `folder`; wait until it answers.
    Raises PulseAudioUnavailableError if it does not."""
    runtime = folder / "runtime"
    home = folder / "home"
    runtime.mkdir(mode=0o700, parents=True)
    home.mkdir()
    socket = runtime / "native"
    fifo = folder / "microphone.fifo"  # made by module-pipe-source
    script = folder / "tutor-test.pa"
    script.write_text(
        _CONFIGURATION.format(
            socket=socket,
            speakers=SPEAKERS,
            speakers_description=SPEAKERS_DESCRIPTION,
            microphone=MICROPHONE,
            fifo=fifo,
            rate=MICROPHONE_RATE,
            microphone_description=MICROPHONE_DESCRIPTION,
        )
    )
    environment = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_RUNTIME_DIR": str(runtime),
        "PULSE_RUNTIME_PATH": str(runtime),
        "PULSE_STATE_PATH": str(folder / "state"),
    }
    log = (folder / "pulseaudio.log").open("wb")
    process = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--system=no",
            "-n",  # no default.pa: only the modules above, no sound card
            f"--file={script}",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--disable-shm=yes",  # works without /dev/shm (containers)
            "--log-target=stderr",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
        env=environment,
        cwd=folder,
    )
    log.close()  # the server has its own copy
    running = PulseAudio(folder, f"unix:{socket}", process, _MicrophoneFeed(fifo))
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not _answers(running):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_pulse_audio(running)
            raise PulseAudioUnavailableError(f"PulseAudio did not start:\n{running.log()}")
        time.sleep(0.05)
    running.feed.start()
    return running


def _answers(running: PulseAudio) -> bool:
    """The server takes clients, and has its speakers and microphone (a module that
    failed to load is only logged)."""
    if not running.server.startswith("unix:") or not Path(running.server[5:]).exists():
        return False
    result = subprocess.run(
        ["pactl", "info"], capture_output=True, text=True, env=running.environment(), timeout=10
    )
    return (
        result.returncode == 0
        and f"Default Sink: {SPEAKERS}\n" in result.stdout
        and f"Default Source: {MICROPHONE}\n" in result.stdout
        and running.feed.fifo.exists()
    )


def stop_pulse_audio(running: PulseAudio) -> None:
    running.feed.stopping.set()
    if running.feed.is_alive():
        running.feed.join(timeout=5)
    if running.process.poll() is None:
        running.process.terminate()
        try:
            running.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            running.process.kill()
            running.process.wait(timeout=5)


@pytest.fixture
def pulse_audio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseAudio]:
    """A private PulseAudio server (null-sink speakers, a microphone fed from WAV files)
    for the test; stopped after. See the module's docstring for how to use it."""
    skip_unless_installed(missing_for_pulse_audio())
    try:
        running = start_pulse_audio(tmp_path_factory.mktemp("pulse"))
    except PulseAudioUnavailableError as problem:
        pytest.skip(str(problem))
    try:
        yield running
    finally:
        stop_pulse_audio(running)
