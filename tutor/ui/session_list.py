"""The sidebar: past sessions, most recently used first."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from tutor.domain.languages import language
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.session import PracticeSession
from tutor.ui.bidi import LRM, isolate

_SESSION_ID = Qt.ItemDataRole.UserRole
_MAX_LABELS = 4000


class SessionList(QListWidget):
    session_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Past sessions")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSpacing(3)
        # Word-wrapped items of different heights are measured one by one: 500 of them
        # took 80-160 ms in one go before a paint. In batches, the first screenful is
        # painted at once and the rest is measured between other events.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(50)
        self._labels: dict[tuple[object, ...], str] = {}
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def show_sessions(self, sessions: list[PracticeSession], current_id: int | None) -> None:
        # The window calls this after every reply and every coach verdict, with up to
        # 500 sessions. Rebuilding every item (and laying every one out again) took
        # 100-200 ms there, in the middle of a reply: items are kept and only what
        # changed is set, and the layout is done in batches between other events.
        rows = [(session.id, self._label(session), session.title) for session in sessions]
        self.blockSignals(True)
        try:
            if self._reorder_items([row[0] for row in rows]):
                self._update_items(rows, current_id)
            else:
                self.clear()
                for session_id, label, title in rows:
                    item = QListWidgetItem(label)
                    item.setData(_SESSION_ID, session_id)
                    item.setToolTip(title)
                    self.addItem(item)
                    if session_id == current_id:
                        self.setCurrentItem(item)
        finally:
            self.blockSignals(False)

    def _update_items(self, rows: list[tuple[int, str, str]], current_id: int | None) -> None:
        """Set the text that changed, and the current session, on items in order."""
        current: QListWidgetItem | None = None
        for row, (session_id, label, title) in enumerate(rows):
            item = self.item(row)
            if item.text() != label:
                item.setText(label)
            if item.toolTip() != title:
                item.setToolTip(title)
            if session_id == current_id:
                current = item
        if current is None:
            self.setCurrentRow(-1)
            self.clearSelection()
        elif self.currentItem() is not current:
            self.setCurrentItem(current)
        if current is not None and self.row(current) == 0:
            self.scrollToTop()  # as a list built afresh shows a session that just moved up

    def _reorder_items(self, ids: list[int]) -> bool:
        """Put the items in the order of `ids` when that is the usual change: none, or
        one session (new, or just written in) at the top and the others in their order.
        False: the items must be built again (a filter changed, a session was deleted)."""
        old = self.session_ids()
        if old == ids:
            return True
        if not ids:
            return False
        first = ids[0]
        rest = [session_id for session_id in old if session_id != first]
        if rest[: len(ids) - 1] != ids[1:]:
            return False
        if first in old:
            item = self.takeItem(old.index(first))
        else:
            item = QListWidgetItem()
            item.setData(_SESSION_ID, first)
        self.insertItem(0, item)
        while self.count() > len(ids):  # the list is at its limit: the oldest drops off
            self.takeItem(self.count() - 1)
        return True

    def session_id_of(self, item: QListWidgetItem) -> int:
        return int(item.data(_SESSION_ID))

    def session_ids(self) -> list[int]:
        return [self.session_id_of(self.item(row)) for row in range(self.count())]

    def _label(self, session: PracticeSession) -> str:
        """The item's text, made again only when what it shows changed (the sidebar is
        refreshed often, and formatting 500 dates took a fifth of a refresh)."""
        key = (
            session.target_language,
            session.level,
            session.scenario_id,
            session.scenario_title,
            session.custom_title,
            session.updated_at,
            session.message_count,
            session.mistake_count,
            session.preview,
        )
        label = self._labels.get(key)
        if label is None:
            if len(self._labels) > _MAX_LABELS:
                self._labels.clear()
            label = self._labels[key] = self._make_label(session)
        return label

    @staticmethod
    def _make_label(session: PracticeSession) -> str:
        target = language(session.target_language)
        # time.strftime, not datetime.strftime: the same text, but datetime's imports the
        # time module on each call, through PySide's import hook (a third of the cost).
        when = time.strftime("%d %b %Y, %H:%M", session.updated_at.astimezone().timetuple())
        preview = " ".join(session.preview.split())
        if len(preview) > 48:
            preview = preview[:47] + "…"
        heading = f"{target.native_name} · {session.level.value}"
        if session.scenario_id != FREE_CONVERSATION.id:
            heading += f" · {session.scenario_title}"
        if session.custom_title:
            heading = f"{isolate(session.custom_title)}\n{heading}"
        count = session.mistake_count
        mistakes = "no mistakes" if count == 0 else f"{count} mistake{'s' if count != 1 else ''}"
        lines = [heading, when, f"{session.message_count} messages · {mistakes}"]
        if preview:
            # Isolated, or an Arabic or Hebrew preview was cut off (tutor/ui/bidi.py).
            lines.append(isolate(preview))
        return LRM + "\n".join(lines)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.session_chosen.emit(int(item.data(_SESSION_ID)))
