"""The sidebar: past sessions, most recently used first."""

from __future__ import annotations

import math
from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyleOptionViewItem,
    QWidget,
)

from tutor.domain.languages import language
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.session import PracticeSession
from tutor.i18n.formats import format_date, format_number, format_time, locale_in_use
from tutor.i18n.translate import _, language_in_use, ngettext
from tutor.ui.widgets.bidi import LRM, isolate
from tutor.ui.widgets.list_painting import Row, RowDelegate

_SESSION_ID = Qt.ItemDataRole.UserRole
_LINES = Qt.ItemDataRole.UserRole + 1
_MAX_LABELS = 4000
ROW_LINES = 4
"""What a row shows: its title, when, how long and how many mistakes, the last words."""
# A row is measured once for all rows, so its lines must fit the tallest script Tutor
# offers: with Noto, Thai's lines are 1.12 times the Latin font's (CJK 1.06). Measuring
# the scripts themselves would load every fallback font at start (22 ms).
_TALLEST_SCRIPT = 1.12


class _SessionRowDelegate(RowDelegate):
    """Draws a session as four lines, each cut to the row's width with an ellipsis.

    Every row has the same height, so the list lays out 500 rows at once in under a
    millisecond: with word-wrapped rows of different heights Qt measured each one (15-25
    ms a refresh, after every reply) or, in batches, drew an empty sidebar until the last
    batch (about 50 ms, after every reply)."""

    _PAD = 4

    @staticmethod
    def line_height(font: QFont) -> int:
        return math.ceil(QFontMetrics(font).lineSpacing() * _TALLEST_SCRIPT)

    def sizeHint(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(
            max(option.rect.width(), 100), ROW_LINES * self.line_height(option.font) + 2 * self._PAD
        )

    def paint_text(self, painter: QPainter, row: Row) -> None:
        option, index = row.option, row.model_index
        lines = index.data(_LINES) or (row.text,)
        line_height = self.line_height(option.font)
        box = option.rect.adjusted(self._PAD + 2, self._PAD, -self._PAD, -self._PAD)
        # One weight: a bold title, in the language's own script, loaded the bold CJK,
        # Arabic, ... fonts beside the regular ones (7 MiB, measured). The date and the
        # counts are quieter than the title and the learner's words instead.
        painter.setFont(option.font)
        metrics = QFontMetrics(option.font)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for number, line in enumerate(lines[:ROW_LINES]):
            painter.setPen(row.hint if number in (1, 2) else row.main)
            shown = metrics.elidedText(line, Qt.TextElideMode.ElideRight, box.width())
            where = QRect(box.left(), box.top() + number * line_height, box.width(), line_height)
            painter.drawText(where, flags, LRM + shown)


class SessionList(QListWidget):
    session_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Past sessions"))
        self.setSpacing(2)
        self.setItemDelegate(_SessionRowDelegate(self))
        self.setUniformItemSizes(True)  # every row is four lines: laid out at once
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._labels: dict[tuple[object, ...], tuple[str, tuple[str, ...]]] = {}
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def show_sessions(self, sessions: list[PracticeSession], current_id: int | None) -> None:
        # The window calls this after every reply and every coach verdict, with up to
        # 500 sessions. Rebuilding every item (and laying every one out again) took
        # 100-200 ms there, in the middle of a reply: items are kept and only what
        # changed is set, and rows of one height are laid out at once (the delegate).
        rows = [(session.id, *self._label(session), session.title) for session in sessions]
        self.blockSignals(True)
        try:
            if self._reorder_items([row[0] for row in rows]):
                self._update_items(rows, current_id)
            else:
                self.clear()
                for session_id, label, lines, title in rows:
                    item = QListWidgetItem(label)
                    item.setData(_SESSION_ID, session_id)
                    item.setData(_LINES, lines)
                    item.setToolTip(title)
                    self.addItem(item)
                    if session_id == current_id:
                        self.setCurrentItem(item)
        finally:
            self.blockSignals(False)

    def _update_items(
        self, rows: list[tuple[int, str, tuple[str, ...], str]], current_id: int | None
    ) -> None:
        """Set the text that changed, and the current session, on items in order."""
        current: QListWidgetItem | None = None
        for row, (session_id, label, lines, title) in enumerate(rows):
            item = self.item(row)
            if item.text() != label:
                item.setText(label)
                item.setData(_LINES, lines)
            if item.toolTip() != title:
                item.setToolTip(title)
            if session_id == current_id:
                current = item
        self._make_current(current)
        if current is not None and self.row(current) == 0:
            self.scrollToTop()  # as a list built afresh shows a session that just moved up

    def highlight(self, session_id: int | None) -> None:
        """Make the session's row current (none: no row), if it is shown."""
        current = next(
            (
                self.item(row)
                for row in range(self.count())
                if self.session_id_of(self.item(row)) == session_id
            ),
            None,
        )
        self.blockSignals(True)
        try:
            self._make_current(current)
        finally:
            self.blockSignals(False)

    def _make_current(self, item: QListWidgetItem | None) -> None:
        """`item` becomes the current row; None: no row is current or selected."""
        if item is None:
            self.setCurrentRow(-1)
            self.clearSelection()
        elif self.currentItem() is not item:
            self.setCurrentItem(item)

    def _reorder_items(self, ids: list[int]) -> bool:
        """Put the items in the order of `ids` when that is the usual change: none, or
        one session (new, or just written in) at the top and the others in their order.
        False: the items must be built again (a filter changed, a session was deleted)."""
        old = self.session_ids()
        if old == ids:
            return True
        if not ids:
            return False
        first = ids[0]
        rest = [session_id for session_id in old if session_id != first]
        if rest[: len(ids) - 1] != ids[1:]:
            return False
        if first in old:
            item = self.takeItem(old.index(first))
        else:
            item = QListWidgetItem()
            item.setData(_SESSION_ID, first)
        self.insertItem(0, item)
        while self.count() > len(ids):  # the list is at its limit: the oldest drops off
            self.takeItem(self.count() - 1)
        return True

    def session_id_of(self, item: QListWidgetItem) -> int:
        return int(item.data(_SESSION_ID))

    def session_ids(self) -> list[int]:
        return [self.session_id_of(self.item(row)) for row in range(self.count())]

    def _label(self, session: PracticeSession) -> tuple[str, tuple[str, ...]]:
        """The item's text (what a screen reader says) and the lines drawn, made again
        only when what they show changed (the sidebar is refreshed often, and formatting
        500 dates took a fifth of a refresh), or the interface language changed."""
        key = (
            language_in_use(),
            session.target_language,
            session.level,
            session.scenario_id,
            session.scenario_title,
            session.custom_title,
            session.updated_at,
            session.message_count,
            session.mistake_count,
            session.preview,
        )
        made = self._labels.get(key)
        if made is None:
            if len(self._labels) > _MAX_LABELS:
                self._labels.clear()
            lines = self._make_lines(session)
            made = self._labels[key] = (LRM + "\n".join(line for line in lines if line), lines)
        return made

    @staticmethod
    def _make_lines(session: PracticeSession) -> tuple[str, ...]:
        """The title, when, length and mistakes, and the last words. The learner's own
        text (a name they gave, the preview) is isolated in its own direction
        (tutor/ui/widgets/bidi.py)."""
        target = language(session.target_language)
        when = when_words(session.updated_at.astimezone())
        preview = " ".join(session.preview.split())
        if len(preview) > 120:  # the row shows about 40 characters; the rest is cut
            preview = preview[:119] + "…"
        kind = f"{target.native_name} · {session.level.value}"
        if session.scenario_id != FREE_CONVERSATION.id:
            kind += f" · {session.scenario_title}"
        if session.custom_title:
            title, when = isolate(session.custom_title), f"{kind} · {when}"
        else:
            title = kind
        count = session.mistake_count
        mistakes = (
            _("no mistakes")
            if count == 0
            else ngettext("{count} mistake", "{count} mistakes", count).format(
                count=format_number(count)
            )
        )
        # Translators: a session's length in the sidebar ("12 messages · 2 mistakes").
        messages = ngettext("{count} message", "{count} messages", session.message_count).format(
            count=format_number(session.message_count)
        )
        return (
            title,
            when,
            f"{messages} · {mistakes}",
            isolate(preview) if preview else "",
        )

    def _chosen(self, item: QListWidgetItem) -> None:
        self.session_chosen.emit(int(item.data(_SESSION_ID)))


def when_words(moment: datetime) -> str:
    """A day and a clock time as the interface language writes them together: "Dec 6,
    2026, 2:25 PM", "06.12.2026, 14:25", "2026. 12. 6. 오후 2:25" (CLDR's medium date and
    short time, joined by the language's own date-time pattern)."""
    joined = str(locale_in_use().datetime_formats["medium"])
    return joined.replace("{1}", format_date(moment)).replace("{0}", format_time(moment))
