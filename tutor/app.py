"""The composition root: read the command line, resolve paths, build the context, show."""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor import __version__
from tutor.cli.arguments import Options, parse_arguments
from tutor.domain.levels import Level

if TYPE_CHECKING:
    from tutor.domain.profile import LearnerProfile
    from tutor.ui.shell.context import AppContext
    from tutor.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
_IMPORTED_AT = time.perf_counter()  # --measure-startup's clock where /proc is missing


def requested_profile(options: Options, saved: LearnerProfile | None) -> LearnerProfile | None:
    """The profile the command line asks for, completed from the saved one."""
    from tutor.domain.profile import LearnerProfile

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
    from tutor.store.corrections import CorrectionStore
    from tutor.store.database import database_error, is_corruption, is_read_only, open_database
    from tutor.store.notebook import NotebookStore
    from tutor.store.reports import ReportStore
    from tutor.store.review_cards import ReviewStore
    from tutor.store.scenario_library import ScenarioLibrary
    from tutor.store.search import MessageSearch
    from tutor.store.secrets import KeyStore
    from tutor.store.sessions import SessionStore
    from tutor.store.settings_file import SettingsFile
    from tutor.ui.shell.context import AppContext, Overrides
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
            f"Tutor opened your conversations read-only: {paths.database} or its folder "
            "cannot be written. You can read your sessions, but not send messages or start "
            "new ones. Make them writable, then start Tutor again."
        )
    else:
        try:
            purged = sessions.purge_deleted()
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
    context = AppContext(
        paths=paths,
        settings_file=settings_file,
        settings=loaded.settings,
        sessions=sessions,
        corrections=corrections,
        search=MessageSearch(database),
        reports=ReportStore(database),
        notebook=NotebookStore(database),
        review=ReviewStore(database),
        scenarios=ScenarioLibrary(bundled_resources() / "scenarios", paths.user_scenarios),
        keys=KeyStore(key_backend, on_secret=redactor.add),
        clients=ClientFactory(),
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
) -> MainWindow:
    """Show the main window and start where the learner left off, or with the welcome.

    `frame`: the window main() painted before the context was built; it is filled in.
    """
    from tutor.ui.shell.main_window import MainWindow

    if frame is None:
        window = MainWindow(context)
        window.show()
        window.raise_()
        window.activateWindow()
    else:
        window = frame
        window.attach(context)
    profile = requested_profile(options, context.settings.learner)
    _remember_first_choices(context, profile)
    scenario = context.scenarios.find(options.scenario) if options.scenario else None
    notes = [settings_problem or ""]
    if options.scenario and scenario is None:
        notes.append(
            f"There is no scenario '{options.scenario}' ('tutor scenarios' lists them): "
            "this is a free conversation."
        )
    # Said now (the welcome may open) and again once a session is open, because opening
    # one clears the notice bar.
    pending = " ".join(note for note in notes if note)
    if pending:
        window.say(pending)

    def begin() -> None:
        latest = context.sessions.latest_session()
        if profile is None and latest is not None:
            window.open_session(latest.id)
        else:
            window.new_session(profile, scenario)  # None: the saved profile, free talk
        if pending and not window.notice.isVisible():  # unless opening had its own news
            window.say(pending)
        # Importing openai is about a second of Python on a pool thread: started before
        # the first paint, it takes the GIL from building and painting the window.
        _after_first_paint(window, lambda: _warm_up(context))

    if context.has_provider() and (profile or context.settings.learner):
        begin()
        return window

    from tutor.ui.setup.setup_dialogs import WelcomeWizard  # a first run only: 40 ms of imports

    wizard = WelcomeWizard(context, window)
    if profile is not None:
        wizard.learner_form.set_values(profile)
    window.welcome = wizard

    def finished(accepted: int) -> None:
        if accepted:
            if wizard.key_message:
                window.say(wizard.key_message)
            begin()
        else:
            window.say(
                "Tutor needs a model server to practise. Open Edit → Settings to set one up."
            )

    wizard.finished.connect(finished)
    wizard.open()
    return window


