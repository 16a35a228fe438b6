"""The window renders Spanish, Japanese and Arabic sessions mid-reply; the PNGs are kept
in the test's temporary folder (scripts/screenshots writes them to docs/screenshots)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from tests.screenshots import CONVERSATIONS, render


@pytest.mark.parametrize("code", sorted(CONVERSATIONS))
def test_window_renders_a_conversation_mid_reply(qapp, tmp_path, code):
    out = tmp_path / f"{code}.png"
    window = render(CONVERSATIONS[code], tmp_path / "data", out)
    shown = window.chat.toPlainText()
    conversation = CONVERSATIONS[code]
    learner = [m for m in window.practice.messages if m.role.value == "user"]
    assert [m.text for m in learner] == list(conversation.learner)
    for message in learner:
        assert message.correction is not None
        for mark in message.correction.marks:
            assert mark.original in shown and mark.corrected in shown
    assert conversation.partner[0] in shown
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1040, 700)
    # Not blank: the conversation area holds many distinct colours (text is anti-aliased).
    colours = {image.pixel(x, y) for x in range(260, 1000, 3) for y in range(60, 420, 3)}
    assert len(colours) > 20
