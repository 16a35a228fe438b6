"""The form where a learner writes their own scenario, or changes one they wrote.

Whatever is typed goes through `scenario_from_dict()`, the same checks as every scenario
file, so a refusal names the field and the editor can point at it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.levels import Level
from tutor.domain.scenarios import (
    SCHEMA_VERSION,
    Category,
    Scenario,
    ScenarioError,
    scenario_from_dict,
)
from tutor.i18n.translate import _
from tutor.services.scenarios import save_scenario
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.error_label import ErrorLabel

_FIELD_IN_MESSAGE = re.compile(r"Field '(\w+)")


def _field_named(message: str, fields: list[str]) -> str | None:
    """The field a refusal is about. A refusal names it as the file writes it, in any
    interface language ("Field 'goals': …", "필드 'goals': …"): in English after "Field",
    otherwise the first field name the words hold."""
    named = _FIELD_IN_MESSAGE.search(message)
    if named:
        return named.group(1)
    found = re.search(r"\b(" + "|".join(fields) + r")\b", message)
    return found.group(1) if found else None


def _text_box(lines: int, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)  # Tab moves on, as in the line edits around it
    line = box.fontMetrics().lineSpacing()
    box.setMinimumHeight(line * lines + 2 * int(box.document().documentMargin()) + 6)
    return box


def _lines(box: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in box.toPlainText().splitlines() if line.strip()]


class ScenarioEditor(QDialog):
    """Edit `start_from` (a new scenario when None).

    With `keep_id` the scenario is the learner's own and is saved over itself (a new
    version); otherwise it is a new one, maybe a copy of a built-in with a new id.
    """

    saved = Signal(object)  # Scenario

    def __init__(
        self,
        context: AppContext,
        start_from: Scenario | None = None,
        parent: QWidget | None = None,
        *,
        keep_id: bool = False,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._original = start_from
        self._keep_id = keep_id and start_from is not None
        if self._keep_id:
            self.setWindowTitle(_("Edit scenario"))
        elif start_from is not None:
            self.setWindowTitle(_("New scenario from a copy"))
        else:
            self.setWindowTitle(_("New scenario"))

        self.id = QLineEdit()
        # Translators: keep the example in English: a scenario is written in English.
        self.id.setPlaceholderText(_("e.g. bakery-bread (lower-case letters, digits, hyphens)"))
        self.id.setReadOnly(self._keep_id)
        self.title = QLineEdit()
        # Translators: keep the example in English: a scenario is written in English.
        self.title.setPlaceholderText(_("e.g. Buying bread at the bakery"))
        self.description = _text_box(2, _("One or two sentences: what happens in this scenario"))
        self.level_boxes: dict[Level, QCheckBox] = {}
        level_row = QHBoxLayout()
        level_row.setSpacing(12)
        for level in Level:
            box = QCheckBox(level.value)
            box.setAccessibleName(_("Suits level {level}").format(level=level.value))
            self.level_boxes[level] = box
            level_row.addWidget(box)
        level_row.addStretch(1)
        self.learner_role = QLineEdit()
        # Translators: keep the example in English: a scenario is written in English.
        self.learner_role.setPlaceholderText(_("e.g. a customer who wants fresh bread"))
        self.partner_role = QLineEdit()
        # Translators: keep the example in English: a scenario is written in English.
        self.partner_role.setPlaceholderText(_("e.g. a baker in a small village bakery"))
        # Translators: keep the example in English: a scenario is written in English.
        self.partner_personality = _text_box(2, _("Optional, e.g. chatty and proud of the bread"))
        self.setting = _text_box(4, _("Where and when it happens, and what is around"))
        # Translators: keep the example in English: a scenario is written in English.
        self.opening = _text_box(2, _("How the partner starts, e.g. Greet the customer and …"))
        self.goals = _text_box(4, _("2 to 4 things the learner should do, one per line"))
        self.vocabulary = _text_box(4, _("Optional: useful words or phrases, one per line"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows: list[tuple[str, QWidget | QHBoxLayout]] = [
            (_("Id"), self.id),
            (_("Title"), self.title),
            (_("Description"), self.description),
            (_("Levels"), level_row),
            (_("The learner plays"), self.learner_role),
            (_("The partner plays"), self.partner_role),
            (_("Partner's manner"), self.partner_personality),
            (_("Setting"), self.setting),
            (_("Opening"), self.opening),
            (_("Goals"), self.goals),
            (_("Key vocabulary"), self.vocabulary),
        ]
        for label, field in rows:
            form.addRow(label, field)
            if isinstance(field, QWidget):  # named as its label says, for a screen reader
                field.setAccessibleName(label)
        note = QLabel(
            _(
                "Write in English: the partner is briefed in English and speaks the language "
                "you learn. Goals and vocabulary take one line each."
            )
        )
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._show(start_from)
        self.resize(640, 720)
        (self.title if self._keep_id else self.id).setFocus()

    def _fields(self) -> dict[str, QWidget]:
        """The widget for each field of the file, to point at the one an error names."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "levels": self.level_boxes[Level.A1],
            "learner_role": self.learner_role,
            "partner_role": self.partner_role,
            "partner_personality": self.partner_personality,
            "setting": self.setting,
            "opening": self.opening,
            "goals": self.goals,
            "vocabulary": self.vocabulary,
        }

    def _show(self, scenario: Scenario | None) -> None:
        if scenario is None:
            for box in self.level_boxes.values():
                box.setChecked(True)
            return
        self.id.setText(scenario.id)
        self.title.setText(scenario.title)
        self.description.setPlainText(scenario.description)
        for level, box in self.level_boxes.items():
            box.setChecked(scenario.suits(level))
        self.learner_role.setText(scenario.learner_role)
        self.partner_role.setText(scenario.partner_role)
        self.partner_personality.setPlainText(scenario.partner_personality)
        self.setting.setPlainText(scenario.setting)
        self.opening.setPlainText(scenario.opening)
        self.goals.setPlainText("\n".join(scenario.goals))
        self.vocabulary.setPlainText("\n".join(scenario.vocabulary))
        for edit in (self.id, self.title, self.learner_role, self.partner_role):
            edit.setCursorPosition(0)  # show the start of a long text, not its end

    def scenario(self) -> Scenario:
        """The scenario as typed; ScenarioError naming the field when it cannot be used."""
        data: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "id": self.id.text().strip(),
            "version": self._original.version if self._keep_id and self._original else 1,
            "category": Category.MINE.value,
            "title": self.title.text(),
            "description": self.description.toPlainText(),
            "levels": [level.value for level, box in self.level_boxes.items() if box.isChecked()],
            "partner_role": self.partner_role.text(),
            "partner_personality": self.partner_personality.toPlainText(),
            "learner_role": self.learner_role.text(),
            "setting": self.setting.toPlainText(),
            "opening": self.opening.toPlainText(),
            "goals": _lines(self.goals),
            "vocabulary": _lines(self.vocabulary),
        }
        scenario = scenario_from_dict(data, built_in=False)
        original = self._original
        # Translations are of the English text: kept while that text is unchanged, dropped
        # once it changes, or the learner's edit would hide behind the old translation.
        if original is not None and (scenario.title, scenario.description, scenario.goals) == (
            original.title,
            original.description,
            original.goals,
        ):
            scenario = dataclasses.replace(scenario, translations=dict(original.translations))
        if original is not None and original.targets:
            # A practice scenario's targets (no fields here) stay with the goals they tick.
            kept = tuple(t for t in original.targets if t.goal < len(scenario.goals))
            scenario = dataclasses.replace(scenario, targets=kept)
        return scenario

    def save(self) -> None:
        """Check and save; on a refusal say why, point at the field and stay open."""
        try:
            saved = save_scenario(self._context, self.scenario(), new=not self._keep_id)
        except ScenarioError as error:
            self._refuse(str(error))
            return
        except OSError as error:
            self._refuse(
                _("The scenario could not be saved: {reason}.").format(
                    reason=error.strerror or error
                )
            )
            return
        self.error.say(None)
        self.saved.emit(saved)
        self.accept()

    def _refuse(self, message: str) -> None:
        """Say `message` and point at the field it names."""
        self.error.say(message)
        field = _field_named(message, list(self._fields()))
        widget = self._fields().get(field) if field else None
        if widget is not None:
            widget.setFocus()
