"""The composition root: read the command line, resolve paths, build the context, show."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tutor import __version__
from tutor.cli.arguments import Options, parse_arguments, requested_profile
from tutor.i18n.translate import _

if TYPE_CHECKING:
    from tutor.paths import AppPaths
    from tutor.store.sessions import SessionStore
    from tutor.ui.shell.context import AppContext
    from tutor.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)


def build_context(
    options: Options,
    environ: Mapping[str, str],
    *,
    key_backend: Any = None,
) -> tuple[AppContext, str | None]:
    """Everything the windows need, and a message for the learner: the settings had to
    be reset, or the conversation file can only be read.

    Raises tutor.store.database.DatabaseError when the conversation file cannot be used
    (DatabaseCorruptError when it is damaged, found at open or by the first scan below).
    """
    import sqlite3

    from tutor.llm.factory import ClientFactory
    from tutor.logging_setup import SecretRedactor, configure_logging
    from tutor.paths import AppPaths, bundled_resources
    from tutor.services.server import Overrides
    from tutor.services.voice import forget_removed_audio
    from tutor.store.coach_scores import CoachScoreStore
    from tutor.store.corrections import CorrectionStore
    from tutor.store.database import database_error, is_corruption, is_read_only, open_database
    from tutor.store.help_answers import HelpAnswerStore
    from tutor.store.known_words import KnownWordStore
    from tutor.store.learner_facts import LearnerFactStore
    from tutor.store.notebook import NotebookStore
    from tutor.store.reports import ReportStore
    from tutor.store.review_cards import ReviewStore
    from tutor.store.scenario_library import ScenarioLibrary
    from tutor.store.search import MessageSearch
    from tutor.store.secrets import KeyStore
    from tutor.store.server_habits import HabitsFile
    from tutor.store.sessions import SessionStore
    from tutor.store.settings_file import SettingsFile
    from tutor.ui.shell.context import AppContext
    from tutor.ui.shell.tasks import TaskRunner

    paths = AppPaths.chosen(options.data_dir)
    paths.create()
    redactor = SecretRedactor()
    configure_logging(paths.log_file, redactor)
    overrides = Overrides.from_environment(environ, base_url=options.base_url, model=options.model)
    if overrides.api_key:
        redactor.add(overrides.api_key)
    settings_file = SettingsFile(paths.settings)
    loaded = settings_file.load()
    database = open_database(paths.database)
    sessions = SessionStore(database)
    corrections = CorrectionStore(database)
    notices = [loaded.problem] if loaded.problem else []
    purged = interrupted = unchecked = 0
    if is_read_only(database):
        log.warning("the conversation file %s can only be read", paths.database)
        notices.append(
            _(
                "Tutor opened your conversations read-only: {file} or its folder cannot be "
                "written. You can read your sessions, but not send messages or start new "
                "ones. Make them writable, then start Tutor again."
            ).format(file=paths.database)
        )
    else:
        try:
            purged = sessions.purge_deleted()
            forget_removed_audio(paths.data_dir, sessions)  # the purged sessions' speech
            interrupted = sessions.mark_interrupted_replies()
            unchecked = corrections.mark_interrupted_checks()
        except sqlite3.DatabaseError as error:
            # These scans read every message: damage a large file was not checked for at
            # open shows here. Anything else (a full disk) can wait for the next start.
            if is_corruption(error):
                database.close()
                raise database_error(error, paths.database) from error
            log.warning("start-up housekeeping skipped: %s", error)
    if interrupted or unchecked:
        log.info("marked %d interrupted replies and %d checks", interrupted, unchecked)
    if purged:
        log.info("removed %d sessions deleted in an earlier run", purged)
    if not is_read_only(database):
        _remove_recordings_of_purged_sessions(paths, sessions)
    context = AppContext(
        paths=paths,
        settings_file=settings_file,
        settings=loaded.settings,
        sessions=sessions,
        corrections=corrections,
        search=MessageSearch(database),
        reports=ReportStore(database),
        help_answers=HelpAnswerStore(database),
        known_words=KnownWordStore(database),
        coach_scores=CoachScoreStore(database),
        learner_facts=LearnerFactStore(database),
        notebook=NotebookStore(database),
        review=ReviewStore(database),
        scenarios=ScenarioLibrary(bundled_resources() / "scenarios", paths.user_scenarios),
        keys=KeyStore(key_backend, on_secret=redactor.add),
        clients=ClientFactory(habits=HabitsFile(paths.server_habits)),
        tasks=TaskRunner(),
        redactor=redactor,
        overrides=overrides,
    )
    log.info("Tutor %s started; data in %s", __version__, paths.data_dir)
    return context, " ".join(notices) or None


def launch(
    context: AppContext,
    options: Options,
    settings_problem: str | None = None,
    frame: MainWindow | None = None,
    start_notice: str | None = None,
) -> MainWindow:
    """Show the main window and start where the learner left off, or with the welcome.

    `frame`: the window main() painted before the context was built; it is filled in.
    `start_notice`: what went wrong at start (a file set aside, a read-only file), said
    last, over whatever opening the session said.
    """
    from tutor.services.first_run import remember_first_choices
    from tutor.services.settings import write
    from tutor.ui.shell import startup_timing
    from tutor.ui.shell.main_window import MainWindow

    profile = requested_profile(options, context.settings.learner)
    remember_first_choices(
        context.settings, context.overrides, profile, lambda chosen: write(context, chosen)
    )
    # A first run's welcome may change the interface language, and the window words its
    # text as it is built: it is built once the welcome is done.
    welcome = not (context.has_provider() and (profile or context.settings.learner))
    if frame is None:
        window = MainWindow(geometry=context.settings.window.geometry)
        window.show()
        window.raise_()
        window.activateWindow()
    else:
        window = frame
    if not welcome:
        window.attach(context)
    scenario = context.scenarios.find(options.scenario) if options.scenario else None
    notes = [settings_problem or ""]
    if options.scenario and scenario is None:
        # Translators: 'tutor scenarios' is a command, typed as it is.
        notes.append(
            _(
                "There is no scenario '{scenario}' ('tutor scenarios' lists them): this is a "
                "free conversation."
            ).format(scenario=options.scenario)
        )
    # Said once the window is built and again once a session is open, because opening
    # one clears the notice bar.
    pending = " ".join(note for note in notes if note)

    def begin() -> None:
        latest = context.sessions.latest_session()
        if profile is None and latest is not None:
            window.open_session(latest.id)
        else:
            window.new_session(profile, scenario)  # None: the saved profile, free talk
        if pending and not window.notice.isVisible():  # unless opening had its own news
            window.say(pending)
        if start_notice:  # opening a session clears the notice bar: said after it
            window.say(start_notice)
        # Importing openai is about a second of Python on a pool thread: started before
        # the first paint, it takes the GIL from building and painting the window.
        startup_timing.after_first_paint(window, lambda: _warm_up(context))

    if not welcome:
        if pending:
            window.say(pending)
        begin()
        return window

    from tutor.ui.setup.setup_dialogs import WelcomeWizard  # a first run only: 40 ms of imports

    wizard = WelcomeWizard(context, window)
    if profile is not None:
        wizard.learner_form.set_values(profile)
    window.welcome = wizard
    wizard.language_changed.connect(window.reword_frame)

    def finished(accepted: int) -> None:
        window.attach(context)
        if accepted:
            if wizard.key_message:
                window.say(wizard.key_message)
            begin()
        else:
            # Translators: "Edit" and "Settings" are the menu and its item, as translated there.
            needs = _("Tutor needs a model server to practise. Open Edit → Settings to set one up.")
            window.say(" ".join(part for part in (start_notice, pending, needs) if part))

    wizard.finished.connect(finished)
    wizard.open()
    return window


def _warm_up(context: AppContext) -> None:
    """Import openai and build the client off the GUI thread, so the first reply is quick."""

    def build() -> None:
        config = context.server_config()
        if config is not None:
            context.clients.client(config)

    context.tasks.run(build, lambda _result: None, lambda error: log.info("warm-up: %s", error))


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    if options.command is not None:
        # Commands never open a window: tutor.cli.commands imports neither Qt nor openai.
        from tutor.cli.commands import run_command

        return run_command(options)

    # First of all: its clock (used where /proc is missing) starts when it is imported.
    from tutor.ui.shell import startup_timing

    # isort: split
    from PySide6.QtWidgets import QApplication, QMessageBox

    from tutor.paths import AppPaths
    from tutor.store.frame_hints import read_frame_hints
    from tutor.ui.shell.interface_language import start_in_interface_language
    from tutor.ui.shell.main_window import MainWindow
    from tutor.ui.shell.single_instance import Claim, SingleInstance

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Tutor")
    app.setApplicationDisplayName("Tutor")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.tutor.Tutor")
    paths = AppPaths.chosen(options.data_dir)
    hints = read_frame_hints(paths.settings)
    # Before any window or message box: each words its text as it is built.
    start_in_interface_language(app, hints.interface_language)
    try:
        paths.create()
    except OSError as error:
        from tutor.ui.shell import database_problem
        from tutor.ui.shell.style import Theme

        Theme.of(app).apply()
        database_problem.ask(database_problem.describe(error))
        return 1
    # One Tutor per data folder: a second one would write the same file. The lock is
    # taken now, before a window shows; the socket that answers is opened after.
    instance = SingleInstance(paths.data_dir)
    claim = instance.claim(listen=False)
    if claim is Claim.SHOWN:
        print(f"Tutor is already running with {paths.data_dir}: its window was brought forward.")
        return 0
    if claim is Claim.SILENT:
        from tutor.ui.shell.style import Theme

        Theme.of(app).apply()
        QMessageBox.information(
            None,
            "Tutor",
            _(
                "Tutor is already running with {folder}, but does not answer. Close it (or "
                "wait until it has started), then try again."
            ).format(folder=paths.data_dir),
        )
        return 0
    try:
        # The frame shows first, where and how the learner left it; the database, the
        # stores and the widgets load once it is painted (docs/performance.md).
        if hints.appearance != "system":
            # A forced light or dark must be there from the first paint. The platform's
            # own look needs nothing yet: the style rules only name widgets built later.
            from tutor.ui.shell.style import Theme

            Theme.of(app).apply(hints.appearance)
        window = MainWindow(geometry=hints.geometry)
        window.show()
        window.raise_()
        window.activateWindow()
        instance.show_on_request(window)  # from when it listens: right after the paint
        started: list[AppContext] = []

        def finish_start(window: MainWindow) -> None:
            from tutor.ui.shell import database_problem
            from tutor.ui.shell.safety_net import tell_the_learner
            from tutor.ui.shell.style import Theme

            instance.listen()
            opened = database_problem.open_or_ask(lambda: build_context(options, os.environ))
            if opened is None:
                window.close()
                app.exit(1)
                return
            (context, problem), note = opened
            started.append(context)
            Theme.of(app).apply(context.settings.appearance)
            # Said once the window is built: at once, or after a first run's welcome.
            notice = " ".join(part for part in (note, problem) if part)
            launch(context, options, frame=window, start_notice=notice or None)
            sys.excepthook = tell_the_learner(window)
            if options.measure_startup:
                startup_timing.report_ready(window)

        def finish_or_say(window: MainWindow) -> None:
            try:
                finish_start(window)
            except Exception as error:
                # Not a database problem (those ask above) but a bug: said and logged,
                # never a frame left saying "Opening…" for good.
                log.exception("start-up failed")
                # Translators: 'tutor doctor' is a command, typed as it is.
                QMessageBox.critical(
                    window,
                    "Tutor",
                    _(
                        "Tutor could not open your conversations ({kind}: {error}). Nothing "
                        "was changed. The log has the details for a bug report ('tutor "
                        "doctor' shows where it is)."
                    ).format(kind=type(error).__name__, error=error),
                )
                window.close()
                app.exit(1)

        # The window is passed, not closed over: main() deletes its own name for it
        # before the application goes (see the end), which a closure would not allow.
        startup_timing.on_first_paint(window, functools.partial(finish_or_say, window))
        if options.measure_startup:
            startup_timing.report_first_paint(window)
        code = app.exec()
        for context in started:
            context.tasks.wait_for_done(2000)
        del window
        return int(code)
    finally:
        instance.close()


def _remove_recordings_of_purged_sessions(paths: AppPaths, sessions: SessionStore) -> None:
    """The learner's recordings go with their sessions (also those purged in a run that
    stopped before it got here). One folder listing when there are recordings at all."""
    import sqlite3

    from tutor.store.recordings import RecordingStore

    recordings = RecordingStore.in_data_folder(paths.data_dir)
    if recordings.folder.is_dir():
        try:
            removed = recordings.keep_only(sessions.session_ids())
        except (OSError, sqlite3.DatabaseError) as error:
            log.warning("recordings of purged sessions not removed: %s", error)
        else:
            if removed:
                log.info("removed the recordings of %d purged sessions", removed)
