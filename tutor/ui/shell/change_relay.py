"""The interface's ear on the change hub (tutor/services/changes.py): one Qt signal that
every view connects to, so a view that is destroyed is disconnected with it and a
listener never outlives its widget."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from tutor.services.changes import ChangeHub, Changes


class ChangeRelay(QObject):
    changed = Signal(object)  # Changes

    def __init__(self, hub: ChangeHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # One relay a context, living as long as it: it never needs to stop listening.
        hub.subscribe(self._relay)

    def _relay(self, changes: Changes) -> None:
        self.changed.emit(changes)
