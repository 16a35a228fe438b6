"""The sidebar: past sessions (filtered by language and scenario) or, while the learner
types in the search box, the messages that match across every session.

Once it follows a context, it refreshes itself when the change hub says sessions,
messages or corrections changed (the list shows their counts), and when the learner
changes a filter; the window only tells it which session is open."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStackedWidget,
    QStyle,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from tutor.domain.conversation import Role
from tutor.domain.session import PracticeSession
from tutor.i18n.formats import format_date, language_name, sort_key
from tutor.i18n.translate import _
from tutor.services.changes import Change, Changes
from tutor.store.search import SearchHit
from tutor.store.sessions import SessionStore
from tutor.ui.history.session_list import SessionList
from tutor.ui.shell.change_relay import ChangeRelay
from tutor.ui.widgets.list_painting import Row, RowDelegate

SEARCH_DELAY_MS = 150
_HIT = Qt.ItemDataRole.UserRole
_HTML = Qt.ItemDataRole.UserRole + 1
SHOWN_CHANGES = Change.SESSIONS | Change.MESSAGES | Change.CORRECTIONS
"""What the list of sessions shows: the sessions, their lengths and their mistakes."""


class HistoryPanel(QWidget):
    session_chosen = Signal(int)
    hit_chosen = Signal(int, int)  # session id, message id
    filters_changed = Signal()
    search_changed = Signal(str)  # after the learner paused typing
    rename_requested = Signal(int)
    delete_requested = Signal(int)
    report_requested = Signal(int)
    export_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search all sessions…"))
        self.search.setAccessibleName(_("Search all sessions"))
        self.search.setClearButtonEnabled(True)
        self.language_filter = QComboBox()
        self.language_filter.setAccessibleName(_("Show sessions in"))
        self.scenario_filter = QComboBox()
        self.scenario_filter.setAccessibleName(_("Show sessions of scenario"))
        self.sessions = SessionList()
        self.sessions.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.hits = QListWidget()
        self.hits.setAccessibleName(_("Search results"))
        self.hits.setItemDelegate(_HitDelegate(self.hits))
        self.hits.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.hits.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hits.setResizeMode(QListWidget.ResizeMode.Adjust)  # wider or narrower: measured again
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sessions)
        self.stack.addWidget(self.hits)
        self._timer = QTimer(self, interval=SEARCH_DELAY_MS, singleShot=True)
        self._timer.timeout.connect(lambda: self.search_changed.emit(self.search.text()))

        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(self.language_filter, 1)
        filters.addWidget(self.scenario_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        self.set_filter_choices([], [])  # "All …" before any session exists (a first run)

        self.search.textChanged.connect(self._typed)
        self.language_filter.currentIndexChanged.connect(self.filters_changed)
        self.scenario_filter.currentIndexChanged.connect(self.filters_changed)
        self.sessions.session_chosen.connect(self.session_chosen)
        self.sessions.customContextMenuRequested.connect(self._session_menu)
        self.hits.itemActivated.connect(self._hit_chosen)
        self.hits.itemClicked.connect(self._hit_chosen)
        self._store: SessionStore | None = None
        self._current_id: int | None = None
        self._filled = False

    def follow(self, store: SessionStore, relay: ChangeRelay) -> None:
        """Show the sessions of `store` from now on, refreshed as the hub says they change."""
        self._store = store
        relay.changed.connect(self._changed)
        self.filters_changed.connect(self.refresh)

    def set_current(self, session_id: int | None) -> None:
        """The session open in the window (highlighted in the list), or None."""
        if session_id == self._current_id:
            return
        self._current_id = session_id
        if self._filled:
            # Only the highlight moves: what the rows show changes when the hub says so
            # (a new session's row comes with its publication, a deleted one goes).
            self.sessions.highlight(session_id)
        else:
            self.refresh()

    def refresh(self) -> None:
        """Show the sessions again, as the store has them, with the filters chosen."""
        if self._store is None:
            return
        self.set_filter_choices(*self._store.languages_and_scenarios())
        sessions = self._store.sessions(
            language=self.chosen_language(), scenario_id=self.chosen_scenario()
        )
        self.show_sessions(sessions, self._current_id)
        self._filled = True

    def _changed(self, changes: Changes) -> None:
        if changes.touches(SHOWN_CHANGES):
            self.refresh()

    # -- filters -------------------------------------------------------------------------

    def set_filter_choices(self, languages: list[str], scenarios: list[tuple[str, str]]) -> None:
        """Offer the languages and scenarios past sessions used, keeping the choice made.
        Languages are named in the interface language and sorted as its readers sort."""
        named = sorted(((code, language_name(code)) for code in languages), key=_by_label)
        for combo, everything, choices in (
            (self.language_filter, _("All languages"), named),
            (self.scenario_filter, _("All scenarios"), scenarios),
        ):
            offered = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
            if offered == [(None, everything), *choices]:
                continue  # the window asks after every reply; the usual answer: no change
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for value, label in choices:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def chosen_language(self) -> str | None:
        value = self.language_filter.currentData()
        return str(value) if value else None

    def chosen_scenario(self) -> str | None:
        value = self.scenario_filter.currentData()
        return str(value) if value else None

    # -- search --------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        searching = bool(text.strip())
        self.stack.setCurrentWidget(self.hits if searching else self.sessions)
        self.language_filter.setEnabled(not searching)
        self.scenario_filter.setEnabled(not searching)
        self._timer.start()

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.hits.clear()
        if not hits:
            empty = QListWidgetItem(_("No message matches."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.hits.addItem(empty)
            return
        for hit in hits:
            item = QListWidgetItem()
            item.setData(_HIT, (hit.session_id, hit.message_id))
            item.setData(_HTML, _hit_html(hit))
            item.setToolTip(hit.session_title)
            plain = "".join(piece for piece, _matched in hit.snippet)
            # Translators: what a screen reader says for a search result: the session's
            # title, then the matching message's text.
            spoken = _("{title}: {text}").format(title=hit.session_title, text=plain)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            self.hits.addItem(item)

    def _hit_chosen(self, item: QListWidgetItem) -> None:
        found = item.data(_HIT)
        if found:
            self.hit_chosen.emit(int(found[0]), int(found[1]))

    # -- sessions ------------------------------------------------------------------------

    def show_sessions(self, sessions: list[PracticeSession], current_id: int | None) -> None:
        self.sessions.show_sessions(sessions, current_id)

    def _session_menu(self, where: QPoint) -> None:
        item = self.sessions.itemAt(where)
        if item is None:
            return
        session_id = self.sessions.session_id_of(item)
        menu = QMenu(self)
        menu.addAction(_("Rename…"), lambda: self.rename_requested.emit(session_id))
        # Translators: a session's menu item that opens its report (a noun: the report).
        menu.addAction(_("Report"), lambda: self.report_requested.emit(session_id))
        menu.addAction(_("Export as Markdown…"), lambda: self.export_requested.emit(session_id))
        menu.addSeparator()
        menu.addAction(_("Delete"), lambda: self.delete_requested.emit(session_id))
        menu.popup(self.sessions.viewport().mapToGlobal(where))


def _hit_html(hit: SearchHit) -> str:
    """Escaped text with the matching pieces in bold: nothing from a message is markup."""
    # Translators: who wrote a message found by the search: the learner, or the
    # conversation partner (the model playing the other person).
    who = _("You") if hit.role is Role.USER else _("Partner")
    when = format_date(hit.created_at.astimezone())
    text = "".join(
        f"<b style='background-color:#fff3a0;color:#000'>{html.escape(piece)}</b>"
        if matched
        else html.escape(piece)
        for piece, matched in hit.snippet
    )
    return (
        f"<div style='color:gray;font-size:small'>{html.escape(hit.session_title)} · "
        f"{who} · {when}</div><div>{text}</div>"
    )


def _by_label(choice: tuple[str, str]) -> tuple[int, ...]:
    return sort_key(choice[1])


class _HitDelegate(RowDelegate):
    """Draws a hit's small HTML (escaped text, highlighted matches) word-wrapped."""

    _PAD = 4

    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex, width: int
    ) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(_HTML) or html.escape(str(index.data() or ""))))
        document.setTextWidth(max(80, width - 2 * self._PAD))
        return document

    @staticmethod
    def _width(option: QStyleOptionViewItem) -> int:
        """The width a hit is measured and drawn at: the list's, less room for its scroll
        bar even while it has none. Measured wider before the bar appeared, a hit that
        then wrapped onto one more line ran into the next."""
        view = option.widget
        if not isinstance(view, QListWidget):
            return option.rect.width() or 220
        width = view.viewport().width()
        if not view.verticalScrollBar().isVisible():
            width -= view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return width

    def sizeHint(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        width = self._width(option)
        document = self._document(option, index, width)
        return QSize(width, int(document.size().height()) + 2 * self._PAD)

    def paint_text(self, painter: QPainter, row: Row) -> None:
        option, index = row.option, row.model_index
        document = self._document(option, index, self._width(option))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, row.main)
        painter.translate(option.rect.topLeft() + QPoint(self._PAD, self._PAD))
        document.documentLayout().draw(painter, context)
