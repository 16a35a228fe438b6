"""The sidebar: past sessions, most recently used first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from tutor.domain.languages import language
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.session import PracticeSession
from tutor.ui.chat_view import LRM

_SESSION_ID = Qt.ItemDataRole.UserRole


class SessionList(QListWidget):
    session_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Past sessions")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSpacing(3)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def show_sessions(self, sessions: list[PracticeSession], current_id: int | None) -> None:
        self.blockSignals(True)
        self.clear()
        for session in sessions:
            item = QListWidgetItem(self._label(session))
            item.setData(_SESSION_ID, session.id)
            item.setToolTip(session.title)
            self.addItem(item)
            if session.id == current_id:
                self.setCurrentItem(item)
        self.blockSignals(False)

    def session_id_of(self, item: QListWidgetItem) -> int:
        return int(item.data(_SESSION_ID))

    def session_ids(self) -> list[int]:
        return [int(self.item(row).data(_SESSION_ID)) for row in range(self.count())]

    @staticmethod
    def _label(session: PracticeSession) -> str:
        target = language(session.target_language)
        when = session.updated_at.astimezone().strftime("%d %b %Y, %H:%M")
        preview = " ".join(session.preview.split())
        if len(preview) > 48:
            preview = preview[:47] + "…"
        heading = f"{LRM}{target.native_name} · {session.level.value}"
        if session.scenario_id != FREE_CONVERSATION.id:
            heading += f" · {session.scenario_title}"
        if session.custom_title:
            heading = f"{session.custom_title}\n{heading}"
        count = session.mistake_count
        mistakes = "no mistakes" if count == 0 else f"{count} mistake{'s' if count != 1 else ''}"
        lines = [heading, when, f"{session.message_count} messages · {mistakes}"]
        if preview:
            lines.append(preview)
        return "\n".join(lines)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.session_chosen.emit(int(item.data(_SESSION_ID)))
