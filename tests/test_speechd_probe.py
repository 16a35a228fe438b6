"""Before Qt's speechd engine is made (its constructor holds Python's lock and never
returns from a dispatcher that does not answer), speech-dispatcher is asked, in plain
Python, with a timeout (tutor/ui/voice/speechd_probe.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.speech_dispatcher import SpeechDispatcher
from tutor.ui.voice import speechd_probe
from tutor.ui.voice.speechd_probe import speechd_problem
from tutor.ui.voice.system_voice import SystemVoice


def dispatcher(path: Path, answer: bytes | None) -> Iterator[None]:
    """A unix socket that answers SSIP's first command with `answer` (None: never)."""
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen()
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(256)
                if answer is not None:
                    connection.sendall(answer)
                stop.wait(5)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def short(tmp_path: Path) -> Path:
    assert len(str(tmp_path)) < 90  # a unix socket's path has at most 107 bytes
    return tmp_path


def test_a_dispatcher_that_answers_is_used(short: Path) -> None:
    path = short / "speechd.sock"
    for _ in dispatcher(path, b"208 OK CLIENT NAME SET\r\n"):
        assert speechd_problem({"SPEECHD_ADDRESS": f"unix_socket:{path}"}) == ""


def test_a_dispatcher_that_never_answers_is_said_in_time(
    short: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(speechd_probe, "ANSWER_TIMEOUT_S", 0.3)
    path = short / "speechd.sock"
    for _ in dispatcher(path, None):
        started = time.monotonic()
        assert speechd_problem({"SPEECHD_ADDRESS": f"unix_socket:{path}"}) == (
            "speech-dispatcher does not answer"
        )
        assert time.monotonic() - started < 2


def test_nothing_at_the_address_and_no_program(short: Path, monkeypatch) -> None:
    assert speechd_problem({"SPEECHD_ADDRESS": f"unix_socket:{short}/none.sock"}) == (
        f"nothing listens at {short}/none.sock"
    )
    monkeypatch.setattr(speechd_probe.shutil, "which", lambda _name: None)
    assert speechd_problem({"XDG_RUNTIME_DIR": str(short)}) == (
        "speech-dispatcher is not installed"
    )


def test_an_engine_that_would_hang_is_not_made_and_says_why(qtbot: QtBot) -> None:
    voice = SystemVoice("mock", check=lambda: "speech-dispatcher does not answer")
    try:
        with qtbot.waitSignal(voice.failed) as failed:
            voice.say("Hei.", "fi", "", 1.0)
        assert "speech-dispatcher does not answer" in failed.args[0]
        assert "speech engine does not work" in failed.args[0]
        assert voice.problem("fi") == failed.args[0]
    finally:
        voice.shutdown()


def test_the_real_engine_through_the_probe_lists_voices_and_speaks(
    qtbot: QtBot, speech_dispatcher: SpeechDispatcher
) -> None:
    """A private speech-dispatcher with espeak-ng (tests/speech_dispatcher.py): the probe
    finds it answering, the engine is made on its thread and says a Spanish sentence."""
    voice = SystemVoice("speechd")
    try:
        heard: list[str] = []
        voice.started.connect(lambda: heard.append("started"))
        voice.failed.connect(lambda words: heard.append(words))
        with qtbot.waitSignal(voice.finished, timeout=15_000):
            voice.say("Hola, ¿cómo estás?", "es", "", 0.75)
        assert heard == ["started"], speech_dispatcher.log()
        assert voice.voices("es") and voice.voices("ja") and voice.voices("ko")
        assert {locale.split("_")[0] for _name, locale in voice.voices("es")} == {"es"}
        assert voice.problem("es") == ""
    finally:
        voice.shutdown()
