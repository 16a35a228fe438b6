"""NotebookWindow: every mistake the coach found, by category, searchable, with a trend.

One language at a time (the learner's own target language first): the weekly chart on
top, then the mistakes grouped by category, most frequent first. Double-click or Enter
on a mistake asks for its message (`message_requested`); the main window opens the
session there. Learner and model text is only ever set as plain item text.
"""

from __future__ import annotations

from typing import Protocol

from PySide6 import QtGui
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

from tutor.domain.corrections import MarkKind, change_text
from tutor.domain.languages import language
from tutor.domain.notebook import NotebookEntry, by_category, matches
from tutor.domain.settings import Settings
from tutor.domain.time_words import long_date
from tutor.i18n.formats import format_number, language_name
from tutor.i18n.translate import N_, _
from tutor.store.notebook import NotebookStore
from tutor.ui.widgets.bidi import LRI, LRM, PDI, isolate
from tutor.ui.widgets.trend_chart import TrendChart

# A mistake's row holds its session and message ids; a category's row holds neither.
_SESSION_ID = Qt.ItemDataRole.UserRole
_MESSAGE_ID = Qt.ItemDataRole.UserRole + 1
EMPTY_NOTEBOOK = N_(
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
        # Translators: the window that keeps every mistake the coach found.
        title = _("Mistakes notebook")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._store = context.notebook
        # Per category: its row, its label, and each mistake's row with its entry.
        self._rows: list[
            tuple[QTreeWidgetItem, str, list[tuple[QTreeWidgetItem, NotebookEntry]]]
        ] = []

        self.language_box = QComboBox()
        # Translators: the notebook's choice of the language whose mistakes it shows.
        self.language_box.setAccessibleName(_("Language"))
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(_("Search mistakes, fixes and explanations"))
        self.search_box.setAccessibleName(_("Search the notebook"))
        self.search_box.setClearButtonEnabled(True)
        language_label = QLabel(_("&Language:"))
        language_label.setBuddy(self.language_box)
        top = QHBoxLayout()
        top.addWidget(language_label)
        top.addWidget(self.language_box)
        top.addSpacing(12)
        top.addWidget(self.search_box, 1)

        self.chart = TrendChart()
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Mistakes by category"))
        self.tree.setColumnCount(3)
        # Translators: the notebook's columns: the mistake and its fix, the coach's
        # explanation, and the day it was made.
        self.tree.setHeaderLabels([_("Mistake"), _("Why"), _("When")])
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
        self.buttons = buttons
        """The window's buttons; the shell adds "Practise my mistakes" to them."""

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
        """The category rows shown, most frequent first."""
        return [group for group, _label, _members in self._rows if not group.isHidden()]

    def entry_items(self) -> list[QTreeWidgetItem]:
        """The mistakes' rows shown, category by category."""
        return [
            item
            for group, _label, members in self._rows
            if not group.isHidden()
            for item, _entry in members
            if not item.isHidden()
        ]

    def _fill_languages(self, preferred: str | None) -> None:
        # The learner's own language is offered even before it has a mistake: its chart
        # can already show weeks of writing without any.
        codes = self._store.languages()
        if preferred and preferred not in codes:
            codes.insert(0, preferred)
        self.language_box.blockSignals(True)
        self.language_box.clear()
        for code in codes:
            self.language_box.addItem(language_label(code), code)
        if preferred:
            self.language_box.setCurrentIndex(self.language_box.findData(preferred))
        self.language_box.blockSignals(False)
        self.language_box.setEnabled(len(codes) > 1)

    def _show_language(self) -> None:
        """Chart and tree of the chosen language; the search box then hides rows."""
        code = self.current_language()
        entries = self._store.entries(code) if code else []
        self.chart.set_points(self._store.weekly_trend(code, mistakes=entries) if code else [])
        # Built once per language: the search only hides rows, so typing stays quick
        # with thousands of mistakes (rebuilding 5,000 rows took 0.6 s a key).
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        self._rows = []
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for category, members in by_category(entries):
            group = QTreeWidgetItem([category.label])
            group.setFont(0, bold)
            group.setFirstColumnSpanned(True)
            items = [self._entry_item(entry) for entry in members]
            group.addChildren(items)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
            self._rows.append((group, category.label, list(zip(items, members, strict=True))))
        self.tree.setUpdatesEnabled(True)
        self._show_entries()

    def _show_entries(self) -> None:
        """Show the mistakes that match the search; each category says how many."""
        query = self.search_box.text()
        terms = query.strip()
        self.tree.setUpdatesEnabled(False)
        shown = 0
        for group, label, members in self._rows:
            count = 0
            for item, entry in members:
                match = not terms or matches(entry, terms)
                item.setHidden(not match)
                count += match
            # Translators: a category in the notebook with its number of mistakes shown.
            group.setText(
                0, _("{category} ({count})").format(category=label, count=format_number(count))
            )
            group.setHidden(count == 0)
            shown += count
        self.tree.setUpdatesEnabled(True)
        rows = self.entry_items()
        current = self.tree.currentItem()
        if rows and (current is None or current.isHidden()):
            self.tree.setCurrentItem(rows[0])
        if not shown:
            self.empty_label.setText(
                _("Nothing in the notebook matches “{search}”.").format(search=terms)
                if terms
                else _(EMPTY_NOTEBOOK)
            )
        self.tree.setVisible(bool(shown))
        self.empty_label.setVisible(not shown)

    @staticmethod
    def _entry_item(entry: NotebookEntry) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [
                _isolated_change(entry),
                # Isolated, so an Arabic or Hebrew explanation keeps its full stop on
                # its own left end.
                isolate(" ".join(entry.explanation.split())) if entry.explanation else "",
                long_date(entry.when.astimezone().date()),
            ]
        )
        item.setData(0, _SESSION_ID, entry.session_id)
        item.setData(0, _MESSAGE_ID, entry.message_id)
        # Tooltips turn text that looks like markup into rich text: escape what the learner
        # and the coach wrote, so it shows as written and loads nothing.
        # Translators: a notebook row's tooltip: the learner's message as they wrote it.
        wrote = _("You wrote: {text}").format(text=entry.learner_text)
        item.setToolTip(0, _plain_tip(wrote))
        if entry.explanation:
            item.setToolTip(1, _plain_tip(entry.explanation))  # the column may cut it short
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
    if entry.kind is MarkKind.NOTE:
        return LRM + change_text(entry.mark, entry.learner_text)
    before, after = (side.strip() for side in entry.in_context())
    if before and after:
        # The pair is one left-to-right isolate as well: in a right-to-left window (an
        # Arabic interface) a mark alone does not keep the arrow pointing at the fix.
        return f"{LRI}{isolate(before)} → {isolate(after)}{PDI}"
    if entry.corrected.strip():
        # Translators: a mistake that left out words: the words to add.
        return LRM + _("Add “{words}”").format(words=isolate(entry.corrected.strip()))
    # Translators: a mistake of words too many: the words to remove.
    return LRM + _("Remove “{words}”").format(words=isolate(entry.original.strip()))


def language_label(code: str) -> str:
    """A language named in the interface language, its own name beside it when that
    differs (Language.label); for a language Tutor no longer offers, CLDR's name."""
    try:
        return language(code).label
    except ValueError:
        return language_name(code)


def _plain_tip(text: str) -> str:
    return QtGui.Qt.convertFromPlainText(text, QtGui.Qt.WhiteSpaceMode.WhiteSpaceNormal)
