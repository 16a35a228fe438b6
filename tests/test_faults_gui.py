"""Network faults, each injected against the local test server while the real window runs.

Every row of FAULTS is one test (`test_fault_is_said_and_nothing_is_lost[<row>]`): the
learner sends a message, the fault happens, and then

* the words for the fault are in the notice bar, with Retry, and in the conversation
  under the reply where it happened;
* the learner's message is kept (on screen and in the file);
* any part of the reply that arrived is kept and marked as cut off;
* no dialog opened (pytest-qt fails the test on any exception raised in a slot);
* once the fault is gone, Retry gets a reply and the composer sends the next message.

docs/reliability.md lists the rows with what the learner sees. The rate limit has tests of
its own below (countdown, give up, Cancel), and the client alone has a few at the end.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from tests.gui_helpers import (
    conversation_text,
    practice_argv,
    session_of,
    start_app,
    type_and_send,
    wait_until_idle,
)
from tests.openai_server import OpenAITestServer, ScriptedReply
from tutor.domain.conversation import MessageState, Role
from tutor.llm.client import ChatClient, ServerConfig, Timeouts
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.factory import ClientFactory
from tutor.ui.shell.context import AppContext
from tutor.ui.shell.main_window import MainWindow

KEY = "sk-test-faults-0123456789abcdef"
LEARNER = "Mensaje que no se pierde"
MODEL = "tutor-test-small"


@dataclass
class Scene:
    server: OpenAITestServer
    window: MainWindow
    context: AppContext

    def point_at(self, base_url: str) -> None:
        """The address in use changes (a typo in Settings, the server gone, no DNS)."""
        self.context.overrides = dataclasses.replace(self.context.overrides, base_url=base_url)


def _nothing(_scene: Scene) -> None:
    pass


@dataclass(frozen=True)
class Fault:
    says: str
    """Words the learner must see, in the notice bar and in the conversation."""
    inject: Callable[[Scene], None]
    heal: Callable[[Scene], None] = _nothing
    kept: str = ""
    """The part of the reply that arrived and must be kept (marked cut off)."""


def _enqueue(*replies: ScriptedReply) -> Callable[[Scene], None]:
    return lambda scene: scene.server.enqueue(*replies)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _revoke_key(scene: Scene) -> None:
    scene.server.api_key = "sk-test-the-new-key-only-the-server-knows"


def _restore_key(scene: Scene) -> None:
    scene.server.api_key = KEY


def _nothing_listening(scene: Scene) -> None:
    scene.point_at(f"http://127.0.0.1:{_free_port()}/v1")


def _no_such_host(scene: Scene) -> None:
    scene.point_at("http://tutor-no-such-host.invalid/v1")


def _back_to_the_server(scene: Scene) -> None:
    scene.point_at(scene.server.base_url)


def _hang(scene: Scene) -> None:
    scene.context.clients.set_timeouts(Timeouts(connect=1, read=1))
    scene.server.enqueue(ScriptedReply(hang=True))


def _release(scene: Scene) -> None:
    scene.server.release_hanging()


def _rate_limit_four_times(scene: Scene) -> None:
    scene.server.enqueue(*[ScriptedReply(status=429, headers={"Retry-After": "1"})] * 4)


PARTS = ["Primera", " parte", " y", " más"]

FAULTS: dict[str, Fault] = {
    "key_refused_401": Fault("refused the API key (401)", _revoke_key, _restore_key),
    "forbidden_403": Fault(
        "no access to this (403)",
        _enqueue(ScriptedReply(status=403, error_message="Your key cannot use this model")),
    ),
    "unknown_model_404": Fault(
        f"has no model '{MODEL}'",
        _enqueue(ScriptedReply(status=404, error_message=f"The model {MODEL} does not exist")),
    ),
    "rate_limited_429_four_times": Fault("tried again 3 times and gave up", _rate_limit_four_times),
    "server_error_500": Fault(
        "server had a problem (500)", _enqueue(ScriptedReply(status=500, error_message="boom"))
    ),
    "overloaded_503": Fault("server had a problem (503)", _enqueue(ScriptedReply(status=503))),
    "nothing_listening": Fault("Nothing answers at", _nothing_listening, _back_to_the_server),
    "dns_failure": Fault(
        "tutor-no-such-host.invalid cannot be found", _no_such_host, _back_to_the_server
    ),
    "never_answers_timeout": Fault("did not answer in time", _hang, _release),
    "stream_cut_halfway": Fault(
        "connection broke", _enqueue(ScriptedReply(tokens=PARTS, cut_after=2)), kept="Primera parte"
    ),
    "malformed_sse_line": Fault(
        "in a form Tutor cannot read",
        _enqueue(ScriptedReply(tokens=PARTS, malformed_after=2)),
        kept="Primera parte",
    ),
    "finish_length": Fault(
        "length limit",
        _enqueue(ScriptedReply(text="Esta respuesta se corta en", finish_reason="length")),
        kept="Esta respuesta se corta en",
    ),
    "finish_content_filter": Fault(
        "content filter",
        _enqueue(ScriptedReply(text="No puedo seguir con", finish_reason="content_filter")),
        kept="No puedo seguir con",
    ),
    "empty_reply": Fault("empty reply", _enqueue(ScriptedReply(text=""))),
    "cut_while_thinking": Fault(
        "still thinking when it reached the length limit",
        _enqueue(ScriptedReply(text="<think>\nHmm, the learner", finish_reason="length")),
    ),
    "only_reasoning_deltas": Fault(
        "thought but wrote no answer", _enqueue(ScriptedReply(text="", reasoning="Hmm, ok."))
    ),
}


@pytest.fixture
def fast_countdown(monkeypatch):
    """A countdown second lasts 20 ms, so giving up after three waits takes no time."""
    monkeypatch.setattr("tutor.ui.chat.practice.COUNTDOWN_TICK_MS", 20)


def open_window(qtbot, server, data_dir, keyring_backend) -> Scene:
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    return Scene(server, window, context)


def no_dialog_is_open() -> None:
    assert QApplication.activeModalWidget() is None
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            assert not isinstance(widget, QMessageBox | QDialog), widget


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_said_and_nothing_is_lost(
    name, qtbot, server, data_dir, keyring_backend, fast_countdown
):
    fault = FAULTS[name]
    server.api_key = KEY
    keyring_backend.set_password("Tutor", server.base_url, KEY)
    scene = open_window(qtbot, server, data_dir, keyring_backend)
    window, context = scene.window, scene.context

    fault.inject(scene)
    type_and_send(qtbot, window, LEARNER)
    qtbot.waitUntil(
        lambda: window.notice.isVisible() and fault.says in window.notice.label.text(),
        timeout=8000,
    )
    wait_until_idle(qtbot, window)

    # Said where it happened, with Retry; no dialog; the composer is free.
    assert window.notice.retry.isVisible()
    assert fault.says in conversation_text(window)
    no_dialog_is_open()
    assert window.composer.isEnabled() and window.composer.toPlainText() == ""
    assert window.send_button.text() == "Send"

    # The learner's message is kept, on screen and on disk; so is any part of the reply.
    stored = context.sessions.messages(session_of(window).id)
    learner = [m for m in stored if m.role is Role.USER]
    assert [m.text for m in learner] == [LEARNER]
    assert LEARNER in conversation_text(window)
    reply = stored[-1]
    assert reply.role is Role.ASSISTANT and fault.says in (reply.error or "")
    if fault.kept:
        assert reply.state is MessageState.CUT_OFF
        assert reply.text == fault.kept
        assert fault.kept in conversation_text(window)
    else:
        assert reply.state is MessageState.FAILED and reply.text == ""

    # The fault goes away: Retry gets the reply, and the conversation goes on.
    fault.heal(scene)
    server.enqueue(ScriptedReply(text="Ya estoy aquí otra vez."))
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert not window.notice.isVisible()
    assert window.practice.messages[-1].text == "Ya estoy aquí otra vez."
    assert window.practice.messages[-1].state is MessageState.COMPLETE
    type_and_send(qtbot, window, "Y sigo hablando")
    wait_until_idle(qtbot, window)
    stored = context.sessions.messages(session_of(window).id)
    assert stored[-1].state is MessageState.COMPLETE
    assert stored[-1].text.startswith("Respuesta")
    assert [m.text for m in stored if m.role is Role.USER] == [LEARNER, "Y sigo hablando"]
    if fault.kept:  # the part that arrived is still there, before the new reply
        assert any(m.text == fault.kept and m.state is MessageState.CUT_OFF for m in stored)
    else:  # the failed, empty placeholder made way for the reply
        assert not any(m.state is MessageState.FAILED for m in stored)


# ------------------------------------------------------------------------ rate limit


def test_rate_limit_counts_down_then_retries_by_itself(
    qtbot, server, data_dir, keyring_backend, tmp_path
):
    scene = open_window(qtbot, server, data_dir, keyring_backend)
    window, context = scene.window, scene.context
    said: list[str] = []
    window.practice.waiting.connect(said.append)
    server.enqueue(
        ScriptedReply(status=429, headers={"Retry-After": "2"}),
        ScriptedReply(text="Perdona la espera."),
    )
    type_and_send(qtbot, window, LEARNER)
    qtbot.waitUntil(lambda: "Retrying in 2 s" in window.notice.label.text(), timeout=3000)
    assert window.notice.cancel.isVisible() and not window.notice.retry.isVisible()
    assert window.practice.is_waiting and not window.practice.is_busy
    assert "limiting requests (429)" in conversation_text(window)  # said where it happened
    # TUTOR_SHOTS=DIR keeps the picture of the countdown (docs, review by eye).
    shot = Path(os.environ.get("TUTOR_SHOTS", str(tmp_path))) / "countdown.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 0

    # Nobody clicks anything: the countdown runs down and the reply arrives.
    qtbot.waitUntil(lambda: window.practice.messages[-1].text == "Perdona la espera.", timeout=5000)
    wait_until_idle(qtbot, window)
    assert [text.split("Retrying in ")[1][:3] for text in said] == ["2 s", "1 s"]
    assert said[0] == "The server is limiting requests. Retrying in 2 s… (try 1 of 3)"
    assert not window.notice.isVisible()
    assert len(server.partner_requests()) == 3  # the opening, the 429, the retry
    stored = context.sessions.messages(session_of(window).id)
    assert [(m.role, m.state) for m in stored][-2:] == [
        (Role.USER, MessageState.COMPLETE),
        (Role.ASSISTANT, MessageState.COMPLETE),
    ]
    assert "limiting requests" not in conversation_text(window)


def test_rate_limit_gives_up_after_three_retries(
    qtbot, server, data_dir, keyring_backend, fast_countdown
):
    scene = open_window(qtbot, server, data_dir, keyring_backend)
    window = scene.window
    _rate_limit_four_times(scene)
    type_and_send(qtbot, window, LEARNER)
    qtbot.waitUntil(lambda: "gave up" in window.notice.label.text(), timeout=5000)
    assert window.notice.retry.isVisible() and not window.notice.cancel.isVisible()
    assert not window.practice.is_waiting
    assert len(server.partner_requests()) == 1 + 4
    stored = scene.context.sessions.messages(session_of(window).id)
    assert [m.state for m in stored if m.role is Role.ASSISTANT][-1] is MessageState.FAILED
    assert sum(1 for m in stored if m.state is MessageState.FAILED) == 1  # one placeholder


def test_rate_limit_without_retry_after_backs_off_and_cancel_stops_it(
    qtbot, server, data_dir, keyring_backend
):
    scene = open_window(qtbot, server, data_dir, keyring_backend)
    window = scene.window
    server.enqueue(ScriptedReply(status=429))
    type_and_send(qtbot, window, LEARNER)
    qtbot.waitUntil(lambda: "Retrying in 2 s" in window.notice.label.text(), timeout=3000)

    qtbot.mouseClick(window.notice.cancel, Qt.MouseButton.LeftButton)
    assert not window.practice.is_waiting  # the timer is stopped: no request can follow
    assert "stopped waiting" in window.notice.label.text()
    assert window.notice.retry.isVisible()
    assert len(server.partner_requests()) == 2
    qtbot.mouseClick(window.notice.retry, Qt.MouseButton.LeftButton)
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].state is MessageState.COMPLETE


def test_a_long_retry_after_is_capped_and_esc_stops_waiting(
    qtbot, server, data_dir, keyring_backend
):
    scene = open_window(qtbot, server, data_dir, keyring_backend)
    window = scene.window
    server.enqueue(ScriptedReply(status=429, headers={"Retry-After": "3600"}))
    type_and_send(qtbot, window, LEARNER)
    qtbot.waitUntil(lambda: "Retrying in 60 s" in window.notice.label.text(), timeout=3000)
    qtbot.keyClick(window.composer, Qt.Key.Key_Escape)
    assert not window.practice.is_waiting
    assert "stopped waiting" in window.notice.label.text()


def test_sending_during_the_countdown_sends_at_once(qtbot, server, data_dir, keyring_backend):
    scene = open_window(qtbot, server, data_dir, keyring_backend)
    window = scene.window
    server.enqueue(ScriptedReply(status=429, headers={"Retry-After": "30"}))
    type_and_send(qtbot, window, LEARNER)
    qtbot.waitUntil(lambda: window.practice.is_waiting, timeout=3000)
    type_and_send(qtbot, window, "Otra cosa")
    wait_until_idle(qtbot, window)
    assert not window.practice.is_waiting
    stored = scene.context.sessions.messages(session_of(window).id)
    assert [m.text for m in stored if m.role is Role.USER] == [LEARNER, "Otra cosa"]
    assert stored[-1].state is MessageState.COMPLETE
    assert not any(m.state is MessageState.FAILED for m in stored)


def test_the_coach_on_a_rate_limit_says_so_and_offers_check_again(
    qtbot, server, data_dir, keyring_backend
):
    scene = open_window(qtbot, server, data_dir, keyring_backend)
    window = scene.window
    server.enqueue_coach(ScriptedReply(status=429, headers={"Retry-After": "5"}))
    type_and_send(qtbot, window, LEARNER)
    wait_until_idle(qtbot, window)
    shown = conversation_text(window)
    assert "Not checked: The server is limiting requests (429)" in shown
    assert "Check again" in shown
    assert window.practice.messages[-1].state is MessageState.COMPLETE  # the partner answered


# ---------------------------------------------------------------- the client alone


def test_dns_failure_names_the_host():
    client = ChatClient(
        ServerConfig("http://tutor-no-such-host.invalid/v1", MODEL), Timeouts(connect=1, read=1)
    )
    with pytest.raises(LlmError) as caught:
        client.stream_reply([{"role": "user", "content": "Hola"}])
    assert caught.value.kind is ErrorKind.UNREACHABLE
    assert "tutor-no-such-host.invalid cannot be found" in caught.value.message


def test_the_factory_read_timeout_applies_to_its_clients(server):
    factory = ClientFactory()
    assert factory.timeouts.read == 120.0
    factory.set_timeouts(Timeouts(connect=1, read=0.5))
    server.enqueue(ScriptedReply(hang=True))
    started = time.monotonic()
    with pytest.raises(LlmError) as caught:
        list(factory.client(ServerConfig(server.base_url, MODEL)).stream_reply([]))
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert time.monotonic() - started < 5
    server.release_hanging()


def test_a_retry_after_date_is_read_as_seconds(server):
    when = datetime.now(UTC) + timedelta(seconds=30)
    server.enqueue(ScriptedReply(status=429, headers={"Retry-After": format_datetime(when, True)}))
    with pytest.raises(LlmError) as caught:
        ChatClient(ServerConfig(server.base_url, MODEL)).stream_reply([])
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_after is not None and 25 <= caught.value.retry_after <= 31


@pytest.mark.parametrize("reason", ["length", "content_filter"])
def test_the_client_reports_the_finish_reason(server, reason):
    server.enqueue(ScriptedReply(text="Se acaba", finish_reason=reason))
    stream = ChatClient(ServerConfig(server.base_url, MODEL)).stream_reply([])
    assert "".join(stream) == "Se acaba"
    assert stream.finish_reason == reason
