"""Speech audio kept per message in the data folder, so a replay costs nothing and works
offline later.

One WAV file per message, voice, speed and text, in a folder per session:
`speech-audio/<session id>/<message id>-<digest>.wav`, the digest of the voice, the
speed, the model and the text (a message said in another voice, or at another speed,
is another file; an edited text is never served the old audio). A file is written whole
beside its place and renamed into it, so a half-written one is never played. Playing a
file marks it used (its modification time); past the size limit the least recently
played files go first. A session's folder goes when the session is removed for good
(`forget_sessions`, at start after the removed sessions are purged).

Used from pool threads (the speech worker writes, the player reads): every operation is
a few file-system calls on distinct paths, and eviction tolerates a file gone under it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tutor.domain.wav import WavError, wav_bytes, wav_pcm

FOLDER = "speech-audio"
SIZE_LIMIT = 200 * 1024 * 1024
"""About three hours of 24 kHz speech as WAV."""


@dataclass(frozen=True)
class AudioKey:
    session_id: int
    message_id: int
    voice: str
    speed: float
    model: str
    text: str

    @property
    def file_name(self) -> str:
        digest = hashlib.sha256(
            "\x00".join((self.voice, f"{self.speed:.3f}", self.model, self.text)).encode()
        ).hexdigest()[:20]
        return f"{self.message_id}-{digest}.wav"


class AudioCache:
    def __init__(self, folder: Path, size_limit: int = SIZE_LIMIT) -> None:
        self.folder = folder
        self.size_limit = size_limit

    @classmethod
    def in_data_folder(cls, data_dir: Path, size_limit: int = SIZE_LIMIT) -> AudioCache:
        return cls(data_dir / FOLDER, size_limit)

    def path(self, key: AudioKey) -> Path:
        return self.folder / str(key.session_id) / key.file_name

    def find(self, key: AudioKey) -> Path | None:
        """The cached audio, marked as just played; None when there is none."""
        path = self.path(key)
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def store(self, key: AudioKey, audio: bytes) -> Path:
        """Keep the audio (a whole WAV file), then evict past the size limit. OSError when
        the folder cannot be written (a full disk): nothing is left half written."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.part")
        try:
            partial.write_bytes(audio)
            partial.replace(path)
        finally:
            with contextlib.suppress(OSError):
                partial.unlink()
        self.evict(keep=path)
        return path

    def store_pcm(self, key: AudioKey, pcm: bytes, sample_rate: int) -> Path:
        """store() 16-bit mono PCM as a WAV file."""
        return self.store(key, wav_bytes(pcm, sample_rate))

    def read_pcm(self, key: AudioKey) -> bytes | None:
        """The cached audio's samples (marked as just played); None when there are none."""
        path = self.find(key)
        if path is None:
            return None
        try:
            _info, pcm = wav_pcm(path.read_bytes())
        except (OSError, WavError):
            return None  # gone, or damaged: made again
        return pcm or None

    def size(self) -> int:
        return sum(size for _path, size, _used in self._files())

    def evict(self, keep: Path | None = None) -> int:
        """Remove the least recently played files until the cache fits its limit; the
        bytes removed. `keep` (the file just written) stays whatever its size."""
        files = sorted(self._files(), key=lambda entry: entry[2])
        total = sum(size for _path, size, _used in files)
        removed = 0
        for path, size, _used in files:
            if total <= self.size_limit:
                break
            if path == keep:
                continue
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
                removed += size
        return removed

    def forget_session(self, session_id: int) -> None:
        shutil.rmtree(self.folder / str(session_id), ignore_errors=True)

    def forget_sessions(self, exists: Callable[[int], bool]) -> int:
        """Remove the audio of every session `exists` says is gone; how many folders."""
        try:
            folders = list(self.folder.iterdir())
        except OSError:
            return 0
        gone = 0
        for folder in folders:
            if folder.name.isdigit() and not exists(int(folder.name)):
                shutil.rmtree(folder, ignore_errors=True)
                gone += 1
        return gone

    def _files(self) -> list[tuple[Path, int, float]]:
        found = []
        try:
            sessions = list(self.folder.iterdir())
        except OSError:
            return []
        for session in sessions:
            with contextlib.suppress(OSError):
                for entry in os.scandir(session):
                    if entry.name.endswith(".wav") and entry.is_file():
                        stat = entry.stat()
                        found.append((Path(entry.path), stat.st_size, stat.st_mtime))
        return found
