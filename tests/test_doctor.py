"""`tutor doctor`: everything a bug report needs, and never the key."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.memory_keyring import MemoryKeyring, NoKeyring
from tests.openai_server import OpenAITestServer
from tutor.cli.arguments import parse_arguments
from tutor.cli.doctor import report
from tutor.domain.conversation import Role
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.providers import ProviderKind
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.domain.settings import ProviderSettings, Settings
from tutor.store.database import open_database
from tutor.store.migrations import MIGRATIONS
from tutor.store.secrets import KeyStore
from tutor.store.sessions import SessionStore
from tutor.store.settings_file import SettingsFile

ENV_KEY = "sk-env-DoctorMustNeverPrintThis-7Qx2Lp9W"
KEYRING_KEY = "sk-ring-AlsoNeverPrinted-Kd83Jf0Zb4"


def _line(output: str, label: str) -> str:
    """The value printed for `label` (the first line that has it)."""
    for line in output.splitlines():
        if line.strip().startswith(f"{label}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no {label!r} line in:\n{output}")


def _data_with_a_session(data: Path, base_url: str) -> None:
    connection = open_database(data / "tutor.sqlite3")
    store = SessionStore(connection)
    session = store.create_session(
        LearnerProfile("es", Level.A2, "en"),
        FREE_CONVERSATION,
        base_url=base_url,
        model="tutor-test-small",
        system_message="s",
    )
    store.add_message(session.id, Role.USER, "Hola")
    store.add_message(session.id, Role.ASSISTANT, "¡Hola! ¿Qué tal?")
    connection.close()
    SettingsFile(data / "settings.json").save(
        Settings(
            provider=ProviderSettings(ProviderKind.CUSTOM, base_url, "tutor-test-small"),
            learner=LearnerProfile("es", Level.A2, "en"),
        )
    )


def _run(data: Path, environ: dict[str, str], backend: object, *argv: str) -> str:
    out = io.StringIO()
    options = parse_arguments([*argv, "doctor", "--data-dir", str(data)])
    assert report(options, out, environ=environ, key_backend=backend, timeout=2.0) == 0
    return out.getvalue()


def _assert_no_key(output: str, *keys: str) -> None:
    for key in keys:
        assert key not in output
        assert key[-8:] not in output  # not even the tail OpenAI's own errors quote
        assert key[:12] not in output


@pytest.fixture
def keyed_server():
    with OpenAITestServer(api_key=ENV_KEY) as running:
        yield running


def test_report_lists_versions_paths_database_keyring_and_models_without_the_key(
    tmp_path, keyed_server
):
    data = tmp_path / "data"
    data.mkdir()
    _data_with_a_session(data, keyed_server.base_url)
    keyring = MemoryKeyring()
    KeyStore(keyring).save(keyed_server.base_url, KEYRING_KEY)

    output = _run(data, {"OPENAI_API_KEY": ENV_KEY}, keyring)

    _assert_no_key(output, ENV_KEY, KEYRING_KEY)
    for label in ("Tutor", "Python", "PySide6", "openai", "keyring", "fsrs", "genanki", "OS"):
        assert _line(output, label), label
    assert "Qt 6." in _line(output, "PySide6")
    assert _line(output, "data") == f"{data} (exists, folder, writable)"
    assert _line(output, "database").startswith(f"{data / 'tutor.sqlite3'} (exists, ")
    assert _line(output, "your scenarios").endswith("(missing)")
    assert _line(output, "settings file") == "readable"
    assert _line(output, "schema version") == f"{len(MIGRATIONS)}, current"
    assert _line(output, "integrity").startswith("ok (quick_check, ")
    assert _line(output, "sessions") == "1"
    assert _line(output, "messages") == "2"
    assert _line(output, "backend") == "tests.memory_keyring.MemoryKeyring"
    assert _line(output, "works") == "yes"
    assert _line(output, "key stored") == f"yes, for {keyed_server.base_url}"
    assert _line(output, "OPENAI_API_KEY").startswith("set")
    assert _line(output, "address") == f"{keyed_server.base_url} (from settings)"
    assert _line(output, "model") == "tutor-test-small (from settings)"
    assert _line(output, "answers").startswith("yes, in ")
    assert _line(output, "models") == "tutor-test-large, tutor-test-small"
    assert _line(output, "model available") == "yes"
    # The server required the key, and got it: the environment's, as Tutor would send.
    (models_request,) = [r for r in keyed_server.requests if r.path == "/v1/models"]
    assert models_request.headers["authorization"] == f"Bearer {ENV_KEY}"


def test_the_keyring_key_is_used_when_the_environment_has_none(tmp_path):
    with OpenAITestServer(api_key=KEYRING_KEY, models=("only-this",)) as server:
        data = tmp_path / "data"
        data.mkdir()
        _data_with_a_session(data, server.base_url)
        keyring = MemoryKeyring()
        KeyStore(keyring).save(server.base_url, KEYRING_KEY)
        output = _run(data, {}, keyring)
    _assert_no_key(output, KEYRING_KEY)
    assert _line(output, "OPENAI_API_KEY") == "not set"
    assert _line(output, "models") == "only-this"
    assert _line(output, "model available") == "NO: the server does not list it"


def test_a_refused_key_is_reported_without_being_shown(tmp_path, keyed_server):
    data = tmp_path / "data"
    data.mkdir()
    _data_with_a_session(data, keyed_server.base_url)
    wrong = "sk-wrong-ButStillSecret-Mm41Qa7Vz0"
    output = _run(data, {"OPENAI_API_KEY": wrong}, MemoryKeyring())
    _assert_no_key(output, wrong, ENV_KEY)
    assert _line(output, "answers").startswith("no: ")
    assert _line(output, "key stored") == f"no, for {keyed_server.base_url}"


def test_server_down_no_keyring_and_environment_override_still_exit_0(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _data_with_a_session(data, "http://127.0.0.1:9/v1")
    with OpenAITestServer() as stopped:
        down = stopped.base_url  # a port that was just freed: nothing listens there
    output = _run(data, {"OPENAI_BASE_URL": down}, NoKeyring())
    assert _line(output, "address") == f"{down} (from OPENAI_BASE_URL)"
    assert _line(output, "settings say") == "http://127.0.0.1:9/v1"
    assert _line(output, "works").startswith("no (NoKeyringError")
    assert _line(output, "key stored").startswith("unknown")
    assert _line(output, "answers").startswith("no: ")
    assert "models:" not in output


def test_nothing_is_created_or_changed(tmp_path):
    """A doctor only looks: no database made, an unreadable settings file left in place."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_bytes(b"\x00\xffnot json")
    output = _run(data, {}, MemoryKeyring())
    assert sorted(p.name for p in data.iterdir()) == ["settings.json"]
    assert (data / "settings.json").read_bytes() == b"\x00\xffnot json"
    assert _line(output, "settings file").startswith("unreadable: ")
    assert _line(output, "file") == "none yet (Tutor makes it on first start)"
    assert _line(output, "address") == "not set up yet (the welcome asks for it)"


