"""NotebookWindow: every mistake the coach found, by category, searchable, with a trend.

One language at a time (the learner's own target language first): the weekly chart on
top, then the mistakes grouped by category, most frequent first. Double-click or Enter
on a mistake asks for its message (`message_requested`); the main window opens the
session there. Learner and model text is only ever set as plain item text.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.languages import language
from tutor.domain.notebook import NotebookEntry, by_category
from tutor.domain.settings import Settings
from tutor.store.notebook import NotebookStore
from tutor.ui.mark_card import change_text
from tutor.ui.trend_chart import TrendChart

LRM = "\u200e"
FSI, PDI = "\u2068", "\u2069"
# A mistake's row holds its session and message ids; a category's row holds neither.
_SESSION_ID = Qt.ItemDataRole.UserRole
_MESSAGE_ID = Qt.ItemDataRole.UserRole + 1
EMPTY_NOTEBOOK = (
    "No mistakes here yet. When the coach corrects one of your messages, it is kept here."
)


class NotebookContext(Protocol):
    """What the window needs from the AppContext (which has more)."""

    @property
    def notebook(self) -> NotebookStore: ...

    @property
    def settings(self) -> Settings: ...


class NotebookWindow(QDialog):
    message_requested = Signal(int, int)  # session id, message id

    def __init__(self, context: NotebookContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mistakes notebook")
        self.setAccessibleName("Mistakes notebook")
        self._store = context.notebook

        self.language_box = QComboBox()
        self.language_box.setAccessibleName("Language")
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search mistakes, fixes and explanations")
        self.search_box.setAccessibleName("Search the notebook")
        self.search_box.setClearButtonEnabled(True)
        language_label = QLabel("&Language:")
        language_label.setBuddy(self.language_box)
        top = QHBoxLayout()
        top.addWidget(language_label)
        top.addWidget(self.language_box)
        top.addSpacing(12)
        top.addWidget(self.search_box, 1)

        self.chart = TrendChart()
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Mistakes by category")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Mistake", "Why", "When"])
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, 240)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("hint")
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.chart)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)

        learner = context.settings.learner
        self._preferred = learner.target_language if learner else None
        self.language_box.currentIndexChanged.connect(self._show_language)
        self.search_box.textChanged.connect(self._show_entries)
        self.tree.itemActivated.connect(self._activated)
        self.refresh()

    # -- what the window shows ----------------------------------------------------------

    def current_language(self) -> str | None:
        code = self.language_box.currentData()
        return str(code) if code else None

    def refresh(self) -> None:
        """Read the notebook again (after new corrections), keeping the chosen language."""
        self._fill_languages(self.current_language() or self._preferred)
        self._show_language()

    def groups(self) -> list[QTreeWidgetItem]:
        """The category rows, most frequent first."""
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [group for group in found if group is not None]

    def entry_items(self) -> list[QTreeWidgetItem]:
        """Every mistake's row, category by category."""
        found = (group.child(i) for group in self.groups() for i in range(group.childCount()))
        return [item for item in found if item is not None]

    def _fill_languages(self, preferred: str | None) -> None:
        # The learner's own language is offered even before it has a mistake: its chart
        # can already show weeks of writing without any.
        codes = self._store.languages()
        if preferred and preferred not in codes:
            codes.insert(0, preferred)
        self.language_box.blockSignals(True)
        self.language_box.clear()
        for code in codes:
            try:
                label = language(code).label
            except ValueError:
                label = code
            self.language_box.addItem(label, code)
        if preferred:
            self.language_box.setCurrentIndex(self.language_box.findData(preferred))
        self.language_box.blockSignals(False)
        self.language_box.setEnabled(len(codes) > 1)

    def _show_language(self) -> None:
        code = self.current_language()
        self.chart.set_points(self._store.weekly_trend(code) if code else [])
        self._show_entries()

    def _show_entries(self) -> None:
        code = self.current_language()
        query = self.search_box.text()
        entries = self._store.entries(code, query) if code else []
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for category, members in by_category(entries):
            group = QTreeWidgetItem([f"{category.label} ({len(members)})"])
            group.setFont(0, bold)
            group.setFirstColumnSpanned(True)
            group.addChildren([self._entry_item(entry) for entry in members])
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        self.tree.setUpdatesEnabled(True)
        rows = self.entry_items()
        if rows:
            self.tree.setCurrentItem(rows[0])
        elif query.strip():
            self.empty_label.setText(f"Nothing in the notebook matches “{query.strip()}”.")
        else:
            self.empty_label.setText(EMPTY_NOTEBOOK)
        self.tree.setVisible(bool(entries))
        self.empty_label.setVisible(not entries)

    @staticmethod
    def _entry_item(entry: NotebookEntry) -> QTreeWidgetItem:
        local = entry.when.astimezone()
        item = QTreeWidgetItem(
            [
                _isolated_change(entry),
                " ".join(entry.explanation.split()),
                f"{local.day} {local:%b %Y}",
            ]
        )
        item.setData(0, _SESSION_ID, entry.session_id)
        item.setData(0, _MESSAGE_ID, entry.message_id)
        item.setToolTip(0, f"You wrote: {entry.learner_text}")
        item.setToolTip(1, entry.explanation)
        item.setToolTip(2, f"{local:%A %d %B %Y, %H:%M}")
        return item

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        session_id, message_id = item.data(0, _SESSION_ID), item.data(0, _MESSAGE_ID)
        if session_id is not None and message_id is not None:  # not a category's row
            self.message_requested.emit(int(session_id), int(message_id))


def _isolated_change(entry: NotebookEntry) -> str:
    """ "goed → went", laid out left to right even when both sides are Arabic or Hebrew.

    Each side is a first-strong isolate, so its own script decides its direction, and
    the arrow keeps pointing from the mistake to the fix.
    """
    words = change_text(entry.mark, entry.learner_text)
    if " → " not in words:
        return LRM + words
    before, after = words.split(" → ", 1)
    return f"{LRM}{FSI}{before}{PDI} → {FSI}{after}{PDI}"
