"""The command line's arguments, read into `Options`: what the composition root
(tutor/app.py) and the commands (tutor/cli/commands.py, doctor.py) act on."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tutor import __version__
from tutor.domain.levels import Level

if TYPE_CHECKING:
    from tutor.domain.profile import LearnerProfile

EXPORT_FORMATS = ("md", "csv", "apkg")
SCORE_STYLES = ("default", "precise", "strict", "meaning")


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
    """'scenarios', 'sessions', 'export', 'doctor' or 'coach-score': do it and exit, no window
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
    # `coach-score` (tutor/cli/coach_score.py); also --language, --level, --native,
    # --model and --base-url above.
    score_limit: int | None = None
    score_file: Path | None = None
    score_style: str | None = None
    """One of SCORE_STYLES; None: the settings' correction style."""
    score_parallel: int | None = None


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
    _add_coach_score(commands)
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
        score_limit=getattr(args, "score_limit", None),
        score_file=getattr(args, "score_file", None),
        score_style=getattr(args, "score_style", None),
        score_parallel=getattr(args, "score_parallel", None),
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


def _add_coach_score(commands: Any) -> None:
    score = commands.add_parser(
        "coach-score",
        help="measure how well the coach's model marks learners' mistakes",
        description="Check labelled learner sentences with the coach, exactly as in "
        "practice, and print token-level precision, recall and F0.5 (MultiGED-2023). "
        "The result is kept, as Settings > Corrections shows it.",
    )
    # SUPPRESS: a flag not repeated after the command keeps the value given before it.
    score.add_argument(
        "--language", default=argparse.SUPPRESS, help="language of the texts: it, cs (uk: ua-gec)"
    )
    score.add_argument("--limit", type=_positive, dest="score_limit", help="only the first N")
    score.add_argument("--model", default=argparse.SUPPRESS, help="model to measure")
    score.add_argument("--base-url", default=argparse.SUPPRESS, help="OpenAI-compatible server")
    score.add_argument(
        "--file", type=Path, dest="score_file", help="your own MultiGED-format TSV (token TAB c|i)"
    )
    score.add_argument(
        "--style",
        choices=SCORE_STYLES,
        dest="score_style",
        help="correction style (default: the one in Settings)",
    )
    score.add_argument(
        "--parallel", type=_positive, dest="score_parallel", help="requests at once (1 to 16)"
    )
    score.add_argument(
        "--level",
        type=str.upper,
        choices=[lv.value for lv in Level],
        default=argparse.SUPPRESS,
        help="the writers' level the coach is told (default B1)",
    )
    score.add_argument(
        "--native", default=argparse.SUPPRESS, help="language of explanations (default en)"
    )
    _add_data_dir(score)


def _positive(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return int(text)


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
    if options.command == "coach-score":
        if options.language is None:
            return "coach-score needs --language (it, cs; uk with the ua-gec extra)"
        if options.score_parallel is not None and options.score_parallel > 16:
            return "--parallel is 1 to 16"
        return None
    if options.language is None and (options.level or options.native or options.scenario):
        return "--level, --native and --scenario go with --language"
    if options.command == "export":
        if options.export_format == "md" and options.session_id is None:
            return "--format md writes one session: give its id ('tutor sessions' lists them)"
        if options.export_format == "apkg" and str(options.output) == "-":
            return "--format apkg writes a file: give its name with -o"
    return None
