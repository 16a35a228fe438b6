"""First start: the welcome wizard, with good and bad input on every field."""

from __future__ import annotations

import json
import socket

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from tests.gui_helpers import conversation_text, start_app, type_text, wait_until_idle
from tests.memory_keyring import NoKeyring
from tests.openai_server import OpenAITestServer
from tutor.domain.providers import ProviderKind, preset
from tutor.llm.probe import FoundServer

KEY = "sk-test-wizard-0123456789abcdef"


@pytest.fixture
def keyed_server():
    with OpenAITestServer(api_key=KEY) as running:
        yield running


@pytest.fixture(autouse=True)
def no_local_servers(monkeypatch):
    """The machine running the tests may have Ollama; the tests must not depend on it."""
    monkeypatch.setattr("tutor.ui.setup.provider_form.probe_local_servers", lambda: [])


def open_welcome(qtbot, data_dir, keyring_backend, environ=None):
    window, context = start_app(
        qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend, environ=environ
    )
    wizard = window.welcome
    assert wizard is not None
    qtbot.waitExposed(wizard)
    return window, context, wizard


def replace_text(qtbot, line_edit, text):
    line_edit.selectAll()
    qtbot.keyClick(line_edit, Qt.Key.Key_Delete)
    type_text(line_edit, text)


def fill_provider(qtbot, form, *, kind=ProviderKind.CUSTOM, url="", key="", model=""):
    form.kind.setCurrentIndex(form.kind.findData(kind.value))
    replace_text(qtbot, form.base_url, url)
    replace_text(qtbot, form.api_key, key)
    replace_text(qtbot, form.model.lineEdit(), model)


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_radio(qtbot, radio):
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(10, radio.height() // 2))


def next_page(qtbot, wizard):
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_first_start_sets_up_and_the_partner_opens(qtbot, keyed_server, data_dir, keyring_backend):
    window, context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    form = wizard.provider_form
    fill_provider(qtbot, form, url=keyed_server.base_url, key=KEY)

    click(qtbot, form.refresh_models)
    qtbot.waitUntil(lambda: form.model.count() == 2, timeout=5000)
    assert [form.model.itemText(i) for i in range(2)] == ["tutor-test-large", "tutor-test-small"]
    form.model.setCurrentIndex(1)

    click(qtbot, form.test_button)
    qtbot.waitUntil(lambda: form.result.text().startswith("✓"), timeout=5000)
    assert "tutor-test-small" in form.result.text()

    next_page(qtbot, wizard)
    learner = wizard.learner_form
    assert wizard.currentPage().title() == "What are you learning?"
    learner.target.setCurrentIndex(learner.target.findData("ja"))
    click_radio(qtbot, learner.levels.button(2))  # B1
    learner.native.setCurrentIndex(learner.native.findData("en"))
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))

    wait_until_idle(qtbot, window)
    session = window.practice.session
    assert (session.target_language, session.level.value, session.native_language) == (
        "ja",
        "B1",
        "en",
    )
    assert "Japanese" in session.system_message
    assert conversation_text(window).strip()
    assert keyed_server.partner_requests()[-1]["model"] == "tutor-test-small"

    saved = json.loads(context.paths.settings.read_text())
    assert saved["version"] == 1
    assert saved["provider"] == {
        "kind": "custom",
        "base_url": keyed_server.base_url,
        "model": "tutor-test-small",
    }
    assert saved["learner"] == {"target_language": "ja", "level": "B1", "native_language": "en"}
    assert keyring_backend.get_password("Tutor", keyed_server.base_url) == KEY
    window.close()
    context.tasks.wait_for_done(3000)
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), f"the key leaked into {path}"


@pytest.mark.parametrize(
    ("kind", "url", "key", "model", "expected"),
    [
        (ProviderKind.CUSTOM, "", "", "m", "Server address: Enter the server's address"),
        (ProviderKind.CUSTOM, "ftp://example.com/v1", "", "m", "must start with http://"),
        (ProviderKind.CUSTOM, "http://exa mple.com/v1", "", "m", "cannot contain spaces"),
        (ProviderKind.CUSTOM, "http://", "", "m", "needs a host name"),
        (ProviderKind.CUSTOM, "http://localhost:99999/v1", "", "m", "not a number between"),
        (
            ProviderKind.OPENAI,
            "https://api.openai.com/v1",
            "",
            "gpt-x",
            "API key: This server needs",
        ),
        (ProviderKind.CUSTOM, "http://localhost:1/v1", "sk-a b", "m", "API key: An API key has no"),
        (ProviderKind.CUSTOM, "http://localhost:1/v1", "", "", "Model: Choose or type a model"),
    ],
)
def test_bad_provider_input_is_named_and_keeps_the_page(
    qtbot, data_dir, keyring_backend, kind, url, key, model, expected
):
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    fill_provider(qtbot, wizard.provider_form, kind=kind, url=url, key=key, model=model)
    next_page(qtbot, wizard)
    page = wizard.currentPage()
    assert wizard.currentId() == wizard.startId()
    assert page.error.isVisible()
    assert expected in page.error.text()


