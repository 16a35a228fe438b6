"""The command line, as scripts and bug reports use it."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tutor import __version__
from tutor.cli.arguments import parse_arguments, requested_profile
from tutor.domain.conversation import Role
from tutor.domain.corrections import Category, CoachItem, CoachPath, CoachVerdict, build_marks
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore


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


# Commands without a window: sessions and export


GOED = 'Ayer yo goed al parque, "sí"; *hola*'
GOED_VERDICT = CoachVerdict(
    GOED.replace("goed", "fui"),
    (CoachItem("goed", "fui", "Ir es irregular: «fui».", Category.GRAMMAR),),
)


@pytest.fixture
def saved(tmp_path):
    """A data directory with a Spanish session (a corrected message, a card), a Japanese
    one, and a deleted one; the ids by name."""
    data = tmp_path / "data"
    data.mkdir()
    db = open_database(data / "tutor.sqlite3")
    sessions, corrections, cards = SessionStore(db), CorrectionStore(db), ReviewStore(db)

    def new_session(code: str, level: Level):
        return sessions.create_session(
            LearnerProfile(code, level, "en"),
            FREE_CONVERSATION,
            base_url="http://127.0.0.1:8080/v1",
            model="m",
            system_message="s",
        )

    spanish = new_session("es", Level.A2)
    message = sessions.add_message(spanish.id, Role.USER, GOED)
    correction = corrections.save(
        message.id,
        GOED_VERDICT,
        build_marks(GOED, GOED_VERDICT),
        model="m",
        path=CoachPath.PLAIN,
        usage=None,
    )
    assert cards.add_cards_for_message(message.id, GOED, correction, "es") == 1
    sessions.add_message(spanish.id, Role.ASSISTANT, "¡Qué bien! ¿Y después?")
    japanese = new_session("ja", Level.B1)
    sessions.add_message(japanese.id, Role.USER, "私は公園に行きました")
    deleted = new_session("fr", Level.B2)
    sessions.add_message(deleted.id, Role.USER, "Je suis supprimée")
    sessions.delete_session(deleted.id)
    db.close()
    return data, {"es": spanish.id, "ja": japanese.id, "deleted": deleted.id}


def test_commands_parse_with_the_data_dir_before_or_after_them(tmp_path):
    for args in (
        ["sessions", "--data-dir", str(tmp_path)],
        ["--data-dir", str(tmp_path), "sessions"],
    ):
        options = parse_arguments(args)
        assert options.command == "sessions" and options.data_dir == tmp_path
    options = parse_arguments(["export", "12", "--format", "csv", "-o", "out.csv"])
    assert (options.command, options.session_id, options.export_format) == ("export", 12, "csv")
    assert options.output == Path("out.csv") and options.data_dir is None
    assert (
        parse_arguments(["export", "all", "--format", "apkg", "--output", "d.apkg"]).session_id
        is None
    )
    assert parse_arguments([]).command is None


def test_sessions_lists_the_newest_first_without_deleted_ones(saved):
    data, ids = saved
    result = run_tutor("sessions", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split()[:3] == ["ID", "LAST", "USED"]
    assert [int(line.split()[0]) for line in lines] == [ids["ja"], ids["es"]]
    japanese, spanish = (line.split() for line in lines)
    assert japanese[3:7] == ["ja", "B1", "free-conversation", "1"]
    assert japanese[7] == "私は公園に行きました"
    assert spanish[3:7] == ["es", "A2", "free-conversation", "2"]
    assert "Ayer yo goed" in lines[1]
    assert "supprimée" not in result.stdout


def test_commands_do_not_load_qt(saved):
    data, ids = saved
    for args in (
        ["sessions", "--data-dir", str(data)],
        ["export", str(ids["es"]), "--format", "md", "-o", "-", "--data-dir", str(data)],
    ):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "tutor", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
        assert "tutor.cli.commands" in imported
        assert not any(name.startswith(("PySide6", "shiboken6", "openai")) for name in imported)


def test_export_markdown_writes_the_session_with_its_marks(saved, tmp_path):
    data, ids = saved
    out = tmp_path / "session.md"
    result = run_tutor(
        "export", str(ids["es"]), "--format", "md", "-o", str(out), "--data-dir", str(data)
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Spanish · A2 · Free conversation\n")
    assert 'Ayer yo ~~goed~~ **fui** al parque, "sí"; \\*hola\\*' in text
    assert "- goed → fui: Ir es irregular: «fui»." in text
    assert "¡Qué bien! ¿Y después?" in text


def test_export_markdown_to_standard_output(saved):
    data, ids = saved
    result = run_tutor(
        "--data-dir", str(data), "export", str(ids["ja"]), "--format", "md", "-o", "-"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Japanese · B1 · Free conversation")
    assert "私は公園に行きました" in result.stdout


def test_export_csv_of_one_session_and_of_all(saved, tmp_path):
    data, ids = saved
    one, every = tmp_path / "one.csv", tmp_path / "all.csv"
    for target, path in ((str(ids["es"]), one), ("all", every)):
        result = run_tutor(
            "export", target, "--format", "csv", "-o", str(path), "--data-dir", str(data)
        )
        assert result.returncode == 0, result.stderr
        assert "Wrote 1 correction to" in result.stdout
    assert one.read_bytes() == every.read_bytes()  # the other sessions have no marks
    with one.open(encoding="utf-8-sig", newline="") as file:
        header, row = list(csv.reader(file))
    assert header[:7] == [
        "Date",
        "Session",
        "Language",
        "Category",
        "Original",
        "Corrected",
        "Explanation",
    ]
    assert row[1:7] == [str(ids["es"]), "es", "Grammar", "goed", "fui", "Ir es irregular: «fui»."]
    assert row[7] == GOED


def test_export_apkg_holds_the_sessions_cards(saved, tmp_path):
    data, ids = saved
    deck = tmp_path / "cards.apkg"
    result = run_tutor(
        "export", str(ids["es"]), "--format", "apkg", "-o", str(deck), "--data-dir", str(data)
    )
    assert result.returncode == 0, result.stderr
    assert "Wrote 1 review card to" in result.stdout
    with zipfile.ZipFile(deck) as archive:
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    collection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        (fields,) = collection.execute("SELECT flds FROM notes").fetchone()
    finally:
        collection.close()
    front, back, _explanation, language = fields.split("\x1f")
    assert "goed" in front and "&quot;sí&quot;" in front
    assert "fui" in back and language == "es"
    no_cards = run_tutor(
        "export", str(ids["ja"]), "--format", "apkg", "-o", str(deck), "--data-dir", str(data)
    )
    assert no_cards.returncode == 1
    assert "no review cards" in no_cards.stderr


@pytest.mark.parametrize(
    ("target", "output", "message"),
    [
        ("999", "out.md", "There is no session 999"),
        ("deleted", "out.md", "There is no session"),
        ("es", "missing/out.md", "Cannot write"),
    ],
)
def test_export_failures_say_why_in_one_line(saved, tmp_path, target, output, message):
    data, ids = saved
    session = str(ids.get(target, target))
    path = tmp_path / output
    result = run_tutor(
        "export", session, "--format", "md", "-o", str(path), "--data-dir", str(data)
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not path.exists()


def test_without_a_database_commands_say_so_and_create_nothing(tmp_path):
    empty = tmp_path / "empty"
    for args in (["sessions"], ["export", "1", "--format", "csv", "-o", str(tmp_path / "x.csv")]):
        result = run_tutor(*args, "--data-dir", str(empty))
        assert result.returncode == 1
        assert "no conversations" in result.stderr and "Traceback" not in result.stderr
    assert not empty.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "all", "--format", "md", "-o", "x.md"], "writes one session"),
        (["export", "1", "--format", "apkg", "-o", "-"], "writes a file"),
        (["export", "one", "--format", "csv", "-o", "x.csv"], "is not a session id"),
        (["export", "1", "--format", "pdf", "-o", "x.pdf"], "invalid choice"),
        (["export", "1", "--format", "md"], "required"),
    ],
)
def test_bad_export_arguments_get_a_clear_message(args, message):
    result = run_tutor(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_reader_that_stops_reading_ends_the_command_quietly(saved):
    """`tutor sessions | head -1`: the pipe closes before Tutor writes."""
    data, _ids = saved
    child = subprocess.Popen(
        [sys.executable, "-m", "tutor", "sessions", "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the interpreter has even started
    assert child.wait(timeout=60) == 0
    assert child.stderr.read() == ""
