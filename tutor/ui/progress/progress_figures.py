"""The Progress view's numbers as text: the totals at the top, and a table of every week
(the charts' figures, readable by a screen reader and copied as they are shown)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.progress import MAX_GAP, Progress, WeekFigures
from tutor.domain.time_words import long_date
from tutor.i18n.formats import format_number, format_percent
from tutor.i18n.translate import N_, _


def minutes_number(minutes: float) -> str:
    """Whole minutes, a half rounded up (as a learner rounds: 10.5 is 11)."""
    return format_number(math.floor(minutes + 0.5))


def rate_text(week: WeekFigures) -> str:
    """Mistakes per 100 words with one decimal, or a dash in a week with nothing checked."""
    rate = week.per_100_words
    return "–" if rate is None else format_number(rate, decimals=1)


def known_text(share: float | None) -> str:
    return "–" if share is None else format_percent(share)


# Translators: the totals at the top of the Progress view, each under its number.
_TILES = (
    ("days", N_("Days practised")),
    ("minutes", N_("Minutes")),
    ("messages", N_("Messages written")),
    ("words", N_("Words written")),
    ("correct_words", N_("Words used correctly")),
    ("cards", N_("Review cards learnt")),
)


class Totals(QWidget):
    """Six numbers, each with its caption and a tooltip that says how it is counted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        self.numbers: dict[str, QLabel] = {}
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        # A number alone would follow its digits' direction (left) in a right-to-left
        # interface, away from its caption: both stand on the reading side.
        side = Qt.AlignmentFlag.AlignRight if self.isRightToLeft() else Qt.AlignmentFlag.AlignLeft
        for index, (key, caption) in enumerate(_TILES):
            number = QLabel()
            number.setFont(font)
            number.setTextFormat(Qt.TextFormat.PlainText)
            number.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
            label = QLabel(_(caption))
            label.setObjectName("hint")
            label.setWordWrap(True)
            tile = QVBoxLayout()
            tile.setSpacing(0)
            tile.addWidget(number)
            tile.addWidget(label)
            tip = _explanation(key)
            number.setToolTip(tip)
            label.setToolTip(tip)
            grid.addLayout(tile, index // 3, index % 3)
            self.numbers[key] = number

    def show_progress(self, shown: Progress) -> None:
        totals = shown.totals
        values = {
            "days": format_number(totals.days),
            "minutes": minutes_number(totals.minutes),
            "messages": format_number(totals.messages),
            "words": format_number(totals.words),
            "correct_words": format_number(shown.correct_words),
            # Translators: review cards learnt out of all the language's cards: "3 of 10".
            "cards": _("{learnt} of {cards}").format(
                learnt=format_number(shown.cards_learnt), cards=format_number(shown.cards)
            ),
        }
        for key, caption in _TILES:
            label = self.numbers[key]
            label.setText(values[key])
            # Read as one: "Minutes: 135".
            label.setAccessibleName(f"{_(caption)}: {values[key]}")

    def texts(self) -> dict[str, str]:
        """What each number says (tests read the view as a learner does)."""
        return {key: label.text() for key, label in self.numbers.items()}


def _explanation(key: str) -> str:
    if key == "minutes":
        # Translators: how the Progress view counts minutes; {limit} is a number.
        return _(
            "Time between the messages of your sessions; a pause counts for at most "
            "{limit} minutes."
        ).format(limit=format_number(MAX_GAP.total_seconds() / 60))
    if key == "days":
        return _("Days on which you sent at least one message in this language.")
    if key == "correct_words":
        return _(
            "Different words (by dictionary form) in the messages the coach found no mistake in."
        )
    if key == "cards":
        return _("Cards you recalled at the end of their first steps and have not forgotten since.")
    if key == "words":
        return _("Words in your messages (in Chinese and Japanese, estimated from length).")
    return _("Messages you sent in this language.")


# Translators: the columns of the Progress view's table of weeks.
_COLUMNS = (
    N_("Week of"),
    N_("Days"),
    N_("Minutes"),
    N_("Messages"),
    N_("Words"),
    N_("Mistakes per 100 words"),
    N_("Words known in replies"),
    N_("Replies too hard"),
)


class WeekTable(QTableWidget):
    """Every week, newest first: the charts' numbers as text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(_COLUMNS), parent)
        self.setAccessibleName(_("Your progress by week"))
        self.setHorizontalHeaderLabels([_(title) for title in _COLUMNS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def set_weeks(self, weeks: Sequence[WeekFigures]) -> None:
        self.setRowCount(0)
        self.setRowCount(len(weeks))
        for row, week in enumerate(reversed(weeks)):
            cells = (
                long_date(week.week_start),
                format_number(week.days),
                minutes_number(week.minutes),
                format_number(week.messages),
                format_number(week.words),
                rate_text(week),
                known_text(week.known_share),
                format_number(week.replies_too_hard) if week.replies_judged else "–",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(row, column, item)

    def row_texts(self) -> list[list[str]]:
        """The table as shown, newest week first."""
        return [
            [_text(self.item(row, column)) for column in range(self.columnCount())]
            for row in range(self.rowCount())
        ]


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""