def _remember_first_choices(context: AppContext, profile: LearnerProfile | None) -> None:
    """A first run started from the command line keeps its choices, as the welcome would."""
    from tutor.domain.providers import kind_for_base_url
    from tutor.domain.settings import ProviderSettings

    settings = context.settings
    changes: dict[str, object] = {}
    if settings.learner is None and profile is not None:
        changes["learner"] = profile
    overrides = context.overrides
    if settings.provider is None and overrides.base_url and overrides.model:
        changes["provider"] = ProviderSettings(
            kind_for_base_url(overrides.base_url), overrides.base_url, overrides.model
        )
    if changes:
        context.save_settings(settings.with_changes(**changes))


def _warm_up(context: AppContext) -> None:
    """Import openai and build the client off the GUI thread, so the first reply is quick."""

    def build() -> None:
        config = context.server_config()
        if config is not None:
            context.clients.client(config)

    context.tasks.run(build, lambda _result: None, lambda error: log.info("warm-up: %s", error))


def _process_age_ms() -> float:
    """Milliseconds since the kernel started this process, interpreter start-up included.

    Linux: the start time in /proc/self/stat (clock ticks since boot, so up to one tick,
    10 ms, early) against CLOCK_BOOTTIME, the clock it is counted on. Elsewhere: since
    this module was imported, which leaves out the interpreter's own start.
    """
    try:
        with Path("/proc/self/stat").open() as stat:
            # The name in parentheses may hold spaces; field 22 (starttime) is the 20th after it.
            fields = stat.read().rpartition(")")[2].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000


def _after_first_paint(window: MainWindow, callback: Callable[[], None]) -> None:
    """Run `callback` once the window's first paint is done (soon, if it was painted)."""
    from PySide6.QtCore import Qt, QTimer

    if window.testAttribute(Qt.WidgetAttribute.WA_Mapped):  # on screen: it has been painted
        QTimer.singleShot(0, callback)
    else:
        _on_first_paint(window, callback)


def _on_first_paint(window: MainWindow, callback: Callable[[], None]) -> None:
    """Run `callback` once the window, not painted yet, has had its first paint.

    The window is painted first in a repaint pass and its children after it in the same
    pass, so the callback waits for the end of that pass. (A zero timer started before
    app.exec() is no substitute: it fires ahead of the expose that brings the paint.) A
    window that is never painted never runs it. main() calls this directly, as the
    window cannot have been painted before app.exec(): the check in _after_first_paint
    reads `Qt`, whose first use costs 60 ms (tutor/ui/shell/main_window.py).
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                self.deleteLater()
                QTimer.singleShot(0, callback)
            return False

    window.installEventFilter(FirstPaint(window))


def _report_first_paint(window: MainWindow) -> None:
    """--measure-startup: print the milliseconds from process start to the main window's
    first paint (benchmarks/startup.py runs this against a bare Qt window)."""

    def report() -> None:
        print(f"{_process_age_ms():.1f} ms from process start to the first painted window")
        sys.stdout.flush()

    # Nothing paints before app.exec(), so a filter installed now sees the first paint.
    _on_first_paint(window, report)


def _report_ready(window: MainWindow) -> None:
    """--measure-startup: then the milliseconds until the window is ready to use, its
    last session (or the welcome) painted, and quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def report() -> None:
        print(f"{_process_age_ms():.1f} ms from process start to the window ready to use")
        sys.stdout.flush()
        QApplication.quit()

    # What launch() changed is painted in the next pass; a zero timer runs after it.
    window.repaint()
    QTimer.singleShot(0, report)


