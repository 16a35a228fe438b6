"""The one atomic file write: whole or not at all, never a temporary file left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tutor.store import atomic_file
from tutor.store.atomic_file import PRIVATE, write_atomically


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_file_is_written_and_replaced_whole(tmp_path):
    target = tmp_path / "notes.md"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


def test_the_mode_is_exact_or_what_a_plain_open_gives(tmp_path, umask_022):
    private = tmp_path / "export.csv"
    private.write_bytes(b"old, readable by all")
    private.chmod(0o644)
    write_atomically(private, b"new", mode=PRIVATE)
    assert mode(private) == 0o600
    os.umask(0o000)  # the exact mode is not widened or narrowed by the umask either
    write_atomically(private, b"newer", mode=0o640)
    assert mode(private) == 0o640
    os.umask(0o022)
    usual = tmp_path / "settings.json"
    write_atomically(usual, b"{}")
    assert mode(usual) == 0o644


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failing):
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"the old deck")

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    if failing == "replace":
        monkeypatch.setattr(Path, "replace", fail)
    elif failing == "fsync":
        monkeypatch.setattr(atomic_file.os, "fsync", fail)
    else:
        real_fdopen = os.fdopen

        class HalfWritten:
            """A file that takes half the bytes, then finds the disk full."""

            def __init__(self, handle: int, how: str) -> None:
                self._file = real_fdopen(handle, how)

            def __enter__(self) -> HalfWritten:
                return self

            def __exit__(self, *_exc: object) -> None:
                self._file.close()

            def fileno(self) -> int:
                return self._file.fileno()

            def write(self, data: bytes) -> int:
                self._file.write(data[: len(data) // 2])
                self._file.flush()
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(atomic_file.os, "fdopen", HalfWritten)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"the new deck", mode=PRIVATE)
    assert target.read_bytes() == b"the old deck"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]


def test_a_missing_folder_or_a_folder_in_the_way_raises_and_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        write_atomically(tmp_path / "missing" / "a.md", b"x")
    (tmp_path / "a.md").mkdir()
    with pytest.raises(OSError):
        write_atomically(tmp_path / "a.md", b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_an_exported_scenario_is_whole_or_untouched(tmp_path, monkeypatch, umask_022):
    from tutor.paths import bundled_resources
    from tutor.store.scenario_library import ScenarioLibrary, read_scenario_file

    library = ScenarioLibrary(bundled_resources() / "scenarios", tmp_path / "mine")
    scenario = library.scenarios()[0]
    shared = tmp_path / "shared.toml"
    library.export(scenario, shared)
    assert read_scenario_file(shared, built_in=False).title == scenario.title
    assert mode(shared) == 0o644  # as before: a file to share, with the usual mode
    before = shared.read_bytes()

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "fsync", fail)
    with pytest.raises(OSError):
        library.export(scenario, shared)
    assert shared.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared.toml"]
