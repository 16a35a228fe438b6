"""The command line's arguments, read into `Options`: what the composition root
(tutor/app.py) and the commands (tutor/cli/commands.py, doctor.py) act on."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tutor import __version__
from tutor.domain.levels import Level

if TYPE_CHECKING:
    from tutor.domain.profile import LearnerProfile

EXPORT_FORMATS = ("md", "csv", "apkg")


class Options(NamedTuple):
    """A NamedTuple, not a dataclass, as are the other classes made before the window's
    first paint (AppPaths, FrameHints, LevelGuide): building those four dataclasses
    cost 10 ms of start-up, measured A/B (docs/performance.md)."""

    data_dir: Path | None = None
    language: str | None = None
    level: Level | None = None
    native: str | None = None
    model: str | None = None
    base_url: str | None = None
    scenario: str | None = None
    command: str | None = None
    """'scenarios', 'sessions', 'export' or 'doctor': do it and exit, no window
    (tutor/cli/commands.py).

    None opens the window."""
    session_id: int | None = None
    """`export`: the session to export; None for every session (SESSION_ID 'all')."""
    export_format: str | None = None
    """`export`: one of EXPORT_FORMATS."""
    output: Path | None = None
    """`export`: the file to write; Path('-') writes Markdown or CSV to standard output."""
    measure_startup: bool = False
    """Print the milliseconds to the first painted window and quit (benchmarks)."""


def parse_arguments(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="tutor", description="Practise a language in conversation with a language model."
    )
    parser.add_argument("--version", action="version", version=f"Tutor {__version__}")
    parser.add_argument("--data-dir", type=Path, help="keep every file Tutor writes under DIR")
    parser.add_argument("--language", help="language to practise, e.g. es, ja, ar")
    parser.add_argument("--level", type=str.upper, choices=[lv.value for lv in Level])
    parser.add_argument("--native", help="your own language, e.g. en, ko")
    parser.add_argument("--model", help="model name on the server")
    parser.add_argument(
        "--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1"
    )
    parser.add_argument("--scenario", help="practise this scenario (see 'tutor scenarios')")
    parser.add_argument(
        "--measure-startup",
        action="store_true",
        help="print the milliseconds from start to the first painted window, then quit",
    )
    commands = parser.add_subparsers(dest="command", help="do this and exit, no window")
    _add_data_dir(
        commands.add_parser("scenarios", help="list the scenario ids with their levels and titles")
    )
    _add_data_dir(commands.add_parser("sessions", help="list the sessions, newest first"))
    _add_data_dir(
        commands.add_parser(
            "doctor",
            help="print versions, paths, the keyring and whether the server answers "
            "(never the key), for bug reports",
        )
    )
    export = commands.add_parser(
        "export",
        help="write a session (or all) as Markdown, corrections as CSV, or cards for Anki",
        description="Write a session as Markdown, its corrections as CSV, or its review "
        "cards as an Anki deck, without opening a window.",
    )
    export.add_argument(
        "session_id",
        metavar="SESSION_ID",
        type=_session_id,
        help="a session id from 'tutor sessions', or 'all'",
    )
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="export_format")
    export.add_argument(
        "-o", "--output", required=True, type=Path, help="file to write ('-': standard output)"
    )
    _add_data_dir(export)
    args = parser.parse_args(list(argv))
    options = Options(
        data_dir=args.data_dir,
        language=args.language,
        level=Level(args.level) if args.level else None,
        native=args.native,
        model=args.model,
        base_url=args.base_url,
        scenario=args.scenario,
        command=args.command,
        session_id=getattr(args, "session_id", None),
        export_format=getattr(args, "export_format", None),
        output=getattr(args, "output", None),
        measure_startup=args.measure_startup,
    )
    problem = _check_options(options)
    if problem:
        parser.error(problem)
    return options


def requested_profile(options: Options, saved: LearnerProfile | None) -> LearnerProfile | None:
    """The profile the command line asks for (`--language`, with `--level` and
    `--native`), completed from the saved one; None when no language is given."""
    from tutor.domain.profile import LearnerProfile  # after the first paint: dataclasses

    if options.language is None:
        return None
    native = options.native or (saved.native_language if saved else "en")
    if native == options.language:
        native = "en" if options.language != "en" else "es"
    return LearnerProfile(
        target_language=options.language,
        level=options.level or (saved.level if saved else Level.A2),
        native_language=native,
    )


def _add_data_dir(command: argparse.ArgumentParser) -> None:
    # --data-dir is accepted after a command too ("tutor sessions --data-dir D"). SUPPRESS
    # keeps a command that does not repeat it from resetting the one given before it.
    command.add_argument(
        "--data-dir", type=Path, default=argparse.SUPPRESS, help="where Tutor keeps its data"
    )


def _session_id(text: str) -> int | None:
    """SESSION_ID: a positive number, or 'all' (None)."""
    if text.casefold() == "all":
        return None
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a session id: give a number from 'tutor sessions', or 'all'"
        )
    return int(text)


def _check_options(options: Options) -> str | None:
    # The checks import only what the options given need: a plain start needs none.
    try:
        if options.language is not None or options.native is not None:
            from tutor.domain.languages import language

            for code in (options.language, options.native):
                if code is not None:
                    language(code)
        if options.base_url is not None or options.model is not None:
            from tutor.domain.providers import check_base_url, check_model_name

            if options.base_url is not None:
                check_base_url(options.base_url)
            if options.model is not None:
                check_model_name(options.model)
    except ValueError as error:
        return str(error)
    if options.language is None and (options.level or options.native or options.scenario):
        return "--level, --native and --scenario go with --language"
    if options.command == "export":
        if options.export_format == "md" and options.session_id is None:
            return "--format md writes one session: give its id ('tutor sessions' lists them)"
        if options.export_format == "apkg" and str(options.output) == "-":
            return "--format apkg writes a file: give its name with -o"
    return None
