"""The command line, as scripts and bug reports use it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tutor import __version__
from tutor.app import parse_arguments, requested_profile
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile


def run_tutor(*args, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], capture_output=True, text=True, timeout=timeout
    )


def test_version_prints_and_exits():
    result = run_tutor("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"Tutor {__version__}"


def test_console_script_is_declared():
    from importlib.metadata import entry_points

    scripts = {ep.name: ep.value for ep in entry_points(group="gui_scripts")}
    assert scripts.get("tutor") == "tutor.app:main"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--language", "zz-!!"], "Not a language code"),
        (["--language", "es", "--level", "D4"], "invalid choice"),
        (["--base-url", "localhost:11434"], "must start with http"),
        (["--level", "B1"], "go with --language"),
        (["--scenario", "cafe-order"], "go with --language"),
        (["sessions-of-doom"], "invalid choice"),
    ],
)
def test_bad_arguments_get_a_clear_message(args, message):
    result = run_tutor(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_language_flags_complete_from_saved_profile():
    options = parse_arguments(["--language", "ja", "--level", "b1"])
    saved = LearnerProfile("es", Level.A2, "ko")
    assert requested_profile(options, saved) == LearnerProfile("ja", Level.B1, "ko")
    assert requested_profile(parse_arguments(["--language", "en"]), None) == LearnerProfile(
        "en", Level.A2, "es"
    )
    assert requested_profile(parse_arguments([]), saved) is None


def test_data_dir_holds_every_file(tmp_path, server):
    """A real process, offscreen: it starts, writes under --data-dir only, and quits."""
    data = tmp_path / "data"
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "QTimer.singleShot(1500, app.quit)\n"
        "from tutor.app import main\n"
        f"sys.exit(main(['--data-dir', {str(data)!r}, '--language', 'es', "
        f"'--base-url', {server.base_url!r}, '--model', 'tutor-test-small']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(tmp_path / "home"),
            "PATH": "/usr/bin:/bin",
            "NO_PROXY": "127.0.0.1",
        },
    )
    assert result.returncode == 0, result.stderr
    written = sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file())
    assert "tutor.sqlite3" in written
    assert "settings.json" in written
    assert "logs/tutor.log" in written
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("*.sqlite3"))
    assert (data.stat().st_mode & 0o777) == 0o700
    assert ((data / "tutor.sqlite3").stat().st_mode & 0o777) == 0o600


def test_scenarios_lists_every_id_with_levels_and_title(tmp_path):
    result = run_tutor("--data-dir", str(tmp_path), "scenarios")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[0] == "free-conversation"
    cafe = next(line for line in lines if line.startswith("cafe-order "))
    assert "A1–B1" in cafe and "Ordering at a café" in cafe
    assert len(lines) >= 31  # free conversation and at least 30 built-in scenarios
    ids = [line.split()[0] for line in lines]
    assert len(ids) == len(set(ids))
    assert not (tmp_path / "tutor.sqlite3").exists()  # listing touches nothing
