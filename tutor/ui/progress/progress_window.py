"""ProgressWindow: what the learner has done in one language, from what Tutor keeps.

The language practised now first; any other the learner wrote in, on a choice. At the
top the totals, then the calendar of days practised, minutes by week, mistakes per 100
words by week (the notebook's chart), how much of the partner's replies the learner
knew, and a table of every week. Export writes the weeks or the days as CSV.

Everything is read and counted on a pool thread (services/progress.py: count, on a
read-only connection of its own: a long history takes a second or more); a result for a
language no longer chosen is dropped, and the last figures stay until the new arrive.
The window refreshes itself, a moment after a session, a check, a card or a report
changes (the change hub), while it is open.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.languages import language as language_info
from tutor.domain.notebook import WeekPoint
from tutor.domain.progress import Progress, WeekFigures
from tutor.domain.settings import Settings
from tutor.domain.time_words import long_date
from tutor.i18n.formats import format_number, format_percent, language_name
from tutor.i18n.translate import N_, _, ngettext
from tutor.paths import AppPaths
from tutor.services import progress as progress_service
from tutor.services.changes import Change, Changes
from tutor.services.level_fit import LevelFits
from tutor.ui.progress.practice_calendar import PracticeCalendar, minutes_text
from tutor.ui.progress.progress_figures import Totals, WeekTable, known_text
from tutor.ui.progress.week_bars import WeekBar, WeekBars
from tutor.ui.shell.change_relay import ChangeRelay
from tutor.ui.shell.tasks import TaskRunner
from tutor.ui.widgets.trend_chart import TrendChart

REFRESH_DELAY_MS = 400
"""A burst of changes (a message, its check, its card) refreshes the view once."""
_FOLLOWED = Change.SESSIONS | Change.MESSAGES | Change.CORRECTIONS | Change.CARDS | Change.REPORTS
# Translators: the Progress view of a language with nothing practised yet; {language}
# is the language's name.
EMPTY_TEXT = N_("Practise a session in {language} and your progress will appear here.")


class ProgressWindowContext(Protocol):
    """What the window needs from the AppContext (which has more)."""

    @property
    def paths(self) -> AppPaths: ...
    @property
    def level_fits(self) -> LevelFits: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def tasks(self) -> TaskRunner: ...
    @property
    def relay(self) -> ChangeRelay: ...


class ProgressWindow(QDialog):
    shown = Signal()
    """The figures of the chosen language are on screen (or its empty state)."""

    def __init__(
        self,
        context: ProgressWindowContext,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
    ) -> None:
        """`language`: the one to show first; None, the one the learner practises."""
        super().__init__(parent)
        # Translators: the window that shows what the learner has done in a language.
        title = _("Progress")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._context = context
        self._request = 0
        self.progress: Progress | None = None

        self.language_box = QComboBox()
        self.language_box.setAccessibleName(_("Language"))
        self.language_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        language_label = QLabel(_("&Language:"))
        language_label.setBuddy(self.language_box)
        # Translators: the button that saves the Progress view's figures as CSV files.
        self.export_button = QPushButton(_("&Export CSV"))
        export_menu = QMenu(self.export_button)
        self.export_weeks = export_menu.addAction(_("Figures by &week…"))
        self.export_days = export_menu.addAction(_("Figures by &day…"))
        self.export_button.setMenu(export_menu)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(language_label)
        top.addWidget(self.language_box)
        top.addSpacing(12)
        top.addWidget(self.status, 1)
        top.addWidget(self.export_button)

        self.totals = Totals()
        self.calendar = PracticeCalendar()
        self.minutes_chart = WeekBars(_("Minutes by week"))
        self.mistakes_chart = TrendChart()
        self.fit_chart = WeekBars(
            _("Words you knew in the partner's replies, by week"),
            value_text=lambda value: format_percent(value / 100),
            top=100.0,
        )
        self.table = WeekTable()
        self.table.setMinimumHeight(160)
        page = QWidget()
        column = QVBoxLayout(page)
        for widget in (
            self.totals,
            self.calendar,
            self.minutes_chart,
            self.mistakes_chart,
            self.fit_chart,
            self.table,
        ):
            column.addWidget(widget)
        self.figures_area = QScrollArea()
        self.figures_area.setWidgetResizable(True)
        self.figures_area.setWidget(page)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()  # until the first count says the language has nothing
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.figures_area, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(buttons)
        self.resize(820, 760)

        learner = context.settings.learner
        self._preferred = language or (learner.target_language if learner else None)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        context.relay.changed.connect(self._changed)
        self.language_box.currentIndexChanged.connect(self.refresh)
        self.export_weeks.triggered.connect(lambda: self.export(progress_service.Table.WEEKS))
        self.export_days.triggered.connect(lambda: self.export(progress_service.Table.DAYS))
        self.refresh()

    # -- what it shows ------------------------------------------------------------------

    def current_language(self) -> str | None:
        code = self.language_box.currentData()
        return str(code) if code else None

    def choose_language(self, code: str) -> None:
        """Show `code`'s figures (one the box does not list yet is counted all the same)."""
        self._preferred = code
        self.language_box.blockSignals(True)
        self.language_box.setCurrentIndex(self.language_box.findData(code))  # -1: not listed
        self.language_box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Count the chosen language again (the learner's own at first), off the GUI
        thread; `shown` says when its figures are on screen."""
        code = self.current_language() or self._preferred
        self._request += 1
        request = self._request
        database = self._context.paths.database
        lock = self._context.level_fits.tagger_lock
        # Translators: shown while the Progress view counts a language's figures.
        self.status.setText(_("Counting…"))
        self._context.tasks.run(
            lambda: progress_service.count(database, code, tagger_lock=lock),
            lambda counted: self._show(request, counted),
            lambda error: self._failed(request, error),
            owner=self,
        )

    def _show(self, request: int, counted: progress_service.Counted) -> None:
        if request != self._request:
            return  # another language was chosen meanwhile
        shown = counted.progress
        self._fill_languages(counted.languages, shown.language)
        self.progress = shown
        self.status.clear()
        empty = shown.is_empty
        self.figures_area.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.export_button.setEnabled(not empty)
        if empty:
            name = _language_name(shown.language) if shown.language else _("a language")
            self.empty_label.setText(_(EMPTY_TEXT).format(language=name))
        else:
            self._fill(shown)
        self.shown.emit()

    def _fill_languages(self, codes: list[str], chosen: str) -> None:
        self.language_box.blockSignals(True)
        self.language_box.clear()
        for code in codes:
            self.language_box.addItem(_language_label(code), code)
        if chosen:
            self.language_box.setCurrentIndex(self.language_box.findData(chosen))
        self.language_box.blockSignals(False)
        self.language_box.setEnabled(len(codes) > 1)

    def _failed(self, request: int, error: Exception) -> None:
        if request == self._request:
            # Translators: the Progress view could not count; {error} says why.
            self.status.setText(
                _("Your progress could not be counted: {error}").format(error=error)
            )

    def _fill(self, shown: Progress) -> None:
        self.totals.show_progress(shown)
        self.calendar.set_days(shown.days, date.today())
        weeks = shown.weeks
        self.minutes_chart.set_bars(
            [WeekBar(w.week_start, w.minutes, _minutes_tip(w)) for w in weeks],
            _minutes_summary(weeks),
        )
        self.mistakes_chart.set_points(
            [WeekPoint(w.week_start, w.mistakes, w.checked_words) for w in weeks if w.checked_words]
        )
        self.fit_chart.set_bars(
            [
                WeekBar(
                    w.week_start,
                    None if w.known_share is None else 100 * w.known_share,
                    _fit_tip(w),
                )
                for w in weeks
            ],
            _fit_summary(weeks),
        )
        self.table.set_weeks(weeks)

    def _changed(self, changes: Changes) -> None:
        if changes.touches(_FOLLOWED):
            self._refresh_timer.start()

    # -- export -------------------------------------------------------------------------

    def export(self, table: progress_service.Table) -> None:
        """Ask where, then write the weeks or the days as CSV; the outcome in the status."""
        shown = self.progress
        if shown is None or shown.is_empty:
            return
        name = f"tutor-progress-{shown.language}-{table.value}.csv"
        # Translators: a kind of file in the save dialog (a CSV file a spreadsheet opens).
        kind = _("Spreadsheet")
        chosen, _filter = QFileDialog.getSaveFileName(
            # Translators: the title of the save dialog that exports the Progress figures.
            self,
            _("Export progress"),
            str(Path.home() / name),
            f"{kind} (*.csv)",
        )
        if not chosen:
            return
        try:
            rows = progress_service.export(shown, table, Path(chosen))
        except OSError as error:
            self.status.setText(_("Nothing was exported: {reason}").format(reason=error))
            return
        self.status.setText(
            ngettext("Saved {count} row to {path}.", "Saved {count} rows to {path}.", rows).format(
                count=format_number(rows), path=chosen
            )
        )


def _minutes_tip(week: WeekFigures) -> str:
    # Translators: a week's bar on the chart of minutes: "Week of 3 March 2025: 12
    # minutes on 2 days".
    days = ngettext("{count} day", "{count} days", week.days).format(count=format_number(week.days))
    return _("Week of {day}: {minutes} on {days}").format(
        day=long_date(week.week_start), minutes=minutes_text(week.minutes), days=days
    )


def _minutes_summary(weeks: tuple[WeekFigures, ...]) -> str:
    if not weeks:
        return ""
    newest = weeks[-1]
    # Translators: the chart of minutes by week in words, for screen readers.
    return _("Minutes by week; the week of {day}: {minutes}.").format(
        day=long_date(newest.week_start), minutes=minutes_text(newest.minutes)
    )


def _fit_tip(week: WeekFigures) -> str:
    day = long_date(week.week_start)
    if week.known_share is None:
        # Translators: a week on the chart of the partner's replies, without a report.
        return _("Week of {day}: no replies judged (a session's report judges them)").format(
            day=day
        )
    replies = ngettext("{count} reply", "{count} replies", week.replies_judged).format(
        count=format_number(week.replies_judged)
    )
    # Translators: a week on the chart of the partner's replies: "Week of 3 March 2025:
    # 94% of the words known in 12 replies; 1 too hard".
    return _("Week of {day}: {share} of the words known in {replies}; {hard} too hard").format(
        day=day,
        share=known_text(week.known_share),
        replies=replies,
        hard=format_number(week.replies_too_hard),
    )


def _fit_summary(weeks: tuple[WeekFigures, ...]) -> str:
    judged = [w for w in weeks if w.known_share is not None]
    if not judged:
        # Translators: the chart of the partner's replies in words, with nothing judged.
        return _("No replies judged yet: a session's report judges them.")
    newest = judged[-1]
    # Translators: the chart of the partner's replies in words, for screen readers.
    return _("Words you knew in the partner's replies; the week of {day}: {share}.").format(
        day=long_date(newest.week_start), share=known_text(newest.known_share)
    )


def _language_label(code: str) -> str:
    try:
        return language_info(code).label
    except ValueError:
        return language_name(code)


def _language_name(code: str) -> str:
    try:
        return language_info(code).interface_name
    except ValueError:
        return language_name(code)
