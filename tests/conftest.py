"""Shared fixtures. Qt runs offscreen: without it pytest aborts on a machine with no screen."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_SCALE_FACTOR", "1")
# Tests never see a key or a server from the developer's environment.
for _name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
    os.environ.pop(_name, None)
    os.environ.pop(_name.lower(), None)
os.environ["NO_PROXY"] = "127.0.0.1,localhost"

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QLocale  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.memory_keyring import MemoryKeyring  # noqa: E402
from tests.openai_server import OpenAITestServer  # noqa: E402
from tests.pulse_audio import pulse_audio  # noqa: E402, F401 - a fixture (real audio)
from tests.speech_dispatcher import (  # noqa: E402, F401 - fixtures (real voices)
    speech_dispatcher,
    speech_dispatcher_with_sound,
)
from tutor.i18n.translate import SOURCE_LANGUAGE, language_in_use  # noqa: E402

_QT_LOCALE_AT_START = QLocale()


@pytest.fixture
def server() -> Iterator[OpenAITestServer]:
    with OpenAITestServer() as running:
        yield running


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "tutor-data"
    directory.mkdir()
    return directory


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


def _english_again() -> None:
    """English text, Qt's English, the first default QLocale, left to right."""
    from tutor.ui.shell.interface_language import install_interface_language

    app = QApplication.instance()
    if app is not None:
        install_interface_language(app, SOURCE_LANGUAGE)
    else:
        from tutor.i18n.translate import use_language

        use_language(SOURCE_LANGUAGE)
    QLocale.setDefault(_QT_LOCALE_AT_START)


@pytest.fixture
def interface_language(qapp: QApplication) -> Iterator[Callable[[str], str]]:
    """`interface_language("ko")`: Tutor's and Qt's text in Korean, as at a start in
    Korean (mirrored for "ar"); returns the language in use. English again after."""
    from tutor.ui.shell.interface_language import install_interface_language

    yield lambda code: install_interface_language(qapp, code)
    _english_again()


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """The interface language is process-wide: a test that changed it (use_language)
    leaves English for the next one."""
    yield
    app = QApplication.instance()
    if language_in_use() != SOURCE_LANGUAGE or (
        isinstance(app, QApplication) and app.isRightToLeft()
    ):
        _english_again()
