"""How a scenario is drawn: a row of the picker's list, and the preview beside it.

A scenario's title, description and goals are shown in the interface language where its
file has a translation (`[translations.<code>]`), else in English. The partner's brief
(roles, setting, vocabulary) is in English only: the preview shows it in an English
interface and for the learner's own scenarios, which they write in English.

Scenario text comes from files anyone can write: it is painted as plain text or put in
escaped HTML, never read as markup.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from tutor.domain.levels import Level
from tutor.domain.scenarios import Scenario, ScenarioText
from tutor.i18n.formats import format_list, format_number
from tutor.i18n.translate import SOURCE_LANGUAGE, _, language_in_use
from tutor.ui.widgets.bidi import isolate
from tutor.ui.widgets.list_painting import Row, RowDelegate

ROW_DATA = Qt.ItemDataRole.UserRole
"""The Scenario of a scenario row; the key of a category row."""
ROW_DESCRIPTION = Qt.ItemDataRole.UserRole + 1
ROW_LEVELS = Qt.ItemDataRole.UserRole + 2


def shown_text(scenario: Scenario) -> ScenarioText:
    """Title, description and goals in the interface language, or in English."""
    return scenario.shown_text()


def levels_text(scenario: Scenario) -> str:
    """The levels in brief: a run as "A1–B1", "All levels", or a list when there are gaps."""
    order = list(Level)
    positions = [order.index(level) for level in scenario.levels]
    if len(positions) == len(order):
        return _("All levels")
    if positions == list(range(positions[0], positions[-1] + 1)) and len(positions) > 1:
        # Translators: a run of levels, "A1–B1"; the dash may be written as your language does.
        return _("{first}–{last}").format(
            first=order[positions[0]].value, last=order[positions[-1]].value
        )
    return format_list([level.value for level in scenario.levels])


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


def preview_html(scenario: Scenario) -> str:
    """The preview, every piece of scenario text escaped."""

    def e(text: str) -> str:
        return html.escape(text)

    shown = shown_text(scenario)
    parts = [f"<h2>{e(shown.title)}</h2>", f"<p>{e(shown.description)}</p>"]
    brief = language_in_use() == SOURCE_LANGUAGE or not scenario.built_in
    if brief:
        roles = []
        if scenario.learner_role:
            # Translators: before the learner's role in a scenario: "You: a customer…".
            you = e(_("You:"))
            roles.append(f"<b>{you}</b> {e(scenario.learner_role)}")
        partner = e(scenario.partner_role)
        if scenario.partner_personality:
            partner += f" <i>({e(scenario.partner_personality)})</i>"
        # Translators: before the partner's role in a scenario: "Partner: a waiter…".
        partner_is = e(_("Partner:"))
        roles.append(f"<b>{partner_is}</b> {partner}")
        parts.append(f"<p>{'<br>'.join(roles)}</p>")
        parts.append(f"<p><i>{e(scenario.setting)}</i></p>")
    if shown.goals:
        goals = "<br>".join(f"☐&nbsp;{e(goal)}" for goal in shown.goals)
        heading = e(_("Goals"))
        parts.append(f"<h4>{heading}</h4><p>{goals}</p>")
    if brief and scenario.vocabulary:
        words = " · ".join(e(word) for word in scenario.vocabulary)
        heading = e(_("Key vocabulary"))
        parts.append(f"<h4>{heading}</h4><p>{words}</p>")
    parts.append(targets_html(scenario))
    levels = levels_text(scenario)
    if scenario.built_in:
        about = _("Levels: {levels}").format(levels=levels)
    else:
        about = _("Levels: {levels} · your scenario, version {version}").format(
            levels=levels, version=format_number(scenario.version)
        )
    parts.append(f"<p style='color: gray'>{e(about)}</p>")
    return "".join(parts)


def targets_html(scenario: Scenario) -> str:
    """What a scenario written from the learner's mistakes practises: each target's
    kind, description and forms ("Practise my mistakes"); empty for other scenarios."""
    if not scenario.targets:
        return ""
    lines = []
    for target in scenario.targets:
        forms = " · ".join(html.escape(isolate(form)) for form in target.forms)
        description = html.escape(isolate(target.description))
        line = f"{html.escape(target.category.label)}: {description}"
        lines.append(f"{line}<br><i>{forms}</i>" if forms else line)
    # Translators: heading of what a scenario written from the learner's mistakes
    # practises (the kinds of mistake and the right forms).
    heading = html.escape(_("What it practises"))
    return f"<h4>{heading}</h4><p>{'<br>'.join(lines)}</p>"
