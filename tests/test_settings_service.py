"""Changing the settings without Qt (tutor/services/settings.py): a real settings file in a
temporary folder, an in-memory keyring and the change hub."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.memory_keyring import MemoryKeyring, NoKeyring
from tutor.domain.corrections import CorrectionScope, CorrectionStyle
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.providers import ProviderKind
from tutor.domain.settings import ProviderSettings, Settings, WindowState
from tutor.logging_setup import SecretRedactor
from tutor.services import settings as settings_service
from tutor.services.changes import Change, ChangeHub, Changes
from tutor.store.secrets import KeyStore
from tutor.store.settings_file import SettingsFile

URL = "http://127.0.0.1:8080/v1"
KEY = "local-secret-0123456789"  # no sk- shape: only the redactor being told hides it
PROVIDER = ProviderSettings(ProviderKind.CUSTOM, URL, "llama3")
PROFILE = LearnerProfile("es", Level.B1, "en")
STRICT = CorrectionStyle(CorrectionScope.MEANING, explanations=False, strict=True)


@dataclass
class Context:
    settings_file: SettingsFile
    keys: KeyStore
    settings: Settings = field(default_factory=Settings)
    redactor: SecretRedactor = field(default_factory=SecretRedactor)
    changes: ChangeHub = field(default_factory=ChangeHub)
    heard: list[Changes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.changes.subscribe(self.heard.append)


class CountingFile(SettingsFile):
    """The real settings file, counting its writes."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writes = 0

    def save(self, settings: Settings) -> None:
        self.writes += 1
        super().save(settings)


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def context(tmp_path: Path, keyring_backend: MemoryKeyring) -> Context:
    return Context(CountingFile(tmp_path / "config" / "settings.json"), KeyStore(keyring_backend))


def _saved(context: Context) -> Settings:
    return context.settings_file.load().settings


def test_a_setup_is_saved_in_one_write_and_said_once(context: Context, keyring_backend):
    message = settings_service.apply_setup(
        context, PROVIDER, KEY, "http://proxy:3128", PROFILE, corrections=STRICT, appearance="dark"
    )
    assert message is None  # the keyring took the key
    assert isinstance(context.settings_file, CountingFile) and context.settings_file.writes == 1
    saved = _saved(context)
    assert saved == context.settings
    assert saved.provider == PROVIDER and saved.learner == PROFILE
    assert saved.proxy == "http://proxy:3128"
    assert saved.corrections == STRICT and saved.appearance == "dark"
    assert KEY not in context.settings_file.path.read_text()  # the key never goes to the file
    assert context.keys.get(URL) == KEY
    assert KEY in keyring_backend.passwords.values()
    assert context.redactor.redact(f"key {KEY}") == "key [key hidden]"  # nor does the log
    assert [changes.what for changes in context.heard] == [Change.SETTINGS]


def test_a_key_no_keyring_takes_is_kept_for_this_run_and_the_learner_told(tmp_path: Path):
    context = Context(SettingsFile(tmp_path / "settings.json"), KeyStore(NoKeyring()))
    message = settings_service.apply_setup(context, PROVIDER, KEY, "", PROFILE)
    assert message is not None and "this run only" in message
    assert context.keys.get(URL) == KEY
    assert KEY not in context.settings_file.path.read_text()
    assert [changes.what for changes in context.heard] == [Change.SETTINGS]


def test_a_failed_write_changes_nothing_and_says_nothing(context: Context, monkeypatch):
    before = context.settings

    def refuse(_settings: Settings) -> None:
        raise OSError("read-only folder")

    monkeypatch.setattr(context.settings_file, "save", refuse)
    with pytest.raises(OSError):
        settings_service.apply_setup(context, PROVIDER, KEY, "", PROFILE, appearance="dark")
    with pytest.raises(OSError):
        settings_service.change_style(context, STRICT)
    with pytest.raises(OSError):
        settings_service.keep_window_layout(context, WindowState(geometry="abc"))
    assert context.settings is before
    assert not context.settings_file.path.exists()
    assert context.heard == []


def test_the_correction_style_is_saved_and_said(context: Context):
    settings_service.change_style(context, STRICT)
    assert context.settings.corrections == STRICT
    assert json.loads(context.settings_file.path.read_text())["corrections"] == {
        "scope": "meaning",
        "explanations": False,
        "strict": True,
        "precise": False,
    }
    assert [changes.what for changes in context.heard] == [Change.SETTINGS]


def test_the_window_layout_is_kept_and_nothing_is_said(context: Context):
    settings_service.apply_setup(context, PROVIDER, KEY, "", PROFILE)
    context.heard.clear()
    layout = WindowState(geometry="Z2VvbWV0cnk=", splitter="c3BsaXR0ZXI=")
    settings_service.keep_window_layout(context, layout)
    assert context.settings.window == layout
    assert _saved(context) == context.settings  # the rest is kept as it was
    assert context.heard == []
