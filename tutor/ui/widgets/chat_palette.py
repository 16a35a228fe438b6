"""The colours the conversation and the review draw with: names, quiet text, mistakes and
fixes, chosen for the light or dark palette in use."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette


@dataclass(frozen=True)
class ChatPalette:
    partner_name: QColor
    learner_name: QColor
    meta: QColor
    problem: QColor
    fix: QColor
    """Text the coach inserted, and the "no mistakes" sign."""

    @classmethod
    def for_palette(cls, palette: QPalette) -> ChatPalette:
        dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
        names = (
            ("#6fd3c4", "#8ab4f8", "#9aa4b1", "#ff8a80", "#81c995")
            if dark
            else ("#00796b", "#1a5fb4", "#6b7280", "#b3261e", "#1b7f3b")
        )
        return cls(*(QColor(name) for name in names))
