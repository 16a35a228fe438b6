""" "What your partner knows about you": every fact the learner shared, with the session
it came from; add, edit, delete, forget everything, export, and the memory switch.

Every change goes through tutor/services/memory.py, which says Change.FACTS on the hub;
the window (and any other copy of it) refreshes itself from there. A reading that failed
is said here, quietly, not in the middle of practice.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.memory import KIND_NAMES, FactKind, FactOrigin, FactSource
from tutor.i18n.formats import format_date, format_datetime, format_number
from tutor.i18n.translate import _, ngettext
from tutor.services import memory
from tutor.services.changes import Change, Changes
from tutor.ui.memory.fact_editor import FactEditor
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.bidi import LRI, PDI
from tutor.ui.widgets.error_label import ErrorLabel

FACT_ID = Qt.ItemDataRole.UserRole


class FactsWindow(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle(_("What your partner knows about you"))
        self.explanation = QLabel(
            _(
                "When a session ends, and now and then in a long one, your coach's model "
                "reads what you wrote for facts you shared about yourself: your name, where "
                "you live, your work or studies, family, interests and plans with their "
                "day. Your partner is given the most useful of them with each message, so "
                "it can ask how the exam went. They are kept only on this computer, in "
                "{file}, never written to the log, and exported only when you choose "
                "Export."
            ).format(file=_path(context.paths.database))
        )
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.switch = QCheckBox(_("&Remember what I share (memory on)"))
        self.switch.setChecked(context.settings.memory)
        self.switch.toggled.connect(self._switch)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.error = ErrorLabel()
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setHeaderLabels(
            # Translators: the columns of the facts list: the fact, its kind, its day,
            # and the session it came from.
            [_("Fact"), _("Kind"), _("Day"), _("From")]
        )
        self.tree.setAccessibleName(_("Facts your partner knows"))
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.empty = QLabel(_("Your partner knows nothing about you yet."))
        self.empty.setObjectName("hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_button = QPushButton(_("&Add…"))
        self.edit_button = QPushButton(_("&Edit…"))
        self.delete_button = QPushButton(_("&Delete"))
        self.forget_button = QPushButton(_("&Forget everything…"))
        self.export_button = QPushButton(_("E&xport…"))
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.forget_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.switch)
        layout.addWidget(self.note)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.resize(720, 520)
        self.editor: FactEditor | None = None
        self.confirm: QMessageBox | None = None
        self.add_button.clicked.connect(lambda: self._open_editor(None))
        self.edit_button.clicked.connect(self._edit_selected)
        self.tree.itemActivated.connect(lambda _item, _column: self._edit_selected())
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.delete_button.clicked.connect(self._delete_selected)
        self.forget_button.clicked.connect(self._ask_forget)
        self.export_button.clicked.connect(self._export)
        context.relay.changed.connect(self._changed)
        self.refresh()

    # -- what the window shows ----------------------------------------------------------

    def refresh(self) -> None:
        origins = self._context.learner_facts.with_sessions()
        chosen = self.selected_id()
        self.tree.clear()
        for origin in origins:
            item = QTreeWidgetItem(self._columns(origin))
            item.setData(0, FACT_ID, origin.fact.id)
            item.setToolTip(0, origin.fact.text)
            self.tree.addTopLevelItem(item)
            if origin.fact.id == chosen:
                item.setSelected(True)
        self.tree.setVisible(bool(origins))
        self.empty.setVisible(not origins)
        self.forget_button.setEnabled(bool(origins))
        self.export_button.setEnabled(bool(origins))
        self.switch.blockSignals(True)
        self.switch.setChecked(self._context.settings.memory)
        self.switch.blockSignals(False)
        self._show_note()
        self._selection_changed()

    def facts_shown(self) -> list[str]:
        """The facts' words as listed (tests read the window as a person would)."""
        return [item.text(0) for item in self._items()]

    def selected_id(self) -> int | None:
        items = self.tree.selectedItems()
        return int(items[0].data(0, FACT_ID)) if items else None

    def select(self, text: str) -> None:
        """Select the fact that says `text` (as a click on its row would)."""
        for item in self._items():
            if item.text(0) == text:
                self.tree.setCurrentItem(item)
                return
        raise LookupError(text)

    def _items(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def _columns(self, origin: FactOrigin) -> list[str]:
        fact = origin.fact
        day = format_date(fact.about_date) if fact.about_date else ""
        if origin.session_title is not None and origin.session_date is not None:
            # Translators: where a fact came from: a session's title and the day it began.
            source = _("{session}, {day}").format(
                session=origin.session_title, day=format_datetime(origin.session_date, "short")
            )
        elif fact.source is FactSource.LEARNER:
            source = _("added by you")
        else:
            source = _("a deleted session")
        return [fact.text, _(KIND_NAMES[fact.kind]), day, source]

    def _show_note(self) -> None:
        if not self._context.settings.memory:
            self.note.setText(
                _("Memory is off: nothing you write is read for facts, and none is sent.")
            )
            self.note.show()
            return
        failure = self._context.learner_facts.last_failure()
        if failure is None:
            self.note.hide()
            return
        self.note.setText(
            _("The last reading ({when}) failed; it is tried again later: {error}").format(
                when=format_datetime(failure.when, "short"), error=failure.error
            )
        )
        self.note.show()

    def _selection_changed(self) -> None:
        chosen = self.selected_id() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Change.FACTS | Change.SETTINGS | Change.SESSIONS):
            self.refresh()

    # -- what the learner does ----------------------------------------------------------

    def _open_editor(self, fact_id: int | None) -> None:
        fact = self._context.learner_facts.fact(fact_id) if fact_id is not None else None
        context = self._context

        def save(text: str, kind: FactKind, day: date | None) -> object:
            if fact is None:
                return memory.add_fact(context, text, kind, day)
            return memory.edit_fact(context, fact.id, text, kind, day)

        editor = FactEditor(fact, save, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.destroyed.connect(lambda: setattr(self, "editor", None))
        self.editor = editor
        editor.open()

    def _edit_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self._open_editor(chosen)

    def _delete_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is None:
            return
        try:
            memory.delete_fact(self._context, chosen)
        except sqlite3.Error as error:
            self.error.say(_("The fact could not be deleted: {error}").format(error=error))

    def _ask_forget(self) -> None:
        count = len(self._context.learner_facts.facts())
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Forget everything"),
            ngettext(
                "Forget the {count} fact your partner knows about you? This cannot be undone.",
                "Forget all {count} facts your partner knows about you? This cannot be undone.",
                count,
            ).format(count=format_number(count)),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        self.forget_confirm_button = box.addButton(
            _("Forget everything"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self._forget_answered(box))
        self.confirm = box
        box.open()

    def _forget_answered(self, box: QMessageBox) -> None:
        self.confirm = None
        if box.clickedButton() is not self.forget_confirm_button:
            return
        try:
            memory.forget_everything(self._context)
        except sqlite3.Error as error:
            self.error.say(_("Nothing was forgotten: {error}").format(error=error))

    def _switch(self, on: bool) -> None:
        try:
            memory.switch_memory(self._context, on)
        except (OSError, sqlite3.Error) as error:
            self.error.say(_("Memory could not be switched: {error}").format(error=error))
            self.refresh()  # the switch shows the setting in force

    def ask_export_path(self) -> Path | None:
        """Where to export the facts; None if the learner cancelled (tests answer it)."""
        start = str(Path.home() / "tutor-facts.json")
        # Translators: the title of the save dialog that exports the facts.
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Export the facts"), start, _("JSON file") + " (*.json)"
        )
        return Path(chosen) if chosen else None

    def _export(self) -> None:
        path = self.ask_export_path()
        if path is None:
            return
        try:
            count = memory.export_facts(self._context, path)
        except OSError as error:
            self.error.say(_("The facts could not be exported: {error}").format(error=error))
            return
        self.error.say(None)
        self.note.setText(
            ngettext(
                "Saved {count} fact to {path}.", "Saved {count} facts to {path}.", count
            ).format(count=format_number(count), path=_path(path))
        )
        self.note.show()


def _path(path: Path) -> str:
    """A path laid out left to right, slashes in place, in an Arabic sentence too."""
    return f"{LRI}{path}{PDI}"
