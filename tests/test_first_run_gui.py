"""A first run with what the environment gives (issue 15): Enter alone reaches a conversation.

With OPENAI_BASE_URL and OPENAI_API_KEY (or only the key, for OpenAI) and nothing saved,
the welcome loads the server's model list at once, chat models first, chooses a model, and
accepting every page with Enter opens a conversation. The look for local servers answers
within seconds and says what it found. A learner's own choice of model is never replaced.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui_helpers import conversation_text, start_app, wait_until_idle
from tests.openai_server import MIXED_MODELS, OpenAITestServer
from tests.trickling_port import TricklingPort
from tutor.domain import providers
from tutor.domain.providers import OPENAI_DEFAULT_MODEL, ProviderKind, preset
from tutor.llm.probe import FoundServer, probe_local_servers

KEY = "sk-test-first-run-0123456789"
CHAT_MODELS = ["gpt-4o-mini", "llama3.2:3b"]


@pytest.fixture(autouse=True)
def no_local_servers(monkeypatch):
    """The machine running the tests may have Ollama; the tests must not depend on it."""
    monkeypatch.setattr("tutor.ui.setup.provider_form.probe_local_servers", lambda: [])


@pytest.fixture
def mixed_server():
    with OpenAITestServer(api_key=KEY, models=MIXED_MODELS) as running:
        yield running


def openai_is(monkeypatch, server):
    """The OpenAI preset points at the test server: a test never calls the real API."""
    presets = tuple(
        replace(p, base_url=server.base_url) if p.kind is ProviderKind.OPENAI else p
        for p in providers.PRESETS
    )
    monkeypatch.setattr(providers, "PRESETS", presets)


def open_welcome(qtbot, data_dir, keyring_backend, environ):
    window, context = start_app(
        qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend, environ=environ
    )
    wizard = window.welcome
    assert wizard is not None
    qtbot.waitExposed(wizard)
    return window, context, wizard


def press_enter(qtbot, wizard):
    """Enter where the keyboard is, as a learner presses it."""
    target = QApplication.focusWidget() or wizard.focusWidget() or wizard.currentPage()
    qtbot.keyClick(target, Qt.Key.Key_Return)


def accept_every_page_with_enter(qtbot, window, wizard):
    press_enter(qtbot, wizard)
    assert wizard.currentPage().title() == "What are you learning?", (
        wizard.currentPage().error.text()
    )
    press_enter(qtbot, wizard)
    assert not wizard.isVisible(), wizard.currentPage().error.text()
    wait_until_idle(qtbot, window)
    assert conversation_text(window).strip()  # the partner's opening line


def wait_for_list(qtbot, form):
    qtbot.waitUntil(lambda: bool(form.model.listed()), timeout=5000)


def models_asked(server):
    return [r for r in server.requests if r.path.endswith("/models")]


def test_the_environments_address_and_key_reach_a_conversation_with_enter_alone(
    qtbot, mixed_server, data_dir, keyring_backend
):
    environ = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": mixed_server.base_url}
    window, context, wizard = open_welcome(qtbot, data_dir, keyring_backend, environ)
    form = wizard.provider_form
    assert not form.found.isVisible()  # no look for local servers: the address is given

    wait_for_list(qtbot, form)  # nothing typed, nothing pressed
    assert form.model.listed()[:2] == CHAT_MODELS
    assert form.model.itemText(2) == ""  # the separator before the other models
    assert sorted(form.model.listed()[2:]) == sorted(set(MIXED_MODELS) - set(CHAT_MODELS))
    assert form.model.currentText() == OPENAI_DEFAULT_MODEL

    accept_every_page_with_enter(qtbot, window, wizard)
    request = mixed_server.partner_records()[-1]
    assert request.body["model"] == OPENAI_DEFAULT_MODEL
    assert request.headers["authorization"] == f"Bearer {KEY}"
    saved = json.loads(context.paths.settings.read_text())
    assert saved["provider"]["base_url"] == mixed_server.base_url
    assert saved["provider"]["model"] == OPENAI_DEFAULT_MODEL


def test_a_server_that_lists_one_model_has_it_chosen(qtbot, data_dir, keyring_backend):
    with OpenAITestServer(models=["qwen2.5:0.5b"]) as only_one:
        environ = {"OPENAI_BASE_URL": only_one.base_url}
        window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend, environ)
        form = wizard.provider_form
        qtbot.waitUntil(lambda: form.model.currentText() == "qwen2.5:0.5b", timeout=5000)
        accept_every_page_with_enter(qtbot, window, wizard)
        assert only_one.partner_requests()[-1]["model"] == "qwen2.5:0.5b"


def test_the_first_chat_model_is_chosen_never_an_embedding(qtbot, data_dir, keyring_backend):
    models = ["all-minilm:l6-v2", "nomic-embed-text:latest", "qwen3:8b", "whisper-1"]
    with OpenAITestServer(models=models) as local:
        environ = {"OPENAI_BASE_URL": local.base_url}
        _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend, environ)
        form = wizard.provider_form
        wait_for_list(qtbot, form)
        assert form.model.currentText() == "qwen3:8b"
        assert form.model.listed()[0] == "qwen3:8b"


def test_only_the_openai_key_gives_openai_with_its_default_model(
    qtbot, mixed_server, data_dir, keyring_backend, monkeypatch
):
    openai_is(monkeypatch, mixed_server)
    window, _context, wizard = open_welcome(
        qtbot, data_dir, keyring_backend, {"OPENAI_API_KEY": KEY}
    )
    form = wizard.provider_form
    assert form.current_kind() is ProviderKind.OPENAI
    assert form.api_key.text() == KEY
    assert form.model.currentText() == OPENAI_DEFAULT_MODEL  # before any list arrives

    wait_for_list(qtbot, form)  # OpenAI's list, loaded with the key from the environment
    assert form.model.listed()[:2] == CHAT_MODELS
    assert form.model.currentText() == OPENAI_DEFAULT_MODEL
    accept_every_page_with_enter(qtbot, window, wizard)
    assert mixed_server.partner_requests()[-1]["model"] == OPENAI_DEFAULT_MODEL


def test_openai_keeps_its_default_model_when_its_list_cannot_be_had(
    qtbot, mixed_server, data_dir, keyring_backend, monkeypatch
):
    openai_is(monkeypatch, mixed_server)
    mixed_server.models_status = 500
    window, _context, wizard = open_welcome(
        qtbot, data_dir, keyring_backend, {"OPENAI_API_KEY": KEY}
    )
    form = wizard.provider_form
    qtbot.waitUntil(
        lambda: bool(models_asked(mixed_server)) and form.refresh_models.isEnabled(),
        timeout=5000,
    )
    assert form.model.currentText() == OPENAI_DEFAULT_MODEL
    assert form.result.text() == ""  # quiet: the learner pressed nothing
    accept_every_page_with_enter(qtbot, window, wizard)


def test_the_look_for_local_servers_answers_while_a_slow_port_still_sends(
    qtbot, server, data_dir, keyring_backend, monkeypatch
):
    ollama = replace(preset(ProviderKind.OLLAMA), base_url=server.base_url)
    with TricklingPort() as slow:
        llama_cpp = replace(preset(ProviderKind.LLAMA_CPP), base_url=slow.base_url)
        monkeypatch.setattr(
            "tutor.ui.setup.provider_form.probe_local_servers",
            lambda: probe_local_servers([ollama, llama_cpp]),
        )
        _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend, {})
        form = wizard.provider_form
        qtbot.waitUntil(lambda: "Found on this computer" in form.found.text(), timeout=5000)
        assert not slow.finished.is_set()  # the welcome did not wait for the slow port
    assert form.found.text() == "Found on this computer: Ollama (2 models)."
    assert form.current_kind() is ProviderKind.OLLAMA
    assert form.model.currentText() == "tutor-test-large"


def test_the_look_for_local_servers_says_when_it_found_nothing(qtbot, data_dir, keyring_backend):
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend, {})
    form = wizard.provider_form
    qtbot.waitUntil(lambda: "No model server answers" in form.found.text(), timeout=5000)
    assert form.current_kind() is ProviderKind.OPENAI


def test_an_openai_key_keeps_openai_when_a_local_server_is_found(
    qtbot, mixed_server, data_dir, keyring_backend, monkeypatch
):
    openai_is(monkeypatch, mixed_server)
    ollama = preset(ProviderKind.OLLAMA)
    monkeypatch.setattr(
        "tutor.ui.setup.provider_form.probe_local_servers",
        lambda: [FoundServer(ollama, ("llama3.2:3b",))],
    )
    _window, _context, wizard = open_welcome(
        qtbot, data_dir, keyring_backend, {"OPENAI_API_KEY": KEY}
    )
    form = wizard.provider_form
    qtbot.waitUntil(lambda: "Found on this computer" in form.found.text(), timeout=5000)
    assert "Ollama (1 model)" in form.found.text()
    assert "Choose it under Provider" in form.found.text()
    assert form.current_kind() is ProviderKind.OPENAI
    assert form.model.currentText() == OPENAI_DEFAULT_MODEL


def test_another_provider_replaces_tutors_default_but_never_the_learners_model(
    qtbot, data_dir, keyring_backend
):
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend, {})
    form = wizard.provider_form
    assert form.current_kind() is ProviderKind.OPENAI
    assert form.model.currentText() == OPENAI_DEFAULT_MODEL

    form.kind.setCurrentIndex(form.kind.findData(ProviderKind.OLLAMA.value))
    assert form.model.currentText() == ""  # OpenAI's model is no model for Ollama
    form.model.lineEdit().setFocus()
    qtbot.keyClicks(form.model.lineEdit(), "my-model")
    form.kind.setCurrentIndex(form.kind.findData(ProviderKind.LM_STUDIO.value))
    assert form.model.currentText() == "my-model"
    form.kind.setCurrentIndex(form.kind.findData(ProviderKind.OPENAI.value))
    assert form.model.currentText() == "my-model"


def test_enter_while_the_list_is_on_its_way_says_so(qtbot, data_dir, keyring_backend):
    with TricklingPort() as slow:
        environ = {"OPENAI_BASE_URL": slow.base_url}
        _window, context, wizard = open_welcome(qtbot, data_dir, keyring_backend, environ)
        qtbot.waitUntil(slow.asked.is_set, timeout=5000)
        press_enter(qtbot, wizard)
        page = wizard.currentPage()
        assert wizard.currentId() == wizard.startId()
        assert "Model: The server's model list is still loading" in page.error.text()
    context.tasks.wait_for_done(5000)
