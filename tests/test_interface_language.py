"""The interface language: the setting, the language Tutor starts in (the saved choice,
else the system's), and a start in it: Qt's own texts in that language, numbers as it
writes them, and Arabic mirrored right to left."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtWidgets import QWizard

from tests.gui_helpers import open_practice, start_app
from tests.memory_keyring import MemoryKeyring
from tests.tutor_process import environment
from tutor.domain.settings import Settings, settings_from_dict
from tutor.i18n.formats import format_number
from tutor.i18n.translate import INTERFACE_LANGUAGES, language_in_use, use_language
from tutor.services.interface_language import (
    FOLLOW_THE_SYSTEM,
    change_note,
    language_choices,
    own_name,
    starting_language,
    suggested_language,
)
from tutor.store.frame_hints import read_frame_hints
from tutor.store.settings_file import SettingsFile

# -- the setting -------------------------------------------------------------------------


def test_the_setting_follows_the_system_until_chosen_and_is_kept(tmp_path):
    assert Settings().interface_language == FOLLOW_THE_SYSTEM
    path = tmp_path / "settings.json"
    SettingsFile(path).save(Settings(interface_language="ko"))
    assert SettingsFile(path).load().settings.interface_language == "ko"
    assert read_frame_hints(path).interface_language == "ko"  # for the first frame


@pytest.mark.parametrize("value", ["xx", "Korean", 7, None, ["ko"], "en_US"])
def test_a_language_tutor_does_not_offer_means_the_system_s(tmp_path, value):
    data = {**Settings().to_dict(), "interface_language": value}
    assert settings_from_dict(data).interface_language == ""
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_frame_hints(path).interface_language == ""
    del data["interface_language"]  # a file from before the setting
    assert settings_from_dict(data).interface_language == ""


# -- which language ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("saved", "system", "expected"),
    [
        ("ko", ["de-DE"], "ko"),  # the learner's choice first
        ("", ["ko-KR"], "ko"),
        ("", ["ko_KR.UTF-8"], "ko"),
        ("", ["pt-PT"], "pt_BR"),  # the one Portuguese there is
        ("", ["zh-Hans-CN"], "zh_Hans"),
        ("", ["zh-TW", "ja-JP"], "ja"),  # no Traditional Chinese: the next preference
        ("", ["nl-NL", "fr-BE"], "fr"),
        ("", ["en-GB", "de"], "en"),  # English preferred over German
        ("", ["C"], "en"),
        ("", [], "en"),
    ],
)
def test_tutor_starts_in_the_saved_language_else_the_system_s(saved, system, expected):
    assert starting_language(saved, system) == expected


def test_the_learner_s_own_language_suggests_the_interface_language():
    assert suggested_language("ko") == "ko"
    assert suggested_language("pt") == "pt_BR"
    assert suggested_language("en") == "en"
    assert suggested_language("nl") == FOLLOW_THE_SYSTEM  # no Dutch interface


def test_the_list_names_each_language_in_the_interface_language_and_its_own():
    english = language_choices(["de-DE"])
    assert english[0].code == FOLLOW_THE_SYSTEM and english[0].label == "System language (Deutsch)"
    labels = {choice.code: choice.label for choice in english}
    assert labels["ko"] == "Korean — 한국어"
    assert labels["en"] == "English"
    assert {choice.code for choice in english[1:]} == set(INTERFACE_LANGUAGES)
    use_language("ko")
    korean = {choice.code: choice.label for choice in language_choices([])}
    assert korean["es"] == "스페인어 — Español"
    assert korean["ko"] == "한국어"
    assert own_name("pt_BR") == "Português (Brasil)"


def test_a_change_is_said_to_come_at_the_next_start():
    assert change_note("", ["C"]) is None  # English already
    assert change_note("ko", ["C"]) == "Tutor will speak Korean from the next time it starts."


# -- a start in a language ----------------------------------------------------------------

_STATE_AT_FIRST_FRAME = r"""
import json, sys
import tutor.app as app
import tutor.ui.shell.startup_timing as startup_timing

def snapshot(window, callback):
    from PySide6.QtCore import QLocale, QTimer, QTranslator
    from PySide6.QtWidgets import QApplication, QDialogButtonBox
    from tutor.i18n.translate import language_in_use

    qt = QApplication.instance()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    print(json.dumps({
        "language": language_in_use(),
        "mirrored": qt.isRightToLeft() and window.isRightToLeft(),
        "qt_catalogues": [t.filePath().rsplit("/", 1)[-1] for t in qt.findChildren(QTranslator)],
        "cancel": box.buttons()[0].text(),
        "number": QLocale().toString(1234.5, "f", 1),
    }), flush=True)
    QTimer.singleShot(0, qt.quit)

