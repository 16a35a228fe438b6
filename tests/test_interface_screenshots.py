"""A first session as a learner meets it in Korean and in Arabic, with the translators'
catalogues: the welcome, the conversation, the report and the review show no English
text Tutor has a translation for, no button is too narrow for its words, and Arabic is
laid out right to left. The same screens in Japanese and German are rendered for
looking at (scripts/screenshots keeps them in docs/screenshots)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tests.interface_screenshots import SCREENS, render_interface
from tutor.i18n.translate import DOMAIN

LOCALE = Path(__file__).resolve().parent.parent / "tutor" / "locale"


def english_with_a_translation(language: str) -> set[str]:
    """Every English text the language's catalogue translates differently, as a widget
    shows it (mnemonic ampersands taken out)."""
    catalogue = gettext.translation(DOMAIN, LOCALE, [language])
    english = set()
    for key, text in catalogue._catalog.items():  # type: ignore[attr-defined]
        source = key[0] if isinstance(key, tuple) else key
        if "\x04" in source:  # pgettext: context, then the text
            source = source.split("\x04", 1)[1]
        if source and text and source != text and not _is_placeholder_only(source):
            english.add(source.replace("&", ""))
    return english


def _is_placeholder_only(text: str) -> bool:
    """ "{language} · {level} · {scenario}" reads the same in every language."""
    return not any(c.isalpha() for c in re.sub(r"\{\w+\}", "", text))


def shown_texts(widget: QWidget) -> list[tuple[str, str]]:
    """(what, text) of every visible label, button, group title and menu entry."""
    found = [("title", widget.windowTitle())]
    for child in widget.findChildren(QWidget):
        if not child.isVisibleTo(widget):
            continue
        if isinstance(child, (QLabel, QAbstractButton)):
            found.append((type(child).__name__, child.text()))
        elif isinstance(child, QGroupBox):
            found.append(("group", child.title()))
        elif isinstance(child, (QTextEdit, QPlainTextEdit)):
            found.append(("placeholder", child.placeholderText()))
            # Headings, names and notes drawn into a document (the report, the chat).
            found += [("document", line.strip()) for line in child.toPlainText().splitlines()]
        if child.accessibleName():
            found.append(("accessible name", child.accessibleName()))
    for menu in widget.findChildren(QMenu):
        found.append(("menu", menu.title()))
        found += [("action", action.text()) for action in menu.actions()]
    return [(what, text.replace("&", "")) for what, text in found if text.strip()]


def clipped_buttons(widget: QWidget) -> list[str]:
    return [
        button.text()
        for button in widget.findChildren(QAbstractButton)
        if button.isVisibleTo(widget)
        and button.text()
        and button.width() < button.minimumSizeHint().width()
    ]


@pytest.mark.parametrize("language", ["ko", "ar"])
def test_a_first_session_shows_no_english_tutor_has_translated(qapp, tmp_path, language):
    english = english_with_a_translation(language)
    assert len(english) > 500  # the catalogue is there, compiled
    seen: dict[str, list[tuple[str, str]]] = {}
    clipped: dict[str, list[str]] = {}
    directions: dict[str, Qt.LayoutDirection] = {}

    def look(screen: str, widget: QWidget) -> None:
        seen[screen] = shown_texts(widget)
        clipped[screen] = clipped_buttons(widget)
        directions[screen] = widget.layoutDirection()

    render_interface(language, tmp_path / "data", tmp_path / "shots", look)

    assert sorted(seen) == sorted(SCREENS)
    phrases = [e for e in english if " " in e and "{" not in e]  # whole, inside a text

    def english_in(text: str) -> bool:
        return text in english or any(phrase in text for phrase in phrases)

    left_in_english = {
        screen: [(what, text) for what, text in texts if english_in(text)]
        for screen, texts in seen.items()
    }
    assert left_in_english == {screen: [] for screen in SCREENS}
    assert clipped == {screen: [] for screen in SCREENS}
    expected = (
        Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
    )
    assert directions == {screen: expected for screen in SCREENS}
    # Words a learner reads on each screen, in the language itself.
    everything = " ".join(text for texts in seen.values() for _, text in texts)
    if language == "ko":
        assert "세션" in everything and "복습" in everything and "모델" in everything
    else:
        assert "الجلسة" in everything and "المراجعة" in everything


@pytest.mark.parametrize("language", ["ja", "de"])
def test_the_same_screens_render_in_japanese_and_german(qapp, tmp_path, language):
    clipped: dict[str, list[str]] = {}
    shots = render_interface(
        language,
        tmp_path / "data",
        tmp_path / "shots",
        lambda screen, widget: clipped.__setitem__(screen, clipped_buttons(widget)),
    )
    assert sorted(shots) == sorted(SCREENS) and all(path.exists() for path in shots.values())
    assert clipped == {screen: [] for screen in SCREENS}
