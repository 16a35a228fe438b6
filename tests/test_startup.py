"""The two-step start: the window's frame shows at once, then Tutor loads into it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.gui_helpers import close_app, practice_argv, start_app, wait_until_idle
from tests.tutor_process import environment
from tutor.app import build_context, launch
from tutor.cli.arguments import parse_arguments
from tutor.domain.settings import Settings, WindowState
from tutor.store.frame_hints import FrameHints, read_frame_hints
from tutor.store.settings_file import SettingsFile
from tutor.ui.shell.main_window import OPENING, MainWindow


def test_the_frame_opens_where_the_learner_left_it_and_says_it_is_opening(
    qtbot, server, data_dir, keyring_backend
):
    window, context = start_app(qtbot, practice_argv(data_dir, server), key_backend=keyring_backend)
    wait_until_idle(qtbot, window)
    window.resize(730, 540)
    close_app(qtbot, window, context)

    hints = read_frame_hints(data_dir / "settings.json")
    frame = MainWindow(geometry=hints.geometry)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    assert (frame.width(), frame.height()) == (730, 540)
    assert not frame.is_attached
    assert frame.statusBar().currentMessage() == OPENING
    titles = [action.text() for action in frame.menuBar().actions()]
    assert titles == ["&Session", "&Edit", "&Corrections", "&Help"]

    # What main() does once the frame is painted: the same window fills in.
    options = parse_arguments(["--data-dir", str(data_dir)])
    context, problem = build_context(options, {}, key_backend=keyring_backend)
    window = launch(context, options, problem, frame=frame)
    assert window is frame and frame.is_attached
    assert frame.practice.session is not None  # the last session, opened again
    assert frame.composer.isVisible() and frame.chat.isVisible()
    assert titles == [action.text() for action in frame.menuBar().actions()]  # nothing moved
    assert [a.text() for a in frame.session_menu.actions()][:1] == ["&New session"]
    assert frame.statusBar().currentMessage() != OPENING
    close_app(qtbot, frame, context)


def test_closing_the_frame_before_tutor_loads_changes_nothing(qtbot, data_dir):
    settings = data_dir / "settings.json"
    SettingsFile(settings).save(Settings(window=WindowState(geometry="AdnQywADAAA=")))
    before = settings.read_bytes()
    frame = MainWindow()
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    assert frame.close()
    assert settings.read_bytes() == before


def test_frame_hints_read_what_the_settings_file_saves(tmp_path: Path):
    path = tmp_path / "settings.json"
    SettingsFile(path).save(
        Settings(window=WindowState(geometry="Z2VvbWV0cnk=", splitter="c3BsaXR0ZXI=")).with_changes(
            appearance="dark"
        )
    )
    assert read_frame_hints(path) == FrameHints(geometry="Z2VvbWV0cnk=", appearance="dark")


def test_frame_hints_fall_back_to_defaults_and_touch_nothing(tmp_path: Path):
    path = tmp_path / "settings.json"
    assert read_frame_hints(path) == FrameHints()  # no file yet: a first run
    for content in (
        b"\xff\xfe not UTF-8",
        b"{ not json",
        b"[1, 2, 3]",
        json.dumps({"window": "wide", "appearance": 7}).encode(),
        b" " * 2_000_000,  # larger than any settings file: not read in full
    ):
        path.write_bytes(content)
        assert read_frame_hints(path) == FrameHints()
        assert path.read_bytes() == content  # SettingsFile.load() sets a bad file aside


_SNAPSHOT_AT_FRAME = r"""
import json, sys
import tutor.app as app
import tutor.ui.shell.startup_timing as startup_timing

original = startup_timing.on_first_paint
seen = []

def snapshot(window, callback):
    if not seen:  # the first call: the frame is shown, nothing is painted yet
        import PySide6.QtCore, PySide6.QtWidgets
        seen.append(True)
        print(json.dumps({
            "modules": sorted(sys.modules),
            "qt_named": "Qt" in vars(PySide6.QtCore),
            "qstyle_named": "QStyle" in vars(PySide6.QtWidgets),
        }), flush=True)
    original(window, callback)

startup_timing.on_first_paint = snapshot
sys.exit(app.main(sys.argv[1:]))
"""

# What the frame must not wait for (docs/performance.md: each costs 5-170 ms).
_LOADED_AFTER_THE_FRAME = (
    "langcodes",
    "regex",
    "rapidfuzz",
    "fsrs",
    "openai",
    "keyring",
    "sqlite3",
    "dataclasses",
    "PySide6.QtNetwork",
    "tutor.domain.settings",
    "tutor.store.database",
    "tutor.ui.shell.context",
    "tutor.ui.chat.chat_view",
    "tutor.ui.shell.style",
)


def test_the_frame_shows_before_tutor_loads_what_it_does_not_need(tmp_path):
    """Start-up speed is measured by benchmarks; this keeps its cause: what is imported,
    and which Qt names are made, before the window's first paint."""
    data = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-c", _SNAPSHOT_AT_FRAME, "--measure-startup", "--data-dir", data],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[0])
    loaded = set(found["modules"])
    assert "tutor.ui.shell.main_window" in loaded  # the frame itself
    assert [name for name in _LOADED_AFTER_THE_FRAME if name in loaded] == []
    assert not found["qt_named"], "PySide6.QtCore.Qt makes its hundred enums: 60 ms"
    assert not found["qstyle_named"], "QStyle makes its enums: 25 ms"
    assert "ms from process start to the window ready to use" in result.stdout


# --- Voice (issue 17): the audio and word-list modules load after the first paint. ---

_SNAPSHOT_AFTER_FIRST_PAINT = r"""
import json, sys
import tutor.app as app
import tutor.ui.shell.startup_timing as startup_timing

original = startup_timing.on_first_paint
seen = []

def snapshot_then(window, callback):
    def after_paint():
        if not seen:  # the first paint is done; Tutor has not loaded into the frame yet
            seen.append(True)
            print(json.dumps(sorted(sys.modules)), flush=True)
        callback()
    original(window, after_paint)

startup_timing.on_first_paint = snapshot_then
sys.exit(app.main(sys.argv[1:]))
"""

# Speech, audio devices and word lists: each costs tens to hundreds of milliseconds
# (QtMultimedia loads FFmpeg; jieba and MeCab their dictionaries).
_VOICE_AND_WORDS = (
    "PySide6.QtTextToSpeech",
    "PySide6.QtMultimedia",
    "wordfreq",
    "jieba",
    "MeCab",
    "pypinyin",
)


def test_voice_and_word_list_modules_load_after_the_first_paint(tmp_path):
    import importlib.util

    # Named as they are imported: a misspelt name would make this check pass for ever.
    assert [name for name in _VOICE_AND_WORDS if importlib.util.find_spec(name) is None] == []
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _SNAPSHOT_AFTER_FIRST_PAINT,
            "--measure-startup",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.splitlines()[0])
    assert "tutor.ui.shell.main_window" in loaded
    early = [
        module
        for module in loaded
        if any(module == name or module.startswith(f"{name}.") for name in _VOICE_AND_WORDS)
    ]
    assert early == [], "loaded before the first paint"
    assert "ms from process start to the window ready to use" in result.stdout
