"""`tutor coach-score`, against the test server: the plan, the figures, the card kept."""

from __future__ import annotations

import io
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.coach_score_endpoint import ITALIAN_CORRECTIONS, ITALIAN_FIGURES, CoachScoreScript
from tests.memory_keyring import MemoryKeyring
from tests.openai_server import OpenAITestServer
from tutor.cli.arguments import parse_arguments
from tutor.cli.coach_score import coach_score
from tutor.cli.commands import run_command
from tutor.domain.coach_score import TokenCounts
from tutor.domain.corrections import CoachPath
from tutor.llm.client import Timeouts
from tutor.paths import AppPaths
from tutor.services import score_sources
from tutor.store.coach_scores import CoachScoreStore
from tutor.store.corrections import CorrectionStore
from tutor.store.database import open_database

CORPORA = Path(__file__).resolve().parent.parent / "resources" / "coach_corpora"
MODEL = "tutor-test-small"


@pytest.fixture(autouse=True)
def checkout_corpora(monkeypatch):
    monkeypatch.setattr(score_sources, "corpora_folder", lambda: CORPORA)


@pytest.fixture
def server():
    with OpenAITestServer() as running:
        running.default_coach_reply = CoachScoreScript(ITALIAN_CORRECTIONS)
        yield running


def _run(server_url: str, data: Path, *extra: str, environ=None, keyring=None):
    options = parse_arguments(
        [
            "coach-score",
            "--language",
            "it",
            "--base-url",
            server_url,
            "--model",
            MODEL,
            "--data-dir",
            str(data),
            *extra,
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    status = coach_score(
        options,
        out,
        err,
        environ=environ if environ is not None else {},
        key_backend=keyring or MemoryKeyring(),
        timeouts=Timeouts(connect=1.0, read=5.0),
    )
    return status, out.getvalue(), err.getvalue()


def _value(output: str, label: str) -> str:
    for line in output.splitlines():
        if line.startswith(label + " "):
            return line[len(label) :].strip()
    raise AssertionError(f"no {label!r} line in:\n{output}")


def test_coach_score_prints_the_expected_figures_and_keeps_the_card(server, tmp_path):
    status, out, err = _run(server.base_url, tmp_path, "--limit", "50")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "Measuring the coach on Italian learner essays (MERLIN): 50 sentences"
    assert _value(out, "Plan").startswith("50 requests, about ")
    assert _value(out, "Price").startswith("unknown")
    assert _value(out, "Precision") == ITALIAN_FIGURES["precision"] == "83.3%"
    assert _value(out, "Recall") == ITALIAN_FIGURES["recall"] == "12.5%"
    assert _value(out, "F0.5") == ITALIAN_FIGURES["f05"] == "39.1%"
    assert _value(out, "Counts") == "10 marked and labelled, 2 marked but correct, 70 missed"
    assert _value(out, "Sentences") == "50 scored, 0 failed"
    assert _value(out, "Tokens") == "637"
    assert _value(out, "Requests") == "50"
    assert re.fullmatch(r"\d+\.\d s", _value(out, "Time"))
    assert re.fullmatch(r"[\d,]+ in, [\d,]+ out", _value(out, "Token usage"))
    assert _value(out, "Reference").startswith("F0.5 82.15% (EliCoDe")
    assert "MERLIN (Boyd et al. 2014), CC BY-SA 4.0" in _value(out, "Data")
    assert "Partial" not in out
    # Progress went to standard error, never among the figures.
    assert "50/50 sentences" in err and "sentences" not in _value(out, "Time")
    with open_database(AppPaths.chosen(tmp_path).database) as db:
        card = CoachScoreStore(db).latest(server.base_url, MODEL, language="it", style="all")
        assert card is not None and card.complete
        assert card.counts == TokenCounts(10, 2, 70) and card.sentences == 50
        assert CorrectionStore(db).coach_path(server.base_url, MODEL) is CoachPath.JSON_SCHEMA


def test_the_command_line_reaches_the_command_and_its_options(server, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    options = parse_arguments(
        [
            "coach-score",
            "--language",
            "it",
            "--limit",
            "3",
            "--style",
            "precise",
            "--parallel",
            "3",
            "--level",
            "c1",
            "--base-url",
            server.base_url,
            "--model",
            MODEL,
            "--data-dir",
            str(tmp_path),
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_command(options, out, err) == 0, err.getvalue()
    text = out.getvalue()
    assert "style all+precise, writers at C1, 3 at once" in text
    system = server.coach_requests()[0]["messages"][0]["content"]
    assert "Precision matters more than finding everything" in system
    assert "every difference from the learner's message is shown" in system
    assert "C1" in system


def test_precise_is_kept_apart_from_the_default_style(server, tmp_path):
    assert _run(server.base_url, tmp_path, "--limit", "2")[0] == 0
    assert _run(server.base_url, tmp_path, "--limit", "2", "--style", "precise")[0] == 0
    with open_database(AppPaths.chosen(tmp_path).database) as db:
        store = CoachScoreStore(db)
        assert store.latest(server.base_url, MODEL, style="all") is not None
        assert store.latest(server.base_url, MODEL, style="all+precise") is not None


def test_a_refused_key_is_one_line_and_exit_status_1(server, tmp_path):
    server.api_key = "the-right-key"
    status, out, err = _run(
        server.base_url, tmp_path, "--limit", "5", environ={"OPENAI_API_KEY": "wrong"}
    )
    assert status == 1
    assert err.strip().splitlines()[-1].startswith("tutor: The server refused the API key (401)")
    assert "Traceback" not in err + out
    with open_database(AppPaths.chosen(tmp_path).database) as db:
        assert CoachScoreStore(db).latest(server.base_url, MODEL) is None  # nothing measured


def test_the_keyring_key_is_used_as_the_window_uses_it(server, tmp_path):
    from tutor.store.secrets import KeyStore

    server.api_key = "from-the-keyring"
    keyring = MemoryKeyring()
    KeyStore(keyring).save(server.base_url, "from-the-keyring")
    status, _out, err = _run(server.base_url, tmp_path, "--limit", "2", keyring=keyring)
    assert status == 0, err


def test_a_dead_server_is_one_line_and_exit_status_1(tmp_path):
    with OpenAITestServer() as gone:
        base_url = gone.base_url
    status, _out, err = _run(base_url, tmp_path, "--limit", "5")
    assert status == 1
    assert len(err.strip().splitlines()) == 1 and err.startswith("tutor: ")
    assert "Traceback" not in err


def test_a_bad_file_is_named_with_its_line(server, tmp_path):
    bad = tmp_path / "mine.tsv"
    bad.write_text("Io\tc\nvado c\n", encoding="utf-8")
    status, out, err = _run(server.base_url, tmp_path, "--file", str(bad))
    assert status == 1 and out == ""
    assert err.strip() == (
        f"tutor: {bad}, line 2: there is no tab between the word and its label. Each line "
        "should be a word, a tab, and c or i."
    )


def test_a_language_without_texts_says_what_there_is(server, tmp_path):
    options = parse_arguments(["coach-score", "--language", "fr", "--data-dir", str(tmp_path)])
    out, err = io.StringIO(), io.StringIO()
    assert coach_score(options, out, err, environ={"OPENAI_BASE_URL": server.base_url}) == 1
    assert "no labelled learner texts in 'fr'" in err.getvalue() and "it" in err.getvalue()


def test_without_a_server_the_command_says_how_to_give_one(tmp_path):
    options = parse_arguments(["coach-score", "--language", "it", "--data-dir", str(tmp_path)])
    out, err = io.StringIO(), io.StringIO()
    assert coach_score(options, out, err, environ={}) == 1
    assert err.getvalue().startswith("tutor: No model server is set up: give --base-url")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["coach-score"], "coach-score needs --language"),
        (["coach-score", "--language", "it", "--limit", "0"], "is not a positive number"),
        (["coach-score", "--language", "it", "--parallel", "17"], "--parallel is 1 to 16"),
        (["coach-score", "--language", "it", "--style", "loud"], "invalid choice"),
    ],
)
def test_bad_arguments_get_a_clear_message(args, message, capsys):
    with pytest.raises(SystemExit):
        parse_arguments(args)
    assert message in capsys.readouterr().err


def test_a_run_stopped_midway_keeps_its_partial_card(server, tmp_path):
    """A sentence whose answer is a 401 mid-run: what came before is kept and shown."""
    script = server.default_coach_reply
    answered = []

    def reply(body):
        answered.append(body)
        if len(answered) > 4:
            from tests.openai_server import ScriptedReply

            return ScriptedReply(status=401, error_message="Incorrect API key provided")
        return script(body)

    server.default_coach_reply = reply
    status, out, err = _run(server.base_url, tmp_path, "--limit", "20", "--parallel", "1")
    assert status == 1
    assert _value(out, "Partial") == "4 of 20 done"
    assert _value(out, "Sentences") == "4 scored, 0 failed"
    assert "refused the API key" in err
    with open_database(AppPaths.chosen(tmp_path).database) as db:
        card = CoachScoreStore(db).latest(server.base_url, MODEL)
        assert card is not None and not card.complete and card.sentences == 4


def test_the_database_is_a_real_sqlite_file(server, tmp_path):
    assert _run(server.base_url, tmp_path, "--limit", "1")[0] == 0
    rows = sqlite3.connect(AppPaths.chosen(tmp_path).database).execute(
        "SELECT corpus, sentences FROM coach_scores"
    )
    assert rows.fetchall() == [("multiged-it-merlin", 1)]


def test_tutor_coach_score_runs_as_a_program_without_qt(server, tmp_path):
    """`python -m tutor coach-score`, as a learner types it, on their own file."""
    mine = tmp_path / "mine.tsv"
    mine.write_text(
        "Io\tc\nandato\ti\nal\tc\nmare\tc\n.\tc\n\nSono\tc\ncontento\tc\n.\tc\n",
        encoding="utf-8",
    )
    server.default_coach_reply = CoachScoreScript(
        {"Io andato al mare.": "Io sono andato al mare.", "Sono contento.": "Sono felice."}
    )
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "tutor",
            "coach-score",
            "--language",
            "it",
            "--file",
            str(mine),
            "--base-url",
            server.base_url,
            "--model",
            MODEL,
            "--data-dir",
            str(tmp_path / "data"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "OPENAI_API_KEY": "sk-test"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # "andato": a missing word, marked on the token after it (TP); "contento": FP.
    assert _value(result.stdout, "Precision") == "50.0%"
    assert _value(result.stdout, "Recall") == "100.0%"
    assert _value(result.stdout, "F0.5") == "55.6%"
    assert "Reference" not in result.stdout  # no published figure for a learner's file
    assert _value(result.stdout, "Data") == "Your own file, mine.tsv."
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    assert "tutor.cli.coach_score" in imported
    assert not any(name.startswith(("PySide6", "shiboken6")) for name in imported)


def test_ctrl_c_stops_the_run_and_keeps_what_was_measured(server, tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text("".join(f"Frase\tc\nnumero\tc\n{n}\ti\n\n" for n in range(30)), "utf-8")
    script = CoachScoreScript({})

    def slow(body):
        time.sleep(0.2)
        return script(body)

    server.default_coach_reply = slow
    data = tmp_path / "data"
    program = subprocess.Popen(
        [
            *(sys.executable, "-m", "tutor", "coach-score", "--language", "it"),
            *("--file", str(mine), "--base-url", server.base_url, "--model", MODEL),
            *("--parallel", "1", "--data-dir", str(data)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OPENAI_API_KEY": "sk-test"},
    )
    server.wait_for_coach_requests(3, timeout=60)
    program.send_signal(signal.SIGINT)
    out, err = program.communicate(timeout=60)
    assert program.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "stopped" in err
    done = int(_value(out, "Partial").split()[0])
    assert 3 <= done < 30
    assert _value(out, "Recall") == "0.0%"  # the coach found nothing, and says so
    with open_database(AppPaths.chosen(data).database) as db:
        card = CoachScoreStore(db).latest(server.base_url, MODEL)
        assert card is not None and not card.complete and card.sentences == done