def test_test_connection_says_what_is_wrong(qtbot, keyed_server, data_dir, keyring_backend):
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    form = wizard.provider_form

    def verdict(url, key, model):
        fill_provider(qtbot, form, url=url, key=key, model=model)
        click(qtbot, form.test_button)
        qtbot.waitUntil(lambda: form.result.text()[:1] in ("✓", "✗"), timeout=8000)
        return form.result.text()

    assert "refused the API key (401)" in verdict(keyed_server.base_url, "sk-wrong-key-000", "m")
    dead = f"http://127.0.0.1:{free_port()}/v1"
    assert f"Nothing answers at {dead}" in verdict(dead, "", "m")
    wrong_path = keyed_server.base_url.replace("/v1", "/api")
    assert "no such path (404)" in verdict(wrong_path, KEY, "tutor-test-small")
    unknown = verdict(keyed_server.base_url, KEY, "nope")
    assert "no model 'nope'" in unknown and "tutor-test-large, tutor-test-small" in unknown
    assert verdict(keyed_server.base_url, KEY, "tutor-test-large").startswith("✓ Connected")


def test_same_language_twice_is_refused(qtbot, server, data_dir, keyring_backend):
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    fill_provider(qtbot, wizard.provider_form, url=server.base_url, model="tutor-test-small")
    next_page(qtbot, wizard)
    learner = wizard.learner_form
    learner.target.setCurrentIndex(learner.target.findData("fr"))
    learner.native.setCurrentIndex(learner.native.findData("fr"))
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.isVisible()
    assert "same" in wizard.currentPage().error.text()


def test_cancelling_the_welcome_leaves_a_usable_window(qtbot, data_dir, keyring_backend):
    window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    click(qtbot, wizard.button(QWizard.WizardButton.CancelButton))
    assert not wizard.isVisible()
    assert "Settings" in window.notice.label.text()
    assert not window.composer.isEnabled()


def test_local_servers_found_are_offered(qtbot, data_dir, keyring_backend, monkeypatch):
    ollama = preset(ProviderKind.OLLAMA)
    monkeypatch.setattr(
        "tutor.ui.setup.provider_form.probe_local_servers",
        lambda: [FoundServer(ollama, ("llama3.2:3b", "qwen2.5:7b"))],
    )
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    form = wizard.provider_form
    qtbot.waitUntil(lambda: "Found on this computer" in form.found.text(), timeout=3000)
    assert "Ollama (2 models)" in form.found.text()
    assert form.current_kind() is ProviderKind.OLLAMA
    assert form.base_url.text() == "http://localhost:11434/v1"
    assert form.model.currentText() == "llama3.2:3b"


def test_without_a_keyring_the_key_is_kept_for_this_run_only(qtbot, keyed_server, data_dir):
    window, context, wizard = open_welcome(qtbot, data_dir, NoKeyring())
    fill_provider(
        qtbot, wizard.provider_form, url=keyed_server.base_url, key=KEY, model="tutor-test-small"
    )
    next_page(qtbot, wizard)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    wait_until_idle(qtbot, window)
    assert "this run only" in window.notice.label.text()
    assert window.practice.messages[-1].text  # the key worked for this run
    assert KEY not in context.paths.settings.read_text()


def test_environment_key_and_address_skip_nothing_but_fill_the_form(
    qtbot, keyed_server, data_dir, keyring_backend
):
    environ = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": keyed_server.base_url}
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend, environ)
    form = wizard.provider_form
    assert form.base_url.text() == keyed_server.base_url
    assert form.api_key.text() == KEY


def test_environment_wins_over_saved_settings(qtbot, keyed_server, data_dir, keyring_backend):
    (data_dir / "settings.json").write_text(
        json.dumps(
            {
                "version": 1,
                "provider": {
                    "kind": "custom",
                    "base_url": "http://127.0.0.1:9/v1",
                    "model": "tutor-test-small",
                },
                "learner": {"target_language": "de", "level": "A1", "native_language": "en"},
            }
        )
    )
    environ = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": keyed_server.base_url}
    window, _context = start_app(
        qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend, environ=environ
    )
    assert window.welcome is None
    wait_until_idle(qtbot, window)
    assert window.practice.messages[-1].text
    request = keyed_server.requests[-1]
    assert request.headers["authorization"] == f"Bearer {KEY}"


def test_model_list_fills_in_after_typing_the_address(qtbot, server, data_dir, keyring_backend):
    _window, _context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    form = wizard.provider_form
    form.kind.setCurrentIndex(form.kind.findData(ProviderKind.CUSTOM.value))
    replace_text(qtbot, form.base_url, server.base_url)
    qtbot.waitUntil(lambda: form.model.count() == 2, timeout=5000)
    assert form.model.currentText() == "tutor-test-large"
    assert form.result.text() == ""  # quiet: the result line is for the learner's own tests


def test_a_welcome_that_cannot_save_says_why_and_keeps_every_choice(
    qtbot, keyed_server, data_dir, keyring_backend, monkeypatch
):
    import errno

    window, context, wizard = open_welcome(qtbot, data_dir, keyring_backend)
    fill_provider(
        qtbot, wizard.provider_form, url=keyed_server.base_url, key=KEY, model="tutor-test-small"
    )
    next_page(qtbot, wizard)

    def read_only(settings):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(context.settings_file, "save", read_only)
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))

    assert wizard.isVisible() and wizard.currentPage().form is wizard.learner_form
    said = wizard.currentPage().error.text()
    assert "Your settings could not be saved (Read-only file system)" in said
    assert not context.paths.settings.exists() and keyring_backend.passwords == {}
    monkeypatch.undo()
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    wait_until_idle(qtbot, window)
    assert window.practice.messages and context.paths.settings.exists()
