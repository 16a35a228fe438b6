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

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests.memory_keyring import MemoryKeyring  # noqa: E402
from tests.openai_server import OpenAITestServer  # noqa: E402


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
