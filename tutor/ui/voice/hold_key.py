"""Hold a key to talk: F4 pressed starts a recording, F4 released ends it.

F4 types nothing, no input method takes it (Ctrl+Space switches input methods on many
Linux desktops, and Space types), and no menu of Tutor's uses it (Alt+F4, the window
manager's, is another chord). A QShortcut catches the press wherever the focus is in the
window, without auto-repeat; the release is caught by an application event filter
installed only while the key is down, so nothing watches every event the rest of the
time. The key's own auto-repeat (press and release pairs while held) is ignored.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

HOLD_KEY = Qt.Key.Key_F4


class HoldKey(QObject):
    pressed = Signal()
    released = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._shortcut = QShortcut(QKeySequence(HOLD_KEY), window)
        self._shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self._shortcut.setAutoRepeat(False)
        self._shortcut.activated.connect(self._down)
        self._held = False

    @property
    def is_held(self) -> bool:
        return self._held

    @staticmethod
    def key_name() -> str:
        return QKeySequence(HOLD_KEY).toString(QKeySequence.SequenceFormat.NativeText)

    def _down(self) -> None:
        if self._held:
            return
        self._held = True
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.pressed.emit()

    def let_go(self) -> None:
        """The key counts as released (the window lost the focus while it was held)."""
        if not self._held:
            return
        self._held = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.released.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            if event.key() == HOLD_KEY:
                if kind == QEvent.Type.KeyRelease and not event.isAutoRepeat():
                    self.let_go()
                return True  # auto-repeat presses start nothing again
        elif kind == QEvent.Type.ApplicationDeactivate:
            self.let_go()
        return False
