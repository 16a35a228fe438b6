""" "Practise my mistakes", offered in the scenario picker and in the mistakes notebook.

`PracticeMistakes` owns the button: disabled, with the reason as its tooltip and
accessible description, while the notebook holds too few mistakes in the language.
A click opens `PracticeDialog`, which asks the partner's model for a scenario off the GUI
thread (a busy bar and Cancel), then shows it (title, goals, what it practises) with
Start; a failure is said plainly with Try again, and nothing is saved. A scenario that
arrives is kept under My scenarios whether it is started now or not.

In shell because both the picker (ui/scenarios) and the notebook (ui/review) offer it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import Scenario
from tutor.i18n.formats import format_list
from tutor.i18n.translate import _
from tutor.llm.practice import PracticeResult
from tutor.services.changes import Change, Changes
from tutor.services.practice import (
    PracticeCall,
    cannot_practise,
    keep_practice,
    mistake_kinds,
    practice_call,
    practice_failure,
    run_practice,
)
from tutor.ui.scenarios.scenario_rows import preview_html
from tutor.ui.shell.context import AppContext

if TYPE_CHECKING:
    from tutor.ui.review.notebook_window import NotebookWindow


class PracticeMistakes(QObject):
    """The "Practise my mistakes" button for one learner profile (its target language)."""

    chosen = Signal(object)  # Scenario: the learner starts the scenario written for them
    kept = Signal(object)  # Scenario: one was written and saved under My scenarios

    def __init__(
        self,
        context: AppContext,
        profile: Callable[[], LearnerProfile | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._profile = profile
        self._parent = parent
        self.dialog: PracticeDialog | None = None
        self.button = QPushButton(_("Practise my mistakes"))
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.open)
        # A check that finds mistakes, or a mark dismissed, can change what it says.
        context.relay.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Change.CORRECTIONS):
            self.refresh()

    def refresh(self) -> None:
        """Enable the button, or say why it cannot help yet (the notebook changed, or
        another language is shown)."""
        profile = self._profile()
        if profile is None:
            reason = _("Choose the language you practise in Settings first.")
        else:
            reason = cannot_practise(self._context.notebook, profile.target_language)
        self.button.setEnabled(not reason)
        tip = reason or _(
            "Tutor writes a scenario that makes you use the forms you most often get wrong."
        )
        self.button.setToolTip(tip)
        self.button.setAccessibleDescription(tip)

    def open(self) -> None:
        profile = self._profile()
        if profile is None:
            return
        dialog = PracticeDialog(self._context, profile, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.start_requested.connect(self.chosen)
        dialog.saved.connect(self.kept)
        self.dialog = dialog
        dialog.open()
        dialog.generate()


class PracticeDialog(QDialog):
    """Writes the scenario: working, then the scenario or why there is none."""

    start_requested = Signal(object)  # Scenario
    saved = Signal(object)  # Scenario, kept under My scenarios

    def __init__(self, context: AppContext, profile: LearnerProfile, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Practise my mistakes"))
        self._context = context
        self._profile = profile
        self._asked = 0
        """Counts requests: an answer to one the learner cancelled is dropped."""
        self.scenario: Scenario | None = None

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no steps to count: the model writes it in one go
        self.busy.setAccessibleName(_("Writing a scenario"))
        working = QWidget()
        column = QVBoxLayout(working)
        column.addStretch(1)
        column.addWidget(self.status)
        column.addWidget(self.busy)
        column.addStretch(1)
        self.preview = QTextBrowser()
        self.preview.setAccessibleName(_("The scenario written for you"))
        self.preview.setOpenLinks(False)
        self.pages = QStackedWidget()
        self.pages.addWidget(working)
        self.pages.addWidget(self.preview)

        self.buttons = QDialogButtonBox()
        role = QDialogButtonBox.ButtonRole
        # Translators: starts the scenario just written from the learner's mistakes.
        self.start_button = self.buttons.addButton(_("Start"), role.AcceptRole)
        self.retry_button = self.buttons.addButton(_("Try again"), role.ActionRole)
        self.cancel_button = self.buttons.addButton(_("Cancel"), role.RejectRole)
        self.close_button = self.buttons.addButton(_("Close"), role.RejectRole)
        self.start_button.clicked.connect(self._start)
        self.retry_button.clicked.connect(self.generate)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.buttons)
        self.resize(620, 560)

    def generate(self) -> None:
        """Ask for a scenario from the notebook as it is now."""
        context = self._context
        choice = mistake_kinds(context.notebook, self._profile.target_language)
        call = practice_call(context, self._profile, choice)
        if isinstance(call, str):
            self._failed_with(call)
            return
        self._asked += 1
        asked = self._asked
        kinds = format_list([kind.category.label for kind in choice.kinds])
        self._show_working(
            # Translators: {kinds} lists kinds of mistake: "grammar and spelling".
            _("Writing a scenario that practises your most frequent mistakes: {kinds}…").format(
                kinds=kinds
            )
        )
        context.tasks.run(
            lambda: run_practice(context, call),
            lambda result: self._arrived(asked, result),
            lambda error: self._failed(asked, call, error),
            owner=self,
        )

    def cancel(self) -> None:
        """Stop waiting: the answer, if it comes, is dropped and nothing is saved."""
        self.reject()

    def reject(self) -> None:
        """Cancel, Close or Esc: an answer still to come is dropped (nothing is saved)."""
        self._asked += 1
        super().reject()

    def _arrived(self, asked: int, result: PracticeResult) -> None:
        if asked != self._asked:
            return
        try:
            scenario = keep_practice(self._context, result)
        except (OSError, ValueError) as error:  # a full disk; an id taken meanwhile
            self._failed_with(_("The scenario could not be saved: {reason}").format(reason=error))
            return
        self.scenario = scenario
        self.saved.emit(scenario)
        self.preview.setHtml(preview_html(scenario))
        self.pages.setCurrentWidget(self.preview)
        self._buttons(start=True, retry=False, cancel=False, close=True)
        self.close_button.setText(_("Keep for later"))
        self.start_button.setDefault(True)
        self.start_button.setFocus()

    def _failed(self, asked: int, call: PracticeCall, error: Exception) -> None:
        if asked == self._asked:
            self._failed_with(practice_failure(error, call))

    def _failed_with(self, message: str) -> None:
        self.status.setText(message)
        self.status.setProperty("state", "error")
        self.status.style().polish(self.status)
        self.busy.hide()
        self.pages.setCurrentIndex(0)
        self._buttons(start=False, retry=True, cancel=False, close=True)
        self.close_button.setText(_("Close"))
        self.retry_button.setDefault(True)

    def _show_working(self, message: str) -> None:
        self.status.setText(message)
        self.status.setProperty("state", "")
        self.status.style().polish(self.status)
        self.busy.show()
        self.pages.setCurrentIndex(0)
        self._buttons(start=False, retry=False, cancel=True, close=False)

    def _buttons(self, *, start: bool, retry: bool, cancel: bool, close: bool) -> None:
        self.start_button.setVisible(start)
        self.retry_button.setVisible(retry)
        self.cancel_button.setVisible(cancel)
        self.close_button.setVisible(close)

    def _start(self) -> None:
        if self.scenario is not None:
            self.start_requested.emit(self.scenario)
            self.accept()


def offer_in_notebook(
    context: AppContext,
    window: NotebookWindow,
    profile: Callable[[], LearnerProfile | None],
    start: Callable[[LearnerProfile, Scenario], object],
) -> PracticeMistakes:
    """The button among the notebook's own, for the language the notebook shows; the
    learner's level and own language are the settings' (or the open session's)."""

    def shown_profile() -> LearnerProfile | None:
        learner, shown = profile(), window.current_language()
        if learner is None or shown is None:
            return learner
        return LearnerProfile(shown, learner.level, learner.native_language)

    practice = PracticeMistakes(context, shown_profile, window)
    window.buttons.addButton(practice.button, QDialogButtonBox.ButtonRole.ActionRole)
    window.language_box.currentIndexChanged.connect(practice.refresh)

    def chosen(scenario: Scenario) -> None:
        learner = shown_profile()
        if learner is not None:
            window.close()
            start(learner, scenario)

    practice.chosen.connect(chosen)
    return practice