def _tell_the_learner(window: MainWindow) -> Callable[..., None]:
    """A last safety net for an error no code expected (a write failing in a rarely used
    action): it is logged and said in the notice bar, and the window stays usable, instead
    of a traceback on a terminal the learner never sees."""
    import sqlite3

    from tutor.store.database import storage_problem

    def excepthook(kind: type[BaseException], error: BaseException, trace: Any) -> None:
        log.error("unexpected error", exc_info=(kind, error, trace))
        if isinstance(error, sqlite3.Error):
            window.say(storage_problem(error, "this change"))
        else:
            window.say(
                f"Something went wrong ({kind.__name__}); your conversations are safe. "
                "The log has the details for a bug report (tutor doctor shows where it is)."
            )

    return excepthook


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    if options.command is not None:
        # Commands never open a window: tutor.cli.commands imports neither Qt nor openai.
        from tutor.cli.commands import run_command

        return run_command(options)

    from PySide6.QtWidgets import QApplication, QMessageBox

    from tutor.paths import AppPaths
    from tutor.store.frame_hints import read_frame_hints
    from tutor.ui.shell.main_window import MainWindow
    from tutor.ui.shell.single_instance import Claim, SingleInstance

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Tutor")
    app.setApplicationDisplayName("Tutor")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.tutor.Tutor")
    paths = AppPaths.chosen(options.data_dir)
    try:
        paths.create()
    except OSError as error:
        from tutor.ui.shell import database_problem
        from tutor.ui.shell.style import apply_style

        apply_style(app)
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
        from tutor.ui.shell.style import apply_style

        apply_style(app)
        QMessageBox.information(
            None,
            "Tutor",
            f"Tutor is already running with {paths.data_dir}, but does not answer. Close it "
            "(or wait until it has started), then try again.",
        )
        return 0
    try:
        # The frame shows first, where and how the learner left it; the database, the
        # stores and the widgets load once it is painted (docs/performance.md).
        hints = read_frame_hints(paths.settings)
        if hints.appearance != "system":
            # A forced light or dark must be there from the first paint. The platform's
            # own look needs nothing yet: the style rules only name widgets built later.
            from tutor.ui.shell.style import apply_style

            apply_style(app, hints.appearance)
        window = MainWindow(geometry=hints.geometry)
        window.show()
        window.raise_()
        window.activateWindow()
        instance.show_on_request(window)  # from when it listens: right after the paint
        started: list[AppContext] = []

        def finish_start(window: MainWindow) -> None:
            from tutor.ui.shell import database_problem
            from tutor.ui.shell.style import apply_style

            instance.listen()
            opened = database_problem.open_or_ask(lambda: build_context(options, os.environ))
            if opened is None:
                window.close()
                app.exit(1)
                return
            (context, problem), note = opened
            started.append(context)
            apply_style(app, context.settings.appearance)
            launch(context, options, problem, frame=window)
            # Opening the first session clears the notice bar, so say it again now.
            notice = " ".join(part for part in (note, problem) if part)
            if notice:
                window.say(notice)
            sys.excepthook = _tell_the_learner(window)
            if options.measure_startup:
                _report_ready(window)

        def finish_or_say(window: MainWindow) -> None:
            try:
                finish_start(window)
            except Exception as error:
                # Not a database problem (those ask above) but a bug: said and logged,
                # never a frame left saying "Opening…" for good.
                log.exception("start-up failed")
                QMessageBox.critical(
                    window,
                    "Tutor",
                    f"Tutor could not open your conversations ({type(error).__name__}: "
                    f"{error}). Nothing was changed. The log has the details for a bug "
                    "report ('tutor doctor' shows where it is).",
                )
                window.close()
                app.exit(1)

        # The window is passed, not closed over: main() deletes its own name for it
        # before the application goes (see the end), which a closure would not allow.
        _on_first_paint(window, functools.partial(finish_or_say, window))
        if options.measure_startup:
            _report_first_paint(window)
        code = app.exec()
        for context in started:
            context.tasks.wait_for_done(2000)
        del window
        return int(code)
    finally:
        instance.close()
