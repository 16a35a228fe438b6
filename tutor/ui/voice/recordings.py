"""The learner's recordings kept with their messages, as the window sees them: which
messages of the open session have one, keeping a new one (off the GUI thread), playing
one, and deleting one or all of a session's.

The files are tutor/store/recordings.py's. What is known here is the set of message ids
of the open session that have a recording, read once when the session opens (one folder
listing), so drawing a message asks a set, not the disk.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from tutor.domain.conversation import ChatMessage
from tutor.i18n.translate import _
from tutor.store.recordings import RecordingStore
from tutor.ui.shell.context import AppContext

if TYPE_CHECKING:
    from tutor.ui.widgets.playback import Playback

log = logging.getLogger(__name__)


class RecordingLibrary(QObject):
    changed = Signal(int)  # the id of a message whose recording came or went
    problem = Signal(str)  # what went wrong, in words
    playing_changed = Signal(int, bool)  # message id, whether its recording plays now

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.store = RecordingStore.in_data_folder(context.paths.data_dir)
        self._session_id: int | None = None
        self._kept: set[int] = set()
        self._playback: Playback | None = None  # made on the first play: QtMultimedia loads then
        self._playing: int | None = None

    def show_session(self, session_id: int | None) -> None:
        self.stop()
        self._session_id = session_id
        self._kept = set() if session_id is None else self.store.kept_in(session_id)

    def has(self, message: ChatMessage) -> bool:
        return message.session_id == self._session_id and message.id in self._kept

    def is_playing(self, message_id: int) -> bool:
        return self._playing == message_id

    @property
    def count(self) -> int:
        """Recordings of the open session."""
        return len(self._kept)

    def keep(self, message: ChatMessage, wav: bytes) -> None:
        """Keep a spoken message's recording (if the learner keeps recordings)."""
        if not self._context.settings.voice.keep_recordings:
            return
        store = self.store
        session_id, message_id = message.session_id, message.id
        self._context.tasks.run(
            lambda: store.save(session_id, message_id, wav),
            lambda _path: self._kept_one(session_id, message_id),
            lambda error: self._not_kept(error),
        )

    def _kept_one(self, session_id: int, message_id: int) -> None:
        if session_id == self._session_id:
            self._kept.add(message_id)
            self.changed.emit(message_id)

    def _not_kept(self, error: Exception) -> None:
        log.warning("recording not kept: %s", error)
        # Translators: {error} is the system's own words, often in English.
        self.problem.emit(
            _("Your recording could not be kept (your message is): {error}").format(error=error)
        )

    def play(self, message: ChatMessage) -> None:
        """Play a message's recording, or stop it if it is the one playing."""
        if self._playing == message.id:
            self.stop()
            return
        if not self.has(message):
            return
        playback = self._player()
        self.stop()
        path: Path = self.store.path(message.session_id, message.id)
        self._playing = message.id
        playback.play_file(path)
        if self._playing == message.id:
            self.playing_changed.emit(message.id, True)

    def stop(self) -> None:
        playing, self._playing = self._playing, None
        if self._playback is not None:
            self._playback.stop()
        if playing is not None:
            self.playing_changed.emit(playing, False)

    def delete(self, message: ChatMessage) -> None:
        if self._playing == message.id:
            self.stop()
        try:
            self.store.delete(message.session_id, message.id)
        except OSError as error:
            self.problem.emit(_("The recording could not be deleted: {error}").format(error=error))
            return
        self._kept.discard(message.id)
        self.changed.emit(message.id)

    def delete_session(self) -> list[int]:
        """Delete every recording of the open session; the ids of their messages."""
        if self._session_id is None:
            return []
        self.stop()
        gone = sorted(self._kept)
        self.store.delete_session(self._session_id)
        self._kept.clear()
        for message_id in gone:
            self.changed.emit(message_id)
        return gone

    def _player(self) -> Playback:
        if self._playback is None:
            from tutor.ui.widgets.playback import Playback

            self._playback = Playback(self)
            self._playback.finished.connect(self.stop)
            self._playback.failed.connect(self._play_failed)
        return self._playback

    def _play_failed(self, words: str) -> None:
        self.stop()
        self.problem.emit(words)
