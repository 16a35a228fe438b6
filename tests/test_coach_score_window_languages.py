"""Settings → Corrections and the measure dialog as a learner meets them in Japanese
and Arabic: no English text Tutor has a translation for, no button too narrow for its
words, Arabic laid out right to left (tests/coach_score_screenshots.py renders them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.coach_score_screenshots import SCREENS, render_score
from tests.test_interface_screenshots import (
    clipped_buttons,
    english_with_a_translation,
    shown_texts,
)

BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069"))


@pytest.mark.parametrize("language", ["ja", "ar"])
def test_the_scorecard_screens_speak_the_interface_language(
    qapp: QApplication, tmp_path: Path, language: str
) -> None:
    english = english_with_a_translation(language)
    phrases = [text for text in english if " " in text and "{" not in text]
    seen: dict[str, list[tuple[str, str]]] = {}
    clipped: dict[str, list[str]] = {}
    directions: dict[str, Qt.LayoutDirection] = {}

    def look(screen: str, widget: QWidget) -> None:
        seen[screen] = [(what, text.translate(BIDI)) for what, text in shown_texts(widget)]
        clipped[screen] = clipped_buttons(widget)
        directions[screen] = widget.layoutDirection()

    shots = render_score(language, tmp_path / "data", tmp_path, look)
    assert len(shots) == len(SCREENS) and all(path.exists() for path in shots)

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
    everything = " ".join(text for texts in seen.values() for _what, text in texts)
    if language == "ja":
        assert "適合率" in everything and "再現率" in everything and "測定" in everything
    else:
        assert "الدقة" in everything and "الاستدعاء" in everything
