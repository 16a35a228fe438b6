"""A fact, added or changed by hand: its words, its kind and, for a plan, its day."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.memory import KIND_NAMES, MAX_FACT_CHARS, FactKind, LearnerFact
from tutor.i18n.translate import _
from tutor.ui.widgets.error_label import ErrorLabel

Saver = Callable[[str, FactKind, date | None], object]


class FactEditor(QDialog):
    def __init__(
        self, fact: LearnerFact | None, save: Saver, parent: QWidget | None = None
    ) -> None:
        """`fact`: the one to change, None to add one; `save` keeps what was typed
        (ValueError, in words, keeps the editor open with the reason)."""
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(_("Add a fact") if fact is None else _("Edit a fact"))
        self.text = QLineEdit(fact.text if fact else "")
        self.text.setMaxLength(MAX_FACT_CHARS)
        self.text.setPlaceholderText(_("For example: Works as a nurse in Lyon"))
        self.text.setAccessibleName(_("Fact"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(_("Kind"))
        for kind in FactKind:
            self.kind.addItem(_(KIND_NAMES[kind]), kind.value)
        self.kind.setCurrentIndex(self.kind.findData((fact.kind if fact else FactKind.OTHER).value))
        self.dated = QCheckBox(_("On a day:"))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setAccessibleName(_("Day"))
        about = fact.about_date if fact else None
        self.dated.setChecked(about is not None)
        shown = about or date.today()
        self.day.setDate(QDate(shown.year, shown.month, shown.day))
        self.day.setEnabled(about is not None)
        self.dated.toggled.connect(self.day.setEnabled)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        day_row = QHBoxLayout()
        day_row.addWidget(self.dated)
        day_row.addWidget(self.day, 1)
        form = QFormLayout()
        form.addRow(_("&Fact:"), self.text)
        form.addRow(_("&Kind:"), self.kind)
        form.addRow("", self._row(day_row))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def accept(self) -> None:
        try:
            self._save(*self.chosen())
        except ValueError as error:
            self.error.say(str(error))
            return
        except sqlite3.Error as error:  # a full disk, a read-only file
            self.error.say(_("The fact could not be saved: {error}").format(error=error))
            return
        super().accept()

    def chosen(self) -> tuple[str, FactKind, date | None]:
        """What the learner typed: the words, the kind, the day (None: no day)."""
        day = self.day.date().toPython() if self.dated.isChecked() else None
        assert day is None or isinstance(day, date)
        return self.text.text(), FactKind(self.kind.currentData()), day

    def _row(self, layout: QHBoxLayout) -> QWidget:
        holder = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(layout)
        return holder
