"""The learner's recordings, kept with their messages in the data folder:
<data>/recordings/<session id>/<message id>.wav.

A file per message, not a database column: a minute of speech is 1.9 MB, which would
make every copy, backup and vacuum of the conversation file heavier, and a WAV file can
be played by Qt straight from disk. The files are private to the learner (0600, like
exports: they hold their voice). They go with their session when it is purged at the
next start (`keep_only`), and can be deleted per message or per session at any time.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterable
from pathlib import Path

from tutor.store.atomic_file import PRIVATE, write_atomically

FOLDER_NAME = "recordings"


class RecordingStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def in_data_folder(cls, data_dir: Path) -> RecordingStore:
        return cls(data_dir / FOLDER_NAME)

    def path(self, session_id: int, message_id: int) -> Path:
        return self.folder / str(int(session_id)) / f"{int(message_id)}.wav"

    def save(self, session_id: int, message_id: int, wav: bytes) -> Path:
        """Keep the recording of a message (whole or not at all). OSError if it cannot
        be written (a full disk): the message itself is already stored."""
        path = self.path(session_id, message_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, wav, mode=PRIVATE)
        return path

    def has(self, session_id: int, message_id: int) -> bool:
        return self.path(session_id, message_id).is_file()

    def kept_in(self, session_id: int) -> set[int]:
        """The ids of the messages of a session that have a recording."""
        folder = self.folder / str(int(session_id))
        if not folder.is_dir():
            return set()
        return {int(p.stem) for p in folder.glob("*.wav") if p.stem.isdigit()}

    def delete(self, session_id: int, message_id: int) -> bool:
        """Delete one message's recording; True if there was one."""
        path = self.path(session_id, message_id)
        existed = path.is_file()
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty, or already gone: both fine
            path.parent.rmdir()
        return existed

    def delete_session(self, session_id: int) -> int:
        """Delete every recording of a session; how many there were."""
        count = len(self.kept_in(session_id))
        shutil.rmtree(self.folder / str(int(session_id)), ignore_errors=True)
        return count

    def keep_only(self, session_ids: Iterable[int]) -> int:
        """Delete the recordings of every session not in `session_ids` (those purged, or
        purged in a run that ended before their recordings went). How many folders went."""
        if not self.folder.is_dir():
            return 0
        keep = {str(int(i)) for i in session_ids}
        gone = 0
        for folder in self.folder.iterdir():
            if folder.is_dir() and folder.name.isdigit() and folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
                gone += 1
        return gone
