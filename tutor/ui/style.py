"""The few style rules Tutor adds on top of the platform's own look."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


def style_sheet(palette: QPalette) -> str:
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    hint = "#9aa4b1" if dark else "#5f6b7a"
    error = "#ff8a80" if dark else "#b3261e"
    ok = "#81c995" if dark else "#1e7d32"
    notice = "#3a2f1d" if dark else "#fff4e0"
    return f"""
        QLabel#hint {{ color: {hint}; }}
        QLabel[state="error"] {{ color: {error}; }}
        QLabel[state="ok"] {{ color: {ok}; }}
        QFrame#notice {{ background: {notice}; border-radius: 6px; }}
        QLabel#sessionTitle {{ font-weight: 600; }}
        QFrame#markCard {{ border: 1px solid {hint}; border-radius: 6px; }}
        QLabel#markCategory {{ color: {hint}; }}
        QLabel#markChange {{ font-weight: 600; }}
        QLabel#goalsTitle {{ font-weight: 600; }}
    """


def apply_style(app: QApplication) -> None:
    app.setStyleSheet(style_sheet(app.palette()))