startup_timing.on_first_paint = snapshot
sys.exit(app.main(sys.argv[1:]))
"""


def _first_frame(tmp_path: Path, **environ: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", _STATE_AT_FIRST_FRAME, "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**environment(tmp_path / "home"), **environ},
    )
    assert result.returncode == 0, result.stderr
    state: dict[str, object] = json.loads(result.stdout.splitlines()[0])
    return state


def test_a_start_with_korean_chosen_shows_qt_s_texts_in_korean(tmp_path):
    SettingsFile(tmp_path / "data" / "settings.json").save(Settings(interface_language="ko"))
    state = _first_frame(tmp_path, LANG="de_DE.UTF-8")  # the choice beats the system
    assert state == {
        "language": "ko",
        "mirrored": False,
        "qt_catalogues": ["qtbase_ko.qm"],
        "cancel": "취소",
        "number": "1,234.5",
    }


def test_a_start_on_an_arabic_system_is_mirrored_right_to_left(tmp_path):
    state = _first_frame(tmp_path, LANG="ar_EG.UTF-8")
    assert state["language"] == "ar"
    assert state["mirrored"] is True
    assert state["qt_catalogues"] == ["qtbase_ar.qm"]
    assert state["cancel"] == "ألغِ"
    # Qt's spin boxes write numbers as Tutor's own text does (Babel's CLDR "ar").
    assert state["number"] == "1,234.5"


def test_a_start_on_a_german_system_writes_numbers_the_german_way(tmp_path):
    state = _first_frame(tmp_path, LANG="de_DE.UTF-8")
    assert (state["language"], state["cancel"], state["number"]) == ("de", "Abbrechen", "1.234,5")


def test_a_start_on_a_system_without_a_language_is_english(tmp_path):
    state = _first_frame(tmp_path)  # no LANG: the C locale
    assert state == {
        "language": "en",
        "mirrored": False,
        "qt_catalogues": [],
        "cancel": "Cancel",
        "number": state["number"],
    }


# -- in the windows ----------------------------------------------------------------------


def test_the_welcome_in_korean_has_qt_s_buttons_in_korean(
    qtbot, data_dir, keyring_backend, interface_language
):
    assert interface_language("ko") == "ko"
    window, _context = start_app(qtbot, ["--data-dir", str(data_dir)], key_backend=keyring_backend)
    wizard = window.welcome
    assert wizard is not None
    qtbot.waitExposed(wizard)
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "취소"
    assert wizard.button(QWizard.WizardButton.NextButton).text().startswith("다음")
    assert language_in_use() == "ko"
    assert QLocale().language() == QLocale.Language.Korean
    wizard.reject()


def test_a_practice_session_in_arabic_is_mirrored(
    qtbot, server, data_dir, keyring_backend, interface_language
):
    interface_language("ar")
    window, _context = open_practice(qtbot, server, data_dir, keyring_backend)
    assert window.isRightToLeft()
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # The send button stands at the composer's left, its start in Arabic.
    send = window.send_button.mapTo(window, QPoint(0, 0)).x()
    composer = window.composer.mapTo(window, QPoint(0, 0)).x()
    assert send < composer
    assert format_number(1234.5) == "1,234.5"


def test_after_a_test_in_another_language_tutor_speaks_english_again(qapp):
    assert language_in_use() == "en"
    assert not qapp.isRightToLeft()


def test_a_missing_or_damaged_catalogue_leaves_english_and_no_error(monkeypatch, tmp_path):
    import importlib.resources

    folder = tmp_path / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "tutor.mo").write_bytes(b"\xde\x12\x04\x95\x00\x00\x00\x00")  # cut short
    monkeypatch.setattr(importlib.resources, "files", lambda _package: tmp_path)
    assert use_language("de") == "de"  # dates and numbers still German
    assert format_number(1234.5) == "1.234,5"
    from tutor.i18n.translate import _

    assert _("Stop") == "Stop"
    assert use_language("ko") == "ko"  # no file at all
    assert _("Stop") == "Stop"


def test_the_doctor_names_the_chosen_language_and_the_catalogues_it_reads(tmp_path):
    import io

    from tutor.cli.arguments import parse_arguments
    from tutor.cli.doctor import report

    data = tmp_path / "data"
    SettingsFile(data / "settings.json").save(Settings(interface_language="ar"))
    out = io.StringIO()
    options = parse_arguments(["doctor", "--data-dir", str(data)])
    report(options, out, environ={}, key_backend=MemoryKeyring(), timeout=0.5)
    lines = {
        label.strip(): value.strip()
        for label, _, value in (line.partition(":") for line in out.getvalue().splitlines())
    }
    assert lines["chosen"] == "ar"
    assert lines["translations"] == "ar, de, es, fr, ja, ko, pt_BR, zh_Hans"
    assert "not compiled" not in lines
