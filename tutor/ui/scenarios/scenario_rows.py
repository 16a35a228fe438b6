"""How a scenario is drawn: a row of the picker's list, and the preview beside it.

Scenario text comes from files anyone can write: it is painted as plain text or put in
escaped HTML, never read as markup.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from tutor.domain.levels import Level
from tutor.domain.scenarios import Scenario
from tutor.ui.widgets.list_painting import Row, RowDelegate

ROW_DATA = Qt.ItemDataRole.UserRole
"""The Scenario of a scenario row; the key of a category row."""
ROW_DESCRIPTION = Qt.ItemDataRole.UserRole + 1
ROW_LEVELS = Qt.ItemDataRole.UserRole + 2


def levels_text(scenario: Scenario) -> str:
    """The levels in brief: a run as "A1–B1", "All levels", or a list when there are gaps."""
    order = list(Level)
    positions = [order.index(level) for level in scenario.levels]
    if len(positions) == len(order):
        return "All levels"
    if positions == list(range(positions[0], positions[-1] + 1)) and len(positions) > 1:
        return f"{order[positions[0]].value}–{order[positions[-1]].value}"
    return ", ".join(level.value for level in scenario.levels)


class ScenarioDelegate(RowDelegate):
    """Two lines per scenario: the title in bold, under it the description in grey; the
    levels at the right of the title."""

    _PAD = 6

    def sizeHint(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, 2 * line + 3 * self._PAD)

    def paint_text(self, painter: QPainter, row: Row) -> None:
        option, index = row.option, row.model_index
        main, hint = row.main, row.hint
        rect: QRect = option.rect.adjusted(self._PAD + 2, self._PAD, -self._PAD - 2, -self._PAD)
        font = QFont(option.font)
        metrics = option.fontMetrics
        line = metrics.lineSpacing()
        levels = str(index.data(ROW_LEVELS) or "")
        levels_width = metrics.horizontalAdvance(levels) + self._PAD
        painter.setPen(hint)
        painter.setFont(font)
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), line),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            levels,
        )
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(main)
        title_width = rect.width() - levels_width
        painter.drawText(
            QRect(rect.left(), rect.top(), title_width, line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            painter.fontMetrics().elidedText(row.text, Qt.TextElideMode.ElideRight, title_width),
        )
        painter.setFont(font)
        painter.setPen(hint)
        description = str(index.data(ROW_DESCRIPTION) or "")
        painter.drawText(
            QRect(rect.left(), rect.top() + line + self._PAD // 2, rect.width(), line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            metrics.elidedText(description, Qt.TextElideMode.ElideRight, rect.width()),
        )


def preview_html(scenario: Scenario, native_language: str) -> str:
    """The preview, every piece of scenario text escaped."""

    def e(text: str) -> str:
        return html.escape(text)

    own = scenario.text_in(native_language)
    parts = [f"<h2>{e(own.title)}</h2>", f"<p>{e(own.description)}</p>"]
    roles = []
    if scenario.learner_role:
        roles.append(f"<b>You:</b> {e(scenario.learner_role)}")
    partner = e(scenario.partner_role)
    if scenario.partner_personality:
        partner += f" <i>({e(scenario.partner_personality)})</i>"
    roles.append(f"<b>Partner:</b> {partner}")
    parts.append(f"<p>{'<br>'.join(roles)}</p>")
    parts.append(f"<p><i>{e(scenario.setting)}</i></p>")
    if own.goals:
        goals = "<br>".join(f"☐&nbsp;{e(goal)}" for goal in own.goals)
        parts.append(f"<h4>Goals</h4><p>{goals}</p>")
    if scenario.vocabulary:
        words = " · ".join(e(word) for word in scenario.vocabulary)
        parts.append(f"<h4>Key vocabulary</h4><p>{words}</p>")
    about = f"Levels: {e(levels_text(scenario))}"
    if not scenario.built_in:
        about += f" · your scenario, version {scenario.version}"
    parts.append(f"<p style='color: gray'>{about}</p>")
    return "".join(parts)
