"""What custom list rows share: the platform's own row background, then text the
delegate draws itself in the palette's colours."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)


class Row(NamedTuple):
    """One row to draw text into, its background already drawn."""

    option: QStyleOptionViewItem
    model_index: QModelIndex | QPersistentModelIndex
    text: str
    """The row's display text."""
    main: QColor
    """The colour of the row's text."""
    hint: QColor
    """The colour of secondary text: a description, a date, a count."""


def draw_row_background(painter: QPainter, option: QStyleOptionViewItem) -> bool:
    """Draw the row as the style does (selection, hover, focus) but empty; True if the
    row is selected, so the caller picks matching text colours."""
    widget = option.widget
    style = widget.style() if widget is not None else QApplication.style()
    option.text = ""
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
    return bool(option.state & QStyle.StateFlag.State_Selected)


class RowDelegate(QStyledItemDelegate):
    """A row drawn as the platform draws one, with the text drawn by `paint_text`."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        text = option.text
        selected = draw_row_background(painter, option)
        palette: QPalette = option.palette
        selected_text = palette.color(QPalette.ColorRole.HighlightedText)
        row = Row(
            option,
            index,
            text,
            selected_text if selected else palette.color(QPalette.ColorRole.Text),
            selected_text if selected else palette.color(QPalette.ColorRole.PlaceholderText),
        )
        painter.save()
        try:
            self.paint_text(painter, row)
        finally:
            painter.restore()

    def paint_text(self, painter: QPainter, row: Row) -> None:
        raise NotImplementedError
