"""The bundle's voice, without building it (tests/test_bundle.py builds it, when asked):
the PyInstaller spec names Qt's speech and multimedia plugin folders as they are in the
installed PySide6, and the voice check that the smoke check runs in the bundle
(packaging/tutor_main.py) answers as it should where the plugins are present."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "tutor.spec"
PLUGINS = Path(PySide6.__file__).parent / "Qt" / "plugins"


def _spec_constant(name: str) -> object:
    for node in ast.walk(ast.parse(SPEC.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not in {SPEC.name}")


def test_the_spec_collects_the_speech_and_multimedia_plugins_that_exist():
    kinds = _spec_constant("VOICE_PLUGINS")
    assert isinstance(kinds, tuple)
    assert set(kinds) == {"multimedia", "texttospeech"}
    # A misspelt folder would collect nothing, silently.
    for kind in kinds:
        assert list((PLUGINS / kind).glob("*.so")) or list((PLUGINS / kind).glob("*.dll")), kind
    if sys.platform.startswith("linux"):
        assert {p.name for p in (PLUGINS / "texttospeech").iterdir()} >= {
            "libqtexttospeech_mock.so",
            "libqtexttospeech_speechd.so",
        }
    source = SPEC.read_text(encoding="utf-8")
    assert "pyside6_library_info.collect_plugins(kind)" in source
    assert "binaries=binaries" in source
    for module in ("PySide6.QtMultimedia", "PySide6.QtTextToSpeech"):
        assert f'"{module}"' in source, module
        assert f'"{module}"' not in source.split("excludes = [", 1)[1].split("]", 1)[0]


def test_the_ffmpeg_libraries_kept_from_strip_are_those_qt_ships():
    """Stripped, libavformat does not load and the multimedia backend is lost: the spec
    copies these unstripped. Each name must match a library PySide6 ships."""
    prefixes = _spec_constant("FFMPEG_LIBRARIES")
    assert isinstance(prefixes, tuple)
    shipped = {path.name for path in (PLUGINS.parent / "lib").iterdir()}
    if sys.platform.startswith("linux"):
        for prefix in prefixes:
            assert any(name.startswith(f"{prefix}.so") for name in shipped), prefix
        linked = subprocess.run(
            ["ldd", str(PLUGINS / "multimedia" / "libffmpegmediaplugin.so")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        needed = {line.split()[0] for line in linked.splitlines() if "=>" in line}
        ffmpeg = {name for name in needed if name.startswith(("libav", "libsw"))}
        assert ffmpeg and all(name.startswith(prefixes) for name in ffmpeg), ffmpeg


def _entry_point(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "tutor_main.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
    )


def test_the_voice_check_reports_the_engines_and_what_qt_can_decode():
    result = _entry_point(TUTOR_BUNDLE_CHECK="voice")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = dict(line.split(": ", 2)[1:] for line in result.stdout.splitlines() if ": " in line)
    assert "mock" in lines["text-to-speech engines"].split(", ")
    assert lines["mock engine"].startswith("Ready")
    assert "Wave" in lines["decodes"].split(", ")


def test_the_entry_point_is_tutor_unless_the_voice_check_is_asked_for():
    result = _entry_point("--version", TUTOR_BUNDLE_CHECK="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Tutor ")
    assert "voice check:" not in result.stdout
