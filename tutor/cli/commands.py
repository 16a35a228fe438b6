"""The commands that run without a window: `scenarios`, `sessions` and `export`.

Nothing here imports Qt or openai, so a command starts in a fraction of a second and
works over SSH. A failure the learner can act on (no database yet, an unknown session,
a file that cannot be written) is one line on standard error and exit status 1, never
a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from tutor.domain.session import PracticeSession
from tutor.paths import AppPaths
from tutor.store.corrections import CorrectionStore
from tutor.store.database import DatabaseError, open_database
from tutor.store.sessions import SessionStore

if TYPE_CHECKING:
    from tutor.cli.arguments import Options

Written = TypeVar("Written")

STDOUT = Path("-")
_PREVIEW_CHARS = 40


class CommandError(Exception):
    """What went wrong, in one line for the learner."""


def run_command(options: Options, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run `options.command`; the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    commands = {
        "scenarios": list_scenarios,
        "sessions": list_sessions,
        "export": export,
        "doctor": doctor,
    }
    try:
        if options.command == "coach-score":  # progress goes to `err`
            from tutor.cli.coach_score import coach_score

            return coach_score(options, out, err)
        return commands[options.command or ""](options, out)
    except CommandError as error:
        print(f"tutor: {error}", file=err)
        return 1
    except BrokenPipeError:
        # The reader went away (`tutor sessions | head`): stop quietly, as Unix tools do.
        # Python flushes standard output again at exit: point it at /dev/null first, or
        # that flush fails too and prints a traceback.
        if out is sys.stdout:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 0


def list_scenarios(options: Options, out: TextIO | None = None) -> int:
    """`tutor scenarios`: every scenario id with its levels and title, one a line."""
    from tutor.domain.scenarios import FREE_CONVERSATION
    from tutor.paths import bundled_resources
    from tutor.store.scenario_library import ScenarioLibrary

    out = out or sys.stdout
    library = ScenarioLibrary(bundled_resources() / "scenarios", _paths(options).user_scenarios)
    scenarios = [FREE_CONVERSATION, *library.scenarios()]
    width = max(len(s.id) for s in scenarios)
    for scenario in scenarios:
        levels = f"{scenario.levels[0].value}–{scenario.levels[-1].value}"
        print(f"{scenario.id:<{width}}  {levels}  {scenario.title}", file=out)
    return 0


def list_sessions(options: Options, out: TextIO | None = None) -> int:
    """`tutor sessions`: one line a session, the most recently used first.

    Columns: id, last used (local time), language, level, scenario id, message count,
    the start of the learner's first message. Deleted sessions are left out.
    """
    out = out or sys.stdout
    with _database(options) as db:
        found = SessionStore(db).all_sessions()
    if not found:
        print("No sessions yet.", file=out)
        return 0
    rows = [
        (
            str(s.id),
            f"{s.updated_at.astimezone():%Y-%m-%d %H:%M}",
            s.target_language,
            s.level.value,
            s.scenario_id,
            str(s.message_count),
            _preview(s.preview),
        )
        for s in found
    ]
    header = ("ID", "LAST USED", "LANGUAGE", "LEVEL", "SCENARIO", "MESSAGES", "FIRST MESSAGE")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        # Numbers right-aligned; the preview last and unpadded (its width varies by script).
        cells = [
            cell.rjust(width) if index in (0, 5) else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row[:-1], widths, strict=True))
        ]
        print("  ".join([*cells, row[-1]]).rstrip(), file=out)
    return 0


def export(options: Options, out: TextIO | None = None) -> int:
    """`tutor export SESSION_ID --format md|csv|apkg -o FILE`."""
    from tutor.domain.exports import ExportFormat
    from tutor.services import exports

    out = out or sys.stdout
    if options.export_format is None:
        raise CommandError("--format is required: md, csv or apkg.")
    fmt = ExportFormat(options.export_format)
    path = options.output or STDOUT
    with _database(options) as db:
        sessions = SessionStore(db)
        if fmt is not ExportFormat.ANKI:
            chosen = (
                [_session(sessions, options.session_id)]
                if options.session_id is not None
                else list(reversed(sessions.all_sessions()))  # oldest first, as they happened
            )
            if fmt is ExportFormat.MARKDOWN and len(chosen) != 1:
                raise CommandError("--format md writes one session: give its id.")
            corrections = CorrectionStore(db)
            if path == STDOUT:
                rendered = exports.render_text(fmt, sessions, corrections, chosen)
                _write_out(rendered.text, out)
            else:
                rendered = _write_file(
                    path, lambda: exports.write_text(fmt, sessions, corrections, chosen, path)
                )
            if fmt is ExportFormat.MARKDOWN:
                summary = f"session {chosen[0].id} ({_count(rendered.count, 'message')})"
            else:
                summary = _count(rendered.count, "correction")
        else:
            from tutor.store.review_cards import ReviewStore

            if options.session_id is not None:
                _session(sessions, options.session_id)  # an unknown id is refused here too
            cards = exports.deck_cards(ReviewStore(db), sessions, options.session_id)
            try:
                _write_file(path, lambda: exports.write_deck(cards, path))
            except exports.NoCardsError as error:
                which = (
                    "There are"
                    if options.session_id is None
                    else f"Session {options.session_id} has"
                )
                raise CommandError(f"{which} no review cards yet: nothing was written.") from error
            summary = _count(len(cards), "review card")
    if path != STDOUT:
        print(f"Wrote {summary} to {path}", file=out)
    return 0


def _paths(options: Options) -> AppPaths:
    return AppPaths.chosen(options.data_dir)


@contextmanager
def _database(options: Options) -> Iterator[sqlite3.Connection]:
    """The learner's database; never creates one (a listing should not leave a file)."""
    paths = _paths(options)
    if not paths.database.is_file():
        raise CommandError(
            f"There are no conversations in {paths.data_dir} yet ({paths.database.name} "
            "does not exist). Start Tutor to practise, or pass --data-dir."
        )
    try:
        db = open_database(paths.database)
    except DatabaseError as error:
        raise CommandError(str(error)) from error
    except OSError as error:  # the copy kept before a migration could not be written
        raise CommandError(f"The conversation file {paths.database}: {error}.") from error
    try:
        yield db
    except sqlite3.Error as error:
        raise CommandError(
            f"The conversation file {paths.database} cannot be read: {error}."
        ) from error
    finally:
        db.close()


def _session(sessions: SessionStore, session_id: int) -> PracticeSession:
    found = sessions.live_session(session_id)
    if found is None:
        raise CommandError(f"There is no session {session_id} ('tutor sessions' lists them).")
    return found


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _PREVIEW_CHARS else line[: _PREVIEW_CHARS - 1] + "…"


def _write_out(text: str, out: TextIO) -> None:
    # A pipe gets plain UTF-8 (no byte-order mark), as bytes: whatever the terminal's
    # encoding, Japanese text cannot fail, and CSV's CRLF stays as it is.
    binary = getattr(out, "buffer", None)
    if binary is None:
        out.write(text)
    else:
        out.flush()
        binary.write(text.encode("utf-8"))
        binary.flush()


def _write_file(path: Path, write: Callable[[], Written]) -> Written:
    try:
        return write()
    except OSError as error:
        reason = error.strerror or str(error)
        raise CommandError(f"Cannot write {path}: {reason}.") from error


def doctor(options: Options, out: TextIO | None = None) -> int:
    """`tutor doctor`: what a bug report needs, never the key (see tutor/cli/doctor.py)."""
    from tutor.cli.doctor import report

    return report(options, out or sys.stdout)
