"""The PyInstaller bundle starts: its version, its scenarios (resources inside), and an
offscreen start that paints the window and quits. Slow, and only when asked for:

    TUTOR_TEST_BUNDLE=1 .venv/bin/python -m pytest -m slow tests/test_bundle.py

It builds dist/Tutor/ with packaging/build.sh first unless TUTOR_BUNDLE names a built
bundle folder (or dist/Tutor/ is newer than every source file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import tutor
from tutor.paths import APP_ID

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("TUTOR_TEST_BUNDLE") != "1",
        reason="builds the PyInstaller bundle (minutes): TUTOR_TEST_BUNDLE=1",
    ),
]


def _newest_source() -> float:
    """When a file that goes into the bundle last changed (not caches: importing
    tutor_resources writes resources/__pycache__)."""
    sources = [
        path
        for folder in ("tutor", "resources", "packaging")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    return max(path.stat().st_mtime for path in [*sources, ROOT / "pyproject.toml"])


@pytest.fixture(scope="module")
def bundle() -> Iterator[Path]:
    given = os.environ.get("TUTOR_BUNDLE")
    folder = Path(given) if given else ROOT / "dist" / "Tutor"
    program = folder / "tutor"
    if not given and (not program.exists() or program.stat().st_mtime < _newest_source()):
        subprocess.run(
            [str(ROOT / "packaging" / "build.sh"), "--no-check"], check=True, timeout=1800
        )
    assert program.exists(), f"no bundle at {folder}"
    yield folder


def _run(program: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON"))}
    return subprocess.run(
        [str(program), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**environment, **env},
    )


def test_bundle_prints_its_version(bundle):
    result = _run(bundle / "tutor", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Tutor {tutor.__version__}"


def test_bundle_lists_the_built_in_scenarios(bundle, tmp_path):
    result = _run(bundle / "tutor", "--data-dir", str(tmp_path), "scenarios")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) >= 44
    assert any(line.startswith("cafe-order") for line in lines)


def test_bundle_paints_its_window_offscreen_and_quits(bundle, tmp_path):
    result = _run(
        bundle / "tutor",
        "--data-dir",
        str(tmp_path),
        "--measure-startup",
        QT_QPA_PLATFORM="offscreen",
    )
    assert result.returncode == 0, result.stderr
    assert "ms from process start to the first painted window" in result.stdout
    assert "Traceback" not in result.stderr
    assert (tmp_path / "tutor.sqlite3").exists()


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="apt-get install xvfb")
def test_bundle_shows_a_real_window_under_xvfb(bundle, tmp_path):
    """The xcb platform plugin and the libraries it loads are in the bundle."""
    program = bundle / "tutor"
    result = subprocess.run(
        ["xvfb-run", "-a", str(program), "--data-dir", str(tmp_path), "--measure-startup"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "xcb"},
    )
    assert result.returncode == 0, result.stderr
    assert "first painted window" in result.stdout


def test_bundle_carries_the_speech_and_multimedia_plugins(bundle):
    """Tutor loads them only when it first speaks or records: a window start would not
    notice them missing. The bundle's voice check (packaging/tutor_main.py) asks Qt."""
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
    assert sorted(p.name for p in (plugins / "texttospeech").iterdir()) == [
        "libqtexttospeech_mock.so",
        "libqtexttospeech_speechd.so",
    ]
    assert (plugins / "multimedia" / "libffmpegmediaplugin.so").is_file()
    result = _run(bundle / "tutor", TUTOR_BUNDLE_CHECK="voice", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split(": ", 2)[1:] for line in result.stdout.splitlines() if ": " in line)
    assert {"mock", "speechd"} <= set(lines["text-to-speech engines"].split(", "))
    assert lines["mock engine"].startswith("Ready")
    assert "Wave" in lines["decodes"].split(", ")


def test_bundle_carries_the_desktop_files(bundle):
    share = bundle / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in (16, 48, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert os.access(bundle / "install.sh", os.X_OK)
    assert (bundle / "_internal" / "resources" / "icons").is_dir()


def test_bundle_carries_the_translations(bundle, tmp_path):
    """Tutor's catalogues are found inside the bundle (importlib.resources), and Qt's own
    for the same languages are there."""
    from tutor.i18n.translate import INTERFACE_LANGUAGES

    result = _run(bundle / "tutor", "doctor", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    translated = [code for code in INTERFACE_LANGUAGES if code != "en"]
    assert f"translations:          {', '.join(translated)}" in result.stdout
    qt = sorted(path.name for path in (bundle / "_internal").rglob("*.qm"))
    assert qt == sorted(
        f"qtbase_{'zh_CN' if code == 'zh_Hans' else code}.qm" for code in translated
    )