def test_a_damaged_or_newer_database_is_described(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    database = data / "tutor.sqlite3"
    database.write_bytes(os.urandom(8192))
    assert _line(_run(data, {}, MemoryKeyring()), "file").startswith("DAMAGED, cannot be read")

    database.unlink()
    with sqlite3.connect(database) as connection:
        connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 3}")
    connection.close()
    before = database.read_bytes()
    output = _run(data, {}, MemoryKeyring())
    assert _line(output, "schema version").startswith(f"{len(MIGRATIONS) + 3}, from a newer")
    assert database.read_bytes() == before


def test_tutor_doctor_runs_as_a_command(tmp_path, server):
    """The real command: exit 0, a report, no traceback, the key absent."""
    data = tmp_path / "data"
    data.mkdir()
    _data_with_a_session(data, server.base_url)
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "doctor", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "OPENAI_API_KEY": ENV_KEY,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    _assert_no_key(result.stdout + result.stderr, ENV_KEY)
    assert _line(result.stdout, "models") == "tutor-test-large, tutor-test-small"


@pytest.mark.parametrize(
    ("sources", "key_from"),
    [
        (("flag",), "environment"),
        (("flag",), "keyring"),
        (("environment", "settings"), "keyring"),
        (("settings",), "environment"),
        (("settings",), "keyring"),
        (("flag", "environment", "settings"), "environment"),
        (("flag", "environment", "settings"), "keyring"),
    ],
)
def test_doctor_and_the_window_agree_on_the_server(tmp_path, sources, key_from):
    """Three servers, one per place an address can come from, each wanting the key: the
    doctor reaches the one the window would talk to, with the key the window would send."""
    from tutor.app import build_context

    key = "sk-right-KeyForTheServerInUse-Pq82Zw1"
    keyring = MemoryKeyring()
    with (
        OpenAITestServer(api_key=key) as by_flag,
        OpenAITestServer(api_key=key) as by_environment,
        OpenAITestServer(api_key=key) as by_settings,
    ):
        servers = {"flag": by_flag, "environment": by_environment, "settings": by_settings}
        data = tmp_path / "data"
        data.mkdir()
        if "settings" in sources:
            _data_with_a_session(data, by_settings.base_url)
        argv = []
        if "flag" in sources:
            argv = ["--base-url", by_flag.base_url, "--model", "tutor-test-large"]
        environ = {}
        if "environment" in sources:
            environ["OPENAI_BASE_URL"] = by_environment.base_url
        chosen = servers[sources[0]]
        for running in servers.values():  # a wrong key everywhere the right one is not
            KeyStore(keyring).save(running.base_url, "sk-wrong-NotForThisServer-Hh3")
        if key_from == "environment":
            environ["OPENAI_API_KEY"] = key
        else:
            KeyStore(keyring).save(chosen.base_url, key)

        output = _run(data, environ, keyring, *argv)
        options = parse_arguments([*argv, "--data-dir", str(data)])
        context, _problem = build_context(options, environ, key_backend=keyring)
        try:
            window_config = context.server_config()
        finally:
            context.sessions.close()

    assert window_config is not None
    model = "tutor-test-large" if "flag" in sources else "tutor-test-small"
    assert (window_config.base_url, window_config.model) == (chosen.base_url, model)
    assert window_config.api_key == key
    source = {"flag": "--base-url", "environment": "OPENAI_BASE_URL"}.get(sources[0])
    assert _line(output, "address") == f"{chosen.base_url} (from {source or 'settings'})"
    model_from = "--model" if "flag" in sources else "settings"
    assert _line(output, "model") == f"{model} (from {model_from})"
    assert _line(output, "answers").startswith("yes")  # so the doctor sent the right key
    _assert_no_key(output, key)
    assert [r.path for r in chosen.requests] == ["/v1/models"]
    assert all(not other.requests for other in servers.values() if other is not chosen)
