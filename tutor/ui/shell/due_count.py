"""The count of review cards due, on the Review button and in the Corrections menu.

It follows the change hub: whatever adds, rates or moves cards says so there
(Change.CARDS), and the count refreshes itself; no other view refreshes it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton

from tutor.domain.conversation import utc_now
from tutor.i18n.formats import format_number
from tutor.i18n.translate import _, ngettext
from tutor.services.changes import Change, Changes
from tutor.store.review_cards import ReviewStore
from tutor.ui.shell.change_relay import ChangeRelay


class DueCount(QObject):
    def __init__(
        self, review: ReviewStore, relay: ChangeRelay, button: QPushButton, action: QAction
    ) -> None:
        super().__init__(button)  # goes with the button
        self._review = review
        self._button = button
        self._action = action
        relay.changed.connect(self._changed)

    def refresh(self) -> None:
        """Count again (cards also come due as time passes, with nothing changed)."""
        self.show(self._review.due_count(utc_now()))

    def show(self, due: int) -> None:
        if not due:
            self._button.setText(_("Review"))
            self._button.setToolTip(
                _("Nothing due: your corrections become cards to review (Ctrl+Shift+R)")
            )
            self._action.setText(_("&Review"))
            return
        count = format_number(due)
        # Translators: the Review button and menu item with the number of cards due.
        self._button.setText(_("Review ({count})").format(count=count))
        self._button.setToolTip(
            ngettext(
                "{count} card to review (Ctrl+Shift+R)",
                "{count} cards to review (Ctrl+Shift+R)",
                due,
            ).format(count=count)
        )
        self._action.setText(_("&Review ({count})").format(count=count))

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Change.CARDS):
            self.refresh()
