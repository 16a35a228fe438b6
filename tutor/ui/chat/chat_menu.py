"""The conversation's context menu: the usual (copy, select all), and what a selection
of the learner's can become."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QTextBrowser

from tutor.i18n.translate import _

MAX_SAVED_WORD_CHARS = 120
"""A word or a phrase to review; a longer selection is not a card."""

SelectionAction = Callable[[QMenu, str], None]
"""Adds items for the selected text (already one line, at most MAX_SAVED_WORD_CHARS)."""


def conversation_menu(
    view: QTextBrowser, where: QPoint, selection_actions: list[SelectionAction]
) -> QMenu:
    """The menu for a right click at `where` (viewport coordinates); the caller pops it."""
    menu = view.createStandardContextMenu(where)
    selected = " ".join(view.textCursor().selectedText().split())
    if selected and len(selected) <= MAX_SAVED_WORD_CHARS and selection_actions:
        menu.addSeparator()
        for add in selection_actions:
            add(menu, selected)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return menu


def shortened(words: str) -> str:
    """A selection as a menu item quotes it: at most 30 characters."""
    return words if len(words) <= 30 else words[:29] + "…"


def save_to_review_action(save: Callable[[str], None]) -> SelectionAction:
    def add(menu: QMenu, selected: str) -> None:
        action = menu.addAction(_("Save “{words}” to review…").format(words=shortened(selected)))
        action.triggered.connect(lambda: save(selected))

    return add
