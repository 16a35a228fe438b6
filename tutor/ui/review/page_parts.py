"""Small pieces the review pages are made of: buttons that are never a dialog default,
borderless text browsers as tall as their text, and a thin line. The formats card text
is written in are card_text.py's.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QPushButton, QTextBrowser

from tutor.i18n.translate import _


def button(text: str, key: str) -> QPushButton:
    """A button labelled `text` (translated by the caller) whose tooltip names its `key`."""
    made = QPushButton(text)
    # Not a dialog default: Enter in the retry box must check the sentence, not also
    # press whichever button Qt made the default (it would rate or reveal a card).
    made.setAutoDefault(False)
    made.setToolTip(key_tip(key))
    return made


def key_tip(key: str) -> str:
    """ "Key: Space", the key named as Qt's own translation names it ("Leertaste")."""
    name = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    # Translators: a button's tooltip: the key that presses it ("Key: Space").
    return _("Key: {key}").format(key=name)


def text_browser(name: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setAccessibleName(name)
    browser.setOpenLinks(False)
    browser.setOpenExternalLinks(False)
    browser.setUndoRedoEnabled(False)
    browser.setFrameShape(QFrame.Shape.NoFrame)
    # Text on the page, not a white box: the window's own background shows through.
    browser.viewport().setAutoFillBackground(False)
    browser.setStyleSheet("QTextBrowser { background: transparent; }")
    browser.document().setDocumentMargin(2)
    return browser


def fit_height(browser: QTextBrowser, most: int) -> None:
    """Keep the browser as tall as its text, up to `most` pixels (then it scrolls).

    The height is known only once the text is laid out at the browser's real width,
    which is when the document layout reports a new size.
    """
    browser.document().documentLayout().documentSizeChanged.connect(
        lambda size: browser.setFixedHeight(min(most, int(size.height()) + 6))
    )


def line() -> QFrame:
    made = QFrame()
    made.setFrameShape(QFrame.Shape.HLine)
    # Plain, in the palette's mid tone: a sunken line is a bright stripe on a dark theme.
    made.setFrameShadow(QFrame.Shadow.Plain)
    made.setStyleSheet("color: palette(mid);")
    return made
