"""Esc pressed anywhere in one window, seen by an application-wide event filter.

Esc means "stop what is going on": a recording, then speech, then a streaming reply. A
feature that is busy installs an application filter while it is, and takes the key
first; accepting the ShortcutOverride keeps the window's own Esc shortcut (Stop reply)
for the next press.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget


def take_window_escape(watched: QObject, event: QEvent, window: QWidget) -> bool | None:
    """None: not a bare Esc in `window`. Else the event is taken (accepted), and True
    means it is the key press itself, when the feature acts."""
    kind = event.type()
    if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
        return None
    if not isinstance(event, QKeyEvent) or event.key() != Qt.Key.Key_Escape:
        return None
    if event.modifiers() != Qt.KeyboardModifier.NoModifier:
        return None
    if not isinstance(watched, QWidget) or watched.window() is not window:
        return None
    event.accept()
    return kind == QEvent.Type.KeyPress
