"""Start Tutor's real window in a test, and read what a learner sees."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pytestqt.qtbot import QtBot

from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.domain.conversation import MessageState
from tutor.domain.corrections import CorrectionState
from tutor.domain.session import PracticeSession
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.main_window import MainWindow


def start_app(
    qtbot: QtBot,
    argv: Sequence[str],
    *,
    key_backend: Any,
    environ: Mapping[str, str] | None = None,
) -> tuple[MainWindow, AppContext]:
    options = parse_arguments(list(argv))
    context, problem = build_context(options, environ or {}, key_backend=key_backend)
    window = launch(context, options, problem)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window, context


def open_practice(
    qtbot: QtBot,
    server: Any,
    data_dir: Any,
    keyring_backend: Any,
    *extra: str,
    language: str = "es",
    native: str = "en",
) -> tuple[MainWindow, AppContext]:
    """Tutor on a free conversation with the test server, its opening reply done."""
    argv = practice_argv(data_dir, server, *extra, language=language, native=native)
    window, context = start_app(qtbot, argv, key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    return window, context


def is_checking(window: MainWindow) -> bool:
    """A learner message of the open session is still being checked by the coach."""
    return any(
        m.correction is not None and m.correction.state is CorrectionState.CHECKING
        for m in window.practice.messages
    )


def close_app(qtbot: QtBot, window: MainWindow, context: AppContext) -> None:
    window.close()
    context.tasks.wait_for_done(5000)
    # The app closes its database once the event loop has ended; here the loop goes on,
    # and a change published late (a zero timer of Turns) must not refresh a view from
    # the closed file.
    context.relay.blockSignals(True)
    context.sessions.close()  # a second launch opens the file again


def wait_until_idle(qtbot: QtBot, window: MainWindow, timeout: int = 15000) -> None:
    """Until no reply is streaming, no learner message is being checked and no reply's
    fit to the level is being measured. Returns as soon as it is so: the long timeout is
    for a loaded machine (CI's two cores), where loading a word list can take seconds."""

    def idle() -> None:
        assert not window.practice.is_busy
        messages = window.practice.messages
        assert messages and messages[-1].state is not MessageState.STREAMING
        assert not is_checking(window)
        assert not window.conversation.level_fit.pending

    qtbot.waitUntil(idle, timeout=timeout)


def conversation_text(window: MainWindow) -> str:
    return window.chat.toPlainText()


def type_text(widget: Any, text: str) -> None:
    """Type like a keyboard does, any script included.

    QTest.keyClicks asserts on characters outside ASCII, so each character is sent as a
    key press and release carrying its text, as a keyboard layout or input method does.
    """
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            key = Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def session_of(window: MainWindow) -> PracticeSession:
    session = window.practice.session
    assert session is not None, "no session is open"
    return session


def practice_argv(
    data_dir: Any, server: Any, *extra: str, language: str = "es", native: str = "en"
) -> list[str]:
    """Arguments that open a practice session straight away against the test server."""
    return [
        "--data-dir",
        str(data_dir),
        "--language",
        language,
        "--native",
        native,
        "--level",
        "A2",
        "--base-url",
        server.base_url,
        "--model",
        "tutor-test-small",
        *extra,
    ]


def type_and_send(qtbot: QtBot, window: MainWindow, text: str) -> None:
    from PySide6.QtCore import Qt

    window.composer.setFocus()
    type_text(window.composer, text)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
