"""Choose what to practise next: a scenario from the library, free conversation, or a
surprise. The search and filter rules are in `tutor.domain.scenario_filter`; managing
the learner's own scenarios is in `own_scenarios`.

Titles, descriptions and goals are shown, and searched, in the interface language where
the scenario is translated, else in English (`scenario_rows.shown_text`); the search also
finds the English.

Scenario text comes from files anyone can write, so it is shown as plain text or escaped
HTML only.
"""

from __future__ import annotations

import html
import random
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenario_filter import ALL, ScenarioSearch, category_label
from tutor.domain.scenarios import FREE_CONVERSATION, Category, Scenario, reading_language
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _
from tutor.services.changes import Change, Changes
from tutor.ui.scenarios.own_scenarios import OwnScenarios
from tutor.ui.scenarios.scenario_editor import ScenarioEditor
from tutor.ui.scenarios.scenario_rows import (
    ROW_DATA,
    ROW_DESCRIPTION,
    ROW_LEVELS,
    ScenarioDelegate,
    levels_text,
    preview_html,
    shown_text,
)
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.practice_mistakes import PracticeMistakes
from tutor.ui.widgets.error_label import ErrorLabel


class ScenarioPicker(QDialog):
    scenario_chosen = Signal(object)  # Scenario

    def __init__(
        self, context: AppContext, profile: LearnerProfile, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New session"))
        self._context = context
        self._profile = profile
        self._search = ScenarioSearch([], reading_language())
        self._chosen = False
        self.random = random.Random()
        """Where "Surprise me" draws from; tests seed it."""

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search scenarios…"))
        self.search.setAccessibleName(_("Search scenarios"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.level = QComboBox()
        self.level.setAccessibleName(_("Level"))
        # Qt turns a str enum into a plain string, so the data is the level's code.
        self.level.addItem(_("Any level"), "")
        for level in Level:
            self.level.addItem(level.value, level.value)
        self.level.setCurrentIndex(self.level.findData(profile.level.value))

        self.categories = QListWidget()
        self.categories.setAccessibleName(_("Categories"))
        self.categories.setSpacing(2)
        self.scenario_list = QListWidget()
        self.scenario_list.setAccessibleName(_("Scenarios"))
        self.scenario_list.setItemDelegate(ScenarioDelegate(self.scenario_list))
        self.scenario_list.setUniformItemSizes(True)
        self.scenario_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("hint")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self._list_stack = QStackedWidget()
        self._list_stack.addWidget(self.scenario_list)
        self._list_stack.addWidget(self.empty_label)
        self.preview = QTextBrowser()
        self.preview.setAccessibleName(_("About this scenario"))
        self.preview.setOpenLinks(False)

        self.error = ErrorLabel()
        self.own = OwnScenarios(
            context,
            self,
            self.error,
            self.selected_scenario,
            lambda: {s.id for s in self._search.scenarios},
        )
        self.own.saved.connect(self._show_own)
        # The list reads the library again whenever the learner's scenarios change.
        context.relay.changed.connect(self._changed)
        # The buttons under their old names: the window and the tests reach them so.
        self.new_button = self.own.new_button
        self.edit_button = self.own.edit_button
        self.delete_button = self.own.delete_button
        self.import_button = self.own.import_button
        self.export_button = self.own.export_button
        self.free_button = QPushButton(_("Free conversation"))
        self.free_button.setToolTip(_("No scenario: talk about anything"))
        self.surprise_button = QPushButton(_("Surprise me"))
        self.surprise_button.setToolTip(_("Start a random scenario that suits your level"))
        for button in (self.free_button, self.surprise_button):
            button.setAutoDefault(False)
        # A scenario written from the learner's mistakes, started as if chosen here.
        self.practice = PracticeMistakes(context, lambda: profile, self)
        self.practice.chosen.connect(self._choose)
        self.practice.kept.connect(self._show_own)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.addButton(
            # Translators: the button that starts the chosen scenario.
            _("Start"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.start_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)

        self._lay_out(self.own.row)
        self._connect()
        self._load()
        self.resize(960, 620)
        self.search.setFocus()

    # -- building -------------------------------------------------------------------------

    def _lay_out(self, manage: QHBoxLayout) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        level_label = QLabel(_("&Level"))
        level_label.setBuddy(self.level)
        top.addWidget(level_label)
        top.addWidget(self.level)

        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._list_stack, 1)
        column.addLayout(manage)

        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.categories)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([180, 430, 350])  # wide enough for the My scenarios buttons

        bottom = QHBoxLayout()
        bottom.addWidget(self.free_button)
        bottom.addWidget(self.surprise_button)
        bottom.addWidget(self.practice.button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._refresh)
        self.level.currentIndexChanged.connect(self._refresh)
        self.categories.currentRowChanged.connect(self._category_changed)
        # Not currentItemChanged: a click makes the item current before it is selected.
        self.scenario_list.itemSelectionChanged.connect(self._selection_changed)
        self.scenario_list.itemActivated.connect(lambda _item: self.start_selected())
        self.scenario_list.itemDoubleClicked.connect(lambda _item: self.start_selected())
        self.start_button.clicked.connect(self.start_selected)
        self.buttons.rejected.connect(self.reject)
        self.free_button.clicked.connect(lambda: self._choose(FREE_CONVERSATION))
        self.surprise_button.clicked.connect(self.surprise)

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Change.SCENARIOS):
            self._load()

    def _load(self) -> None:
        """Read the library again (at the start, and after the learner's own changed)."""
        self._search = ScenarioSearch(self._context.scenarios.scenarios(), reading_language())
        current = self.current_category()
        self.categories.blockSignals(True)
        self.categories.clear()
        for key in self._search.category_keys():
            item = QListWidgetItem()
            item.setData(ROW_DATA, key)
            self.categories.addItem(item)
        self.categories.blockSignals(False)
        self._select_category(current or ALL)

    # -- what is shown ----------------------------------------------------------------------

    def current_category(self) -> str | None:
        item = self.categories.currentItem()
        return str(item.data(ROW_DATA)) if item is not None else None

    def selected_scenario(self) -> Scenario | None:
        item = self.scenario_list.currentItem()
        if item is None or not item.isSelected():
            return None
        scenario = item.data(ROW_DATA)
        return scenario if isinstance(scenario, Scenario) else None

    def shown_scenarios(self) -> list[Scenario]:
        return [
            self.scenario_list.item(row).data(ROW_DATA) for row in range(self.scenario_list.count())
        ]

    def _select_category(self, key: str) -> None:
        for row in range(self.categories.count()):
            if self.categories.item(row).data(ROW_DATA) == key:
                if self.categories.currentRow() != row:
                    self.categories.setCurrentRow(row)  # _category_changed refreshes
                    return
                break
        self._refresh()

    def _category_changed(self) -> None:
        self.error.say(None)
        self._refresh()

    def _level(self) -> Level | None:
        code = self.level.currentData()
        return Level(code) if code else None

    def _refresh(self) -> None:
        """Filter by category, level and search; keep the selection where it survives."""
        level = self._level()
        key = self.current_category() or ALL
        filtered = self._search.filter(self.search.text(), level, key)
        for row in range(self.categories.count()):
            item = self.categories.item(row)
            category = str(item.data(ROW_DATA))
            item.setText(
                # Translators: a category with how many scenarios it shows: "Travel (12)".
                _("{category} ({count})").format(
                    category=_(category_label(category)),
                    count=format_number(filtered.counts[category]),
                )
            )
        shown = filtered.shown
        before = self.selected_scenario()
        self.scenario_list.blockSignals(True)
        self.scenario_list.clear()
        for scenario in shown:
            shown_in = shown_text(scenario)
            item = QListWidgetItem(shown_in.title)
            item.setData(ROW_DATA, scenario)
            item.setData(ROW_DESCRIPTION, shown_in.description)
            item.setData(ROW_LEVELS, levels_text(scenario))
            item.setToolTip(shown_in.description)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, shown_in.description)
            self.scenario_list.addItem(item)
            if before is not None and (scenario.id, scenario.built_in) == (
                before.id,
                before.built_in,
            ):
                self.scenario_list.setCurrentItem(item)
        self.scenario_list.blockSignals(False)
        self.empty_label.setText(self._search.empty_message(self.search.text(), key, level))
        self._list_stack.setCurrentWidget(self.scenario_list if shown else self.empty_label)
        self._selection_changed()

    def _selection_changed(self) -> None:
        scenario = self.selected_scenario()
        self.own.update_buttons(scenario, mine=self.current_category() == Category.MINE.value)
        self.start_button.setEnabled(scenario is not None)
        self.preview.setHtml(
            preview_html(scenario)
            if scenario is not None
            else f"<p style='color: gray'>{html.escape(self._nothing_selected())}</p>"
        )

    def _nothing_selected(self) -> str:
        if self.current_category() == Category.MINE.value:
            return _(
                "Scenarios you write or import are yours to change, share and delete. "
                "They are kept as files in {folder}."
            ).format(folder=self._context.paths.user_scenarios)
        if self.scenario_list.count():
            return _("Choose a scenario to see what it is about.")
        return ""

    # -- choosing ---------------------------------------------------------------------------

    def start_selected(self) -> None:
        scenario = self.selected_scenario()
        if scenario is not None:
            self._choose(scenario)

    def surprise_pick(self) -> Scenario | None:
        """A random scenario among those shown, else among all that suit the level."""
        return self._search.surprise(self.random, self.shown_scenarios(), self._level())

    def surprise(self) -> None:
        scenario = self.surprise_pick()
        if scenario is None:
            self.error.say(_("There is no scenario to choose from at this level."))
            return
        self._choose(scenario)

    def _choose(self, scenario: Scenario) -> None:
        # Enter in the list both activates the item and reaches the dialog's default
        # button: the first one wins.
        if self._chosen:
            return
        self._chosen = True
        self.scenario_chosen.emit(scenario)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Down or Up in the search box moves into the list, as in a launcher."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
            and self.scenario_list.count()
        ):
            self.scenario_list.setFocus()
            if self.selected_scenario() is None:
                self.scenario_list.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)

    # -- the learner's own scenarios ----------------------------------------------------------

    @property
    def editor(self) -> ScenarioEditor | None:
        """The scenario editor while it is open."""
        return self.own.editor

    @property
    def confirm_box(self) -> QMessageBox | None:
        """The question before deleting, while it is asked."""
        return self.own.confirm_box

    def delete_selected(self, confirm: bool = True) -> None:
        self.own.delete_selected(confirm)

    def import_from(self, path: Path) -> bool:
        """Check a file and add it to My scenarios; on a refusal say why, change nothing."""
        return self.own.import_from(path)

    def export_to(self, scenario: Scenario, path: Path) -> bool:
        """Write `scenario` to a file to share; on a failure say why."""
        return self.own.export_to(scenario, path)

    def _show_own(self, scenario: Scenario) -> None:
        """After a change: back to My scenarios, with that scenario selected (the list
        has already read the library again: the use case said so before this signal)."""
        self.search.clear()
        self._select_category(Category.MINE.value)
        for row in range(self.scenario_list.count()):
            if self.scenario_list.item(row).data(ROW_DATA).id == scenario.id:
                self.scenario_list.setCurrentRow(row)
                break
        self.scenario_list.setFocus()
