"""The learner's own scenarios, managed from the picker's "My scenarios": write a new
one, change one (a built-in opens as a copy), delete one, import a file, export any
scenario (not only the learner's own) to share it.

The buttons and the questions are here; the changes are services/scenarios.py's, which
says Change.SCENARIOS on the hub, so the picker's list reads the library again by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget

from tutor.domain.scenario_filter import own_copy
from tutor.domain.scenarios import Scenario, ScenarioError
from tutor.i18n.translate import _
from tutor.services.scenarios import delete_scenario, export_scenario, import_scenario
from tutor.ui.scenarios.scenario_editor import ScenarioEditor
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.error_label import ErrorLabel


class OwnScenarios(QObject):
    """The New, Edit, Delete, Import and Export buttons and what they do."""

    saved = Signal(object)  # Scenario: written or imported; the picker selects it

    def __init__(
        self,
        context: AppContext,
        window: QWidget,
        error: ErrorLabel,
        selected: Callable[[], Scenario | None],
        taken_ids: Callable[[], set[str]],
    ) -> None:
        """`window`: the dialogs' parent; `error`: where a refusal is said; `selected`:
        the scenario chosen in the list; `taken_ids`: the ids already in the library."""
        super().__init__(window)
        self._context = context
        self._window = window
        self._error = error
        self._selected = selected
        self._taken_ids = taken_ids
        self.editor: ScenarioEditor | None = None
        self.confirm_box: QMessageBox | None = None

        self.new_button = QPushButton(_("New…"))
        self.edit_button = QPushButton(_("Edit…"))
        self.delete_button = QPushButton(_("Delete"))
        self.import_button = QPushButton(_("Import…"))
        self.export_button = QPushButton(_("Export…"))
        self.new_button.setToolTip(_("Write a scenario of your own"))
        self.import_button.setToolTip(_("Add a scenario from a .toml file"))
        self.export_button.setToolTip(_("Save the selected scenario as a .toml file to share"))
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            button.setAutoDefault(False)  # Enter starts the scenario, whatever has focus
            self.row.addWidget(button)
        self.row.addStretch(1)

        self.new_button.clicked.connect(self.new_scenario)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.import_button.clicked.connect(self._ask_import)
        self.export_button.clicked.connect(self._ask_export)

    def update_buttons(self, scenario: Scenario | None, *, mine: bool) -> None:
        """Follow the selection; managing buttons show only in My scenarios (`mine`)."""
        for button in (self.new_button, self.delete_button, self.import_button, self.export_button):
            button.setVisible(mine)
        own = scenario is not None and not scenario.built_in
        self.edit_button.setEnabled(scenario is not None)
        self.edit_button.setText(_("Edit…") if own or scenario is None else _("Edit a copy…"))
        self.edit_button.setToolTip(
            _("Change this scenario")
            if own or scenario is None
            else _("Make your own scenario starting from this one")
        )
        self.delete_button.setEnabled(own)
        self.export_button.setEnabled(scenario is not None)

    def new_scenario(self) -> None:
        self._open_editor(None, keep_id=False)

    def edit_selected(self) -> None:
        """Change one of the learner's own; a built-in opens as a copy with a new id."""
        scenario = self._selected()
        if scenario is None:
            return
        if scenario.built_in:
            self._open_editor(own_copy(scenario, self._taken_ids()), keep_id=False)
        else:
            self._open_editor(scenario, keep_id=True)

    def _open_editor(self, scenario: Scenario | None, *, keep_id: bool) -> None:
        self._error.say(None)
        editor = ScenarioEditor(self._context, scenario, self._window, keep_id=keep_id)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self.saved)
        editor.destroyed.connect(lambda: setattr(self, "editor", None))
        self.editor = editor
        editor.open()

    def delete_selected(self, confirm: bool = True) -> None:
        scenario = self._selected()
        if scenario is None or scenario.built_in:
            return
        if not confirm:
            self._delete(scenario)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Delete scenario"),
            _("Delete “{title}”? This cannot be undone.").format(title=scenario.shown_text().title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Yes).setText(_("Delete"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda answer: (
                self._delete(scenario) if answer == QMessageBox.StandardButton.Yes else None
            )
        )
        box.destroyed.connect(lambda: setattr(self, "confirm_box", None))
        self.confirm_box = box
        box.open()

    def _delete(self, scenario: Scenario) -> None:
        try:
            delete_scenario(self._context, scenario)
        except OSError as error:
            self._error.say(
                _("The scenario could not be deleted: {reason}.").format(
                    reason=error.strerror or error
                )
            )
            return
        self._error.say(None)

    def _ask_import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self._window, _("Import a scenario"), str(Path.home()), _scenario_files()
        )
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> bool:
        """Check a file and add it to My scenarios; on a refusal say why, change nothing."""
        try:
            scenario = import_scenario(self._context, path)
        except ScenarioError as error:
            self._error.say(
                # Translators: {reason} is a whole sentence naming the file's field at fault.
                _("“{file}” was not imported. {reason}").format(file=path.name, reason=error)
            )
            return False
        except OSError as error:
            self._error.say(
                _("“{file}” was not imported: {reason}.").format(
                    file=path.name, reason=error.strerror or error
                )
            )
            return False
        self.saved.emit(scenario)
        self._error.say(None)
        return True

    def _ask_export(self) -> None:
        scenario = self._selected()
        if scenario is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self._window,
            _("Export the scenario"),
            str(Path.home() / f"{scenario.id}.toml"),
            _scenario_files(),
        )
        if name:
            self.export_to(scenario, Path(name))

    def export_to(self, scenario: Scenario, path: Path) -> bool:
        """Write `scenario` to a file to share; on a failure say why."""
        try:
            export_scenario(self._context, scenario, path)
        except OSError as error:
            self._error.say(
                _("The scenario could not be exported: {reason}.").format(
                    reason=error.strerror or error
                )
            )
            return False
        self._error.say(None)
        return True


def _scenario_files() -> str:
    return _("Scenario files ({patterns})").format(patterns="*.toml")
