"""The three pages of the measure dialog (score_dialog.py): what to measure with its
plan, the run with its progress, and the result beside the published reference.

The pages only show; the dialog decides what happens next.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.coach_score import Scorecard
from tutor.domain.languages import practice_languages
from tutor.domain.settings import MAX_SCORE_PARALLEL
from tutor.i18n.translate import _, pgettext
from tutor.services.coach_score import ScorePlan, ScoreProgress, ScoreSource
from tutor.ui.setup.corrections_form import STYLE_TEXT
from tutor.ui.setup.score_words import (
    details,
    headline,
    meaning_text,
    partial_text,
    plan_text,
    progress_text,
    reference_text,
)
from tutor.ui.widgets.bidi import interface_mark, isolate
from tutor.ui.widgets.error_label import ErrorLabel

A_FILE = "file…"  # i18n: ignore - an item's data, never shown
"""The data of the sources box's last item: the learner's own MultiGED file."""


def _label(*, hint: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if hint:
        label.setObjectName("hint")
    return label


class ChoosePage(QWidget):
    """The texts, how many sentences, how many requests at once, the style; the plan."""

    def __init__(self, parallel: int, language: str, parent: QWidget | None = None) -> None:
        """`language`: the one a learner's own file is taken to be in, until they say."""
        super().__init__(parent)
        self.sources = QComboBox()
        self.sources.setAccessibleName(_("Texts"))
        self.file_language = QComboBox()
        self.file_language.setAccessibleName(_("Language of the file"))
        for known in practice_languages():
            self.file_language.addItem(known.label, known.code)
        self.file_language.setCurrentIndex(max(0, self.file_language.findData(language)))
        self.sentences = QSpinBox()
        self.sentences.setAccessibleName(_("Sentences"))
        self.parallel = QSpinBox()
        self.parallel.setAccessibleName(_("Requests at once"))
        self.parallel.setRange(1, MAX_SCORE_PARALLEL)
        self.parallel.setValue(parallel)
        self.style_box = QComboBox()
        self.style_box.setAccessibleName(_("Correction style"))
        for name, text in STYLE_TEXT.items():
            self.style_box.addItem(_(text), name)
        self.attribution = _label(hint=True)
        self.plan = _label()
        self.plan.setAccessibleName(_("Plan"))
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow(_("&Texts:"), self.sources)
        form.addRow(_("&Language of the file:"), self.file_language)
        form.addRow("", self.attribution)
        form.addRow(_("Se&ntences:"), self.sentences)
        form.addRow(_("&Requests at once:"), self.parallel)
        form.addRow(_("St&yle:"), self.style_box)
        self._form = form
        for field in (
            self.sources,
            self.file_language,
            self.sentences,
            self.parallel,
            self.style_box,
        ):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.plan)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def show_sources(self, sources: list[ScoreSource], chosen: str | None = None) -> None:
        """The texts Tutor can measure on, then "A file…"; `chosen` (a corpus) selected."""
        self.sources.blockSignals(True)
        self.sources.clear()
        for source in sources:
            self.sources.addItem(source.title, source.corpus)
        self.sources.addItem(_("A file…"), A_FILE)
        self.sources.blockSignals(False)
        index = self.sources.findData(chosen) if chosen is not None else 0
        self.sources.setCurrentIndex(max(0, index))

    def show_source(self, source: ScoreSource) -> None:
        """The sentence count offered for `source`, and its licence line."""
        self.sentences.blockSignals(True)
        self.sentences.setRange(1, max(1, source.sentences))
        self.sentences.setValue(min(50, source.sentences))
        self.sentences.blockSignals(False)
        self.attribution.setText(source.attribution)
        # A shipped sample knows its language; a learner's own file is asked.
        self._form.setRowVisible(self.file_language, source.corpus.startswith("file:"))


class RunningPage(QWidget):
    """A progress bar and the figures so far."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _label()
        self.bar = QProgressBar()
        # Translators: the name of the bar that shows how far a measuring run has got.
        self.bar.setAccessibleName(pgettext("scorecard run", "Progress"))
        self.figures = _label()
        self.figures.setAccessibleName(_("Figures so far"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.figures)
        self.plan = _label(hint=True)
        layout.addWidget(self.plan)
        layout.addStretch(1)

    def begin(self, plan: ScorePlan) -> None:
        """Before the first answer: the bar at zero, and the plan the run follows."""
        total = plan.sentences
        self.title.setText(
            _("The coach ({model}) is marking the sentences…").format(model=isolate(plan.model))
        )
        self.plan.setText(plan_text(plan))
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.figures.setText(_("Waiting for the first answers…"))

    def show_progress(self, progress: ScoreProgress) -> None:
        self.bar.setMaximum(progress.total)
        self.bar.setValue(progress.done)
        self.figures.setText(progress_text(progress))

    def stopping(self) -> None:
        self.figures.setText(_("Stopping after the answers on their way…"))


class ResultPage(QWidget):
    """Precision, recall and F0.5 large; the counts; the reference and what it means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = ErrorLabel()
        self.subject = _label()
        self.subject.setObjectName("sessionTitle")
        self.partial = _label()
        self.partial.setProperty("state", "error")
        grid = QGridLayout()
        self.figures: list[QLabel] = []
        self._names: list[QLabel] = []
        for column in range(3):
            value, name = QLabel(), _label(hint=True)
            font = QFont(value.font())
            font.setPointSizeF(font.pointSizeF() * 1.8)
            font.setBold(True)
            value.setFont(font)
            value.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            name.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(value, 0, column)
            grid.addWidget(name, 1, column)
            self.figures.append(value)
            self._names.append(name)
        self.details = _label()
        self.reference = _label()
        self.meaning = _label(hint=True)
        self.attribution = _label(hint=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(self.subject)
        layout.addWidget(self.partial)
        layout.addLayout(grid)
        layout.addWidget(self.details)
        layout.addWidget(self.reference)
        layout.addWidget(self.meaning)
        layout.addStretch(1)
        layout.addWidget(self.attribution)

    def show_card(
        self, card: Scorecard, source: ScoreSource | None, style: str, problem: str | None
    ) -> None:
        """`style`: the correction style's name, as the choice offered it."""
        self.error.say(problem)
        # Translators: above a scorecard: the texts measured on, then the correction style.
        # Both parts are isolated: the mark gives the line the interface's direction.
        self.subject.setText(
            interface_mark()
            + _("{texts} — {style}").format(
                texts=isolate(source.title if source else ""), style=isolate(style)
            )
        )
        self.partial.setText("" if card.complete else partial_text(card))
        self.partial.setVisible(not card.complete)
        for (name, value), value_label, name_label in zip(
            headline(card.counts), self.figures, self._names, strict=True
        ):
            value_label.setText(value)
            value_label.setAccessibleName(name)
            name_label.setText(name)
        self.details.setText(details(card))
        self.reference.setText(reference_text(source.reference_f05 if source else None))
        self.meaning.setText(meaning_text())
        self.attribution.setText(source.attribution if source else "")
