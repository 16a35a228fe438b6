"""The model box: a server's models, chat models first, and the name in use.

The box tells apart a name the learner chose (typed, picked, saved or given with --model),
which stays whatever list arrives, from one Tutor filled in (a provider's default, or its
pick from a list), which gives way when another server's list arrives.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from tutor.domain.model_list import USE_IN_WORDS, ModelList, model_use
from tutor.domain.providers import MAX_MODEL_LENGTH
from tutor.i18n.translate import _


class ModelBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        edit = self.lineEdit()
        assert edit is not None  # an editable combo box has one
        edit.setMaxLength(MAX_MODEL_LENGTH)
        self._filled: str | None = None  # the name Tutor put in the box, if it is still there
        self.retranslate()

    def retranslate(self) -> None:
        """The box's texts and the list's tooltips in the interface language in use."""
        self.setAccessibleName(_("Model"))
        edit = self.lineEdit()
        assert edit is not None
        edit.setPlaceholderText(_("Choose from the server's list, or type a name"))
        for index in range(self.count()):
            if self.itemData(index, Qt.ItemDataRole.ToolTipRole):
                self.setItemData(index, _use_tip(self.itemText(index)), Qt.ItemDataRole.ToolTipRole)

    def choose(self, name: str) -> None:
        """A name chosen before (saved, or given on the command line): it stays."""
        self.setEditText(name)
        self._filled = None

    def fill(self, name: str) -> None:
        """A name Tutor suggests: replaced when another server's list arrives."""
        self.setEditText(name)
        self._filled = name

    def is_learners(self) -> bool:
        current = self.currentText().strip()
        return bool(current) and current != self._filled

    def show_models(self, models: list[str], preferred: str) -> None:
        """The server's list, chat models first; the others after a separator, each
        saying what it is for. The learner's name stays, even one the list lacks (lists can
        be partial); else a name Tutor filled in stays if listed; else `preferred`, the
        first chat model or the only model (ModelList.choice)."""
        current = self.currentText().strip()
        learners = self.is_learners()
        listed = ModelList.of(models)
        self.clear()
        self.addItems(list(listed.chat))
        if listed.other and listed.chat:
            self.insertSeparator(self.count())
        for name in listed.other:
            self.addItem(name)
            self.setItemData(self.count() - 1, _use_tip(name), Qt.ItemDataRole.ToolTipRole)
        if learners:
            self.setEditText(current)
        elif current and current in listed:
            self.fill(current)
        else:
            self.fill(listed.choice(preferred))

    def forget_list(self, default: str) -> None:
        """Another server: its list goes, and a name Tutor filled in becomes `default`."""
        if self.count():
            current = self.currentText()
            self.clear()
            self.setEditText(current)
        if not self.is_learners():
            self.fill(default)

    def listed(self) -> list[str]:
        """The names in the list, in order, without the separator."""
        return [self.itemText(i) for i in range(self.count()) if self.itemText(i)]


def _use_tip(name: str) -> str:
    # Translators: a model's id, then what it is for ("an embedding model: it…").
    return _("{model}: {use}").format(model=name, use=_(USE_IN_WORDS[model_use(name)]))
