"""What custom list rows share: the platform's own row background, drawn without text."""

from __future__ import annotations

from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem


def draw_row_background(painter: QPainter, option: QStyleOptionViewItem) -> bool:
    """Draw the row as the style does (selection, hover, focus) but empty; True if the
    row is selected, so the caller picks matching text colours."""
    widget = option.widget
    style = widget.style() if widget is not None else QApplication.style()
    option.text = ""
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
    return bool(option.state & QStyle.StateFlag.State_Selected)
