"""Render "Translate and look up" for looking at: a Spanish conversation with the first
reply translated beneath it and the look-up card of a word clicked in the last one open, in one
interface language (the learner's own language is the interface's).

    QT_QPA_PLATFORM=offscreen python -m tests.word_help_screenshots en ko docs/screenshots

writes docs/screenshots/help-<language>.png. The app is the real one against the local
test server, which answers the translation and the look-up as a model would in the
learner's language. The card's ▶ buttons are shown as they are with a voice.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter, QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui_helpers import is_checking, practice_argv, type_text
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer, ScriptedReply
from tests.screenshots import wait_for
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.ui.shell.interface_language import install_interface_language

PARTNER = (
    "¡Hola! Ayer comí paella en la playa con mis amigos. ¿Qué hiciste tú el fin de semana?",
    "¡Qué bien! ¿Te gustó la película?",
)
LEARNER = "Yo fui al cine con mi hermana."
ANSWERS = {
    "en": (
        "Hi! Yesterday I ate paella on the beach with my friends. What did you do at the weekend?",
        {
            "meaning": "did you like (it pleased you)",
            "lemma": "gustó",
            "part_of_speech": "verb",
            "example": "Me gusta el cine.",
            "example_meaning": "I like the cinema.",
        },
    ),
    "ko": (
        "안녕! 어제 친구들이랑 해변에서 파에야를 먹었어. 너는 주말에 뭐 했어?",
        {
            "meaning": "(너는) 마음에 들었니",
            "lemma": "gustó",
            "part_of_speech": "verb",
            "example": "Me gusta el cine.",
            "example_meaning": "나는 영화를 좋아해요.",
        },
    ),
    "ar": (
        "مرحبًا! أكلتُ أمس الباييلا على الشاطئ مع أصدقائي. ماذا فعلتَ أنت في عطلة نهاية الأسبوع؟",
        {
            "meaning": "هل أعجبك",
            "lemma": "gustó",
            "part_of_speech": "verb",
            "example": "Me gusta el cine.",
            "example_meaning": "أحب السينما.",
        },
    ),
}


def render(language: str, out_dir: Path) -> Path:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_interface_language(app, language)
    translation, lookup = ANSWERS[language]
    with tempfile.TemporaryDirectory() as data, OpenAITestServer() as server:
        server.enqueue(*(ScriptedReply(text=line) for line in PARTNER))
        server.enqueue_task(
            "translate", ScriptedReply(text=json.dumps({"translation": translation}))
        )
        server.enqueue_task("lookup", ScriptedReply(text=json.dumps(lookup)))
        argv = practice_argv(Path(data), server, native=language)
        options = parse_arguments(argv)
        context, _problem = build_context(options, {}, key_backend=MemoryKeyring())
        window = launch(context, options)
        window.resize(1040, 700)
        practice = window.practice
        wait_for(lambda: not practice.is_busy and bool(practice.messages))
        type_text(window.composer, LEARNER)
        QTest.keyClick(window.composer, Qt.Key.Key_Return)
        wait_for(lambda: not practice.is_busy and not is_checking(window))
        help_ = window.conversation.word_help
        help_.lookups._say = lambda _text, _code: None  # as with a voice: ▶ shown
        first = next(m for m in practice.messages if m.text == PARTNER[0])
        help_.translations.toggle(practice.session, first)
        wait_for(lambda: translation in window.chat.toPlainText())
        found = window.chat.document().find("gustó", 0, QTextDocument.FindFlag.FindCaseSensitively)
        middle = QTextCursor(found)
        middle.setPosition(found.selectionStart() + 2)
        window.chat.verticalScrollBar().setValue(0)
        QApplication.processEvents()
        point = window.chat.cursorRect(middle).center()
        QTest.mouseClick(window.chat.viewport(), Qt.MouseButton.LeftButton, pos=point)
        wait_for(lambda: help_.lookups.card is not None and bool(help_.lookups.card.meaning.text()))
        card = help_.lookups.card
        assert card is not None
        QApplication.processEvents()
        shot = window.grab()
        painter = QPainter(shot)
        where = card.pos() - window.mapToGlobal(QPoint(0, 0))
        painter.drawPixmap(where, card.grab())
        painter.end()
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"help-{language}.png"
        shot.save(str(path))
        card.close()
        window.close()
        context.tasks.wait_for_done(3000)
        context.sessions.close()
    return path


if __name__ == "__main__":
    *languages, out = sys.argv[1:]
    for code in languages:
        print(render(code, Path(out)))
