"""Measure the coach model: choose the texts, see the plan, run with a progress bar and
Cancel, and read the result beside the best published figure (issue 19).

The coach is asked exactly as in practice (tutor/services/coach_score.py); the run goes
off the GUI thread (score_run.py). Closing the dialog while it runs cancels it and keeps
what was measured as a partial card; a failure (a refused key, a dead server, a bad file)
is said in the dialog, and every choice stays for another try.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.corrections import CoachPath, CorrectionStyle
from tutor.i18n.translate import _
from tutor.llm.client import ServerConfig
from tutor.services.coach_score import (
    DEFAULT_NATIVE,
    ScoreError,
    ScorePlan,
    ScoreSource,
    plan_score,
    score_sources,
)
from tutor.ui.setup.corrections_form import style_name, with_style
from tutor.ui.setup.score_pages import A_FILE, ChoosePage, ResultPage, RunningPage
from tutor.ui.setup.score_run import RunEnd, ScoreRun
from tutor.ui.setup.score_words import plan_text
from tutor.ui.shell.context import AppContext
from tutor.ui.widgets.bidi import isolate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoreTarget:
    """The server and coach model to measure, as the Settings dialog shows them now."""

    base_url: str
    model: str
    api_key: str
    proxy: str
    style: CorrectionStyle

    def config(self) -> ServerConfig:
        return ServerConfig(self.base_url, self.model, self.api_key, self.proxy)


class MeasureDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        target: ScoreTarget,
        parent: QWidget | None = None,
        saved: Callable[[], None] | None = None,
    ) -> None:
        """`saved`: called whenever a card was kept (also after this dialog is gone)."""
        super().__init__(parent)
        self.setWindowTitle(_("Measure the coach model"))
        self._context = context
        self._target = target
        self._saved = saved
        self._file: Path | None = None
        self._sources: list[ScoreSource] = []
        self._source: ScoreSource | None = None
        self.plan: ScorePlan | None = None
        self.score_run: ScoreRun | None = None
        self.heading = QLabel(
            _("{model} on {server}").format(
                model=isolate(target.model), server=isolate(target.base_url)
            )
        )
        self.heading.setObjectName("sessionTitle")
        self.heading.setWordWrap(True)
        learner = context.settings.learner
        self.choose = ChoosePage(
            context.settings.score_parallel_requests, learner.target_language if learner else "it"
        )
        self.running = RunningPage()
        self.result_page = ResultPage()
        self.pages = QStackedWidget()
        for page in (self.choose, self.running, self.result_page):
            self.pages.addWidget(page)
        self.buttons = QDialogButtonBox()
        self.start_button = QPushButton(_("&Start"))
        self.again_button = QPushButton(_("Measure &again"))
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in (self.start_button, self.again_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.clicked.connect(self.start)
        self.again_button.clicked.connect(self._again)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.pages)
        layout.addWidget(self.buttons)
        self.choose.style_box.setCurrentIndex(
            self.choose.style_box.findData(style_name(target.style))
        )
        self.choose.sources.currentIndexChanged.connect(self._source_chosen)
        # A plan reads the sample again (~20 ms): a number typed or held on an arrow is
        # planned once it settles, and Start plans at once what is chosen.
        self._plan_soon = QTimer(self)
        self._plan_soon.setSingleShot(True)
        self._plan_soon.setInterval(150)
        self._plan_soon.timeout.connect(self._show_plan)
        for spin in (self.choose.sentences, self.choose.parallel):
            spin.valueChanged.connect(self._plan_soon.start)
        self.choose.style_box.currentIndexChanged.connect(self._plan_soon.start)
        self.choose.file_language.currentIndexChanged.connect(self._source_chosen)
        self._load_sources(None)
        self._show_page(self.choose)
        self.resize(560, 440)

    # -- choosing -------------------------------------------------------------------------

    def _load_sources(self, chosen: str | None) -> None:
        try:
            self._sources = score_sources(self._file)
        except ScoreError as error:
            self._file = None
            self._sources = score_sources(None)
            self.choose.error.say(str(error))
            chosen = None
        self.choose.show_sources(self._sources, chosen)
        self._source_chosen()

    def _source_chosen(self) -> None:
        corpus = self.choose.sources.currentData()
        if corpus == A_FILE:
            self._ask_file()
            return
        source = next((s for s in self._sources if s.corpus == corpus), None)
        if source is not None and source.corpus.startswith("file:"):
            source = replace(source, language=str(self.choose.file_language.currentData()))
        self._source = source
        if source is not None:
            self.choose.show_source(source)
        self._show_plan()

    def _ask_file(self) -> None:
        """A learner's own MultiGED TSV (token, tab, c or i; a blank line ends a sentence)."""
        picker = QFileDialog(self, _("Choose a MultiGED file"))
        picker.setOption(QFileDialog.Option.DontUseNativeDialog)  # the same on every system
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
        picker.setNameFilters([_("MultiGED files (*.tsv *.txt)"), _("All files (*)")])
        picker.fileSelected.connect(self.use_file)
        picker.rejected.connect(self._file_not_chosen)
        self.file_picker = picker
        picker.open()

    def use_file(self, path: str) -> None:
        """Measure on the file at `path`; a file that cannot be read is said, and the
        texts chosen before stay."""
        self.choose.error.say(None)
        self._file = Path(path)
        self._load_sources(f"file:{self._file.name}")
        if self.choose.sources.currentData() == A_FILE:  # not among the sources: refused
            self._file_not_chosen()

    def _file_not_chosen(self) -> None:
        previous = self._source.corpus if self._source is not None else None
        index = self.choose.sources.findData(previous) if previous is not None else 0
        self.choose.sources.blockSignals(True)
        self.choose.sources.setCurrentIndex(max(0, index))
        self.choose.sources.blockSignals(False)
        self._source_chosen()

    def chosen_style(self) -> CorrectionStyle:
        return with_style(self._target.style, str(self.choose.style_box.currentData()))

    def _show_plan(self) -> None:
        self._plan_soon.stop()
        self.plan = None
        self.start_button.setEnabled(False)
        if self._source is None:
            self.choose.plan.setText("")
            return
        learner = self._context.settings.learner
        try:
            self.plan = plan_score(
                self._source,
                limit=self.choose.sentences.value(),
                base_url=self._target.base_url,
                model=self._target.model,
                style=self.chosen_style(),
                parallel=self.choose.parallel.value(),
                file=self._file if self._source.corpus.startswith("file:") else None,
                # As in practice: explained in the learner's language, asked for JSON
                # the way this server last took it.
                native_language=learner.native_language if learner else DEFAULT_NATIVE,
                first_path=self._context.corrections.coach_path(
                    self._target.base_url, self._target.model
                )
                or CoachPath.JSON_SCHEMA,
            )
        except ScoreError as error:
            self.choose.plan.setText("")
            self.choose.error.say(str(error))
            return
        self.choose.plan.setText(plan_text(self.plan))
        self.start_button.setEnabled(True)

    # -- running --------------------------------------------------------------------------

    def start(self) -> None:
        if self._plan_soon.isActive():
            self._plan_soon.stop()
            self._show_plan()
        if self.plan is None:
            return
        self.choose.error.say(None)
        self._keep_parallel(self.plan.parallel)
        self.score_run = ScoreRun(self._context, self.plan, self._target.config())
        self.running.begin(self.plan)
        self._show_page(self.running)
        self.score_run.start(self, self.running.show_progress, self._ended, self._saved)

    def _keep_parallel(self, parallel: int) -> None:
        """The number of requests at once is kept for the next run (Settings)."""
        if parallel == self._context.settings.score_parallel_requests:
            return
        from tutor.services import settings

        try:
            settings.write(
                self._context,
                self._context.settings.with_changes(score_parallel_requests=parallel),
            )
        except OSError as error:  # the run goes on; only the choice is not remembered
            log.warning("the parallel requests could not be saved: %s", error)

    def cancel(self) -> None:
        """Stop after the requests on their way; what was measured is kept."""
        if self.score_run is not None and self.score_run.running:
            self.score_run.cancel()
            self.cancel_button.setEnabled(False)
            self.running.stopping()

    def _ended(self, end: RunEnd) -> None:
        outcome = end.outcome
        if outcome is None or outcome.card.sentences == 0:
            # Nothing measured: back to the choices, with the reason, for another try.
            self._show_page(self.choose)
            self.choose.error.say(end.problem or _("Cancelled before any sentence was checked."))
            return
        style = self.choose.style_box.currentText()
        self.result_page.show_card(outcome.card, self._source, style, end.problem)
        self._show_page(self.result_page)

    def _again(self) -> None:
        self._show_page(self.choose)
        self._show_plan()

    def _show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        running = page is self.running
        self.start_button.setVisible(page is self.choose)
        self.again_button.setVisible(page is self.result_page)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setVisible(not running)
        if page is self.choose:
            self.start_button.setDefault(True)

    def done(self, result: int) -> None:
        # Closed while running (Esc, the title bar): the run stops, its card is kept.
        if self.score_run is not None and self.score_run.running:
            self.score_run.cancel()
        super().done(result)
