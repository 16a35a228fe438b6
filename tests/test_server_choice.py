"""Which server Tutor talks to (tutor/services/server.py): flags beat the environment,
which beats the settings; the environment's key beats the keyring's. No Qt here: the
window (AppContext) and `tutor doctor` both ask these functions (tests/test_doctor.py
checks that the two agree on a real data folder)."""

from __future__ import annotations

import pytest

from tests.memory_keyring import MemoryKeyring
from tutor.domain.providers import ProviderKind
from tutor.domain.settings import ProviderSettings, Settings
from tutor.llm.client import ServerConfig
from tutor.services import server
from tutor.services.server import Overrides
from tutor.store.secrets import KeyStore

FLAG_URL = "http://127.0.0.1:8001/v1"
ENV_URL = "http://127.0.0.1:8002/v1"
SETTINGS_URL = "http://127.0.0.1:8003/v1"
SAVED = Settings(provider=ProviderSettings(ProviderKind.CUSTOM, SETTINGS_URL, "saved-model"))


def _overrides(flags: dict[str, str], environ: dict[str, str]) -> Overrides:
    return Overrides.from_environment(
        environ, base_url=flags.get("base_url"), model=flags.get("model")
    )


@pytest.mark.parametrize(
    ("flags", "environ", "settings", "base_url", "model"),
    [
        pytest.param(
            {"base_url": FLAG_URL, "model": "flag-model"},
            {},
            Settings(),
            (FLAG_URL, "--base-url"),
            ("flag-model", "--model"),
            id="flags only",
        ),
        pytest.param(
            {},
            {"OPENAI_BASE_URL": ENV_URL},
            Settings(),
            (ENV_URL, "OPENAI_BASE_URL"),
            (None, None),
            id="environment only: no model",
        ),
        pytest.param(
            {},
            {},
            SAVED,
            (SETTINGS_URL, "settings"),
            ("saved-model", "settings"),
            id="settings only",
        ),
        pytest.param(
            {},
            {"OPENAI_BASE_URL": ENV_URL},
            SAVED,
            (ENV_URL, "OPENAI_BASE_URL"),
            ("saved-model", "settings"),
            id="environment beats settings",
        ),
        pytest.param(
            {"base_url": FLAG_URL, "model": "flag-model"},
            {"OPENAI_BASE_URL": ENV_URL},
            SAVED,
            (FLAG_URL, "--base-url"),
            ("flag-model", "--model"),
            id="flags beat environment and settings",
        ),
        pytest.param(
            {"model": "flag-model"},
            {},
            SAVED,
            (SETTINGS_URL, "settings"),
            ("flag-model", "--model"),
            id="each value on its own: a model flag with the saved address",
        ),
        pytest.param(
            {},
            {"OPENAI_BASE_URL": ""},
            SAVED,
            (SETTINGS_URL, "settings"),
            ("saved-model", "settings"),
            id="an empty variable is no value",
        ),
        pytest.param({}, {}, Settings(), (None, None), (None, None), id="nothing yet"),
    ],
)
def test_flags_beat_environment_beat_settings(flags, environ, settings, base_url, model):
    overrides = _overrides(flags, environ)
    assert server.chosen_base_url(overrides, settings) == base_url
    assert server.chosen_model(overrides, settings) == model
    expected = (base_url[0], model[0]) if base_url[0] and model[0] else None
    assert server.server_address(overrides, settings) == expected
    assert server.coach_model(overrides, settings) == (expected[1] if expected else None)


def test_the_environment_key_beats_the_keyring():
    keyring = MemoryKeyring()
    keys = KeyStore(keyring)
    keys.save(SETTINGS_URL, "sk-from-the-keyring-0000")
    with_env = _overrides({}, {"OPENAI_API_KEY": "sk-from-the-environment-1111"})
    assert server.api_key(with_env, keys, SETTINGS_URL) == "sk-from-the-environment-1111"
    config = server.server_config(with_env, SAVED, keys)
    assert config is not None and config.api_key == "sk-from-the-environment-1111"

    without = _overrides({}, {"OPENAI_API_KEY": ""})
    assert server.api_key(without, keys, SETTINGS_URL) == "sk-from-the-keyring-0000"
    assert server.api_key(without, keys, FLAG_URL) is None  # stored per server address
    assert "sk-from" not in repr(with_env)  # the key never shows in a log line


def test_the_keyring_is_asked_for_the_address_in_use():
    keys = KeyStore(MemoryKeyring())
    keys.save(SETTINGS_URL, "sk-settings-server-2222")
    keys.save(FLAG_URL, "sk-flag-server-3333")
    overrides = _overrides({"base_url": FLAG_URL}, {})
    config = server.server_config(overrides, SAVED.with_changes(proxy="http://proxy:3128"), keys)
    assert config == ServerConfig(
        FLAG_URL, "saved-model", "sk-flag-server-3333", proxy="http://proxy:3128"
    )


def test_no_config_until_address_and_model_are_known():
    keys = KeyStore(MemoryKeyring())
    overrides = _overrides({}, {"OPENAI_BASE_URL": ENV_URL, "OPENAI_API_KEY": "sk-unused-4444"})
    assert server.server_config(overrides, Settings(), keys) is None
    assert server.coach_model(overrides, Settings()) is None


def test_the_coach_has_its_own_model_or_the_partners():
    overrides = _overrides({"model": "flag-model"}, {})
    assert server.coach_model(overrides, SAVED.with_changes(coach_model="coach-m")) == "coach-m"
    assert server.coach_model(overrides, SAVED) == "flag-model"
