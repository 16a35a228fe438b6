"""`tutor doctor`: versions, paths, the database, the keyring and whether the server answers.

What a bug report needs, in plain text to paste. It only looks: the database is opened
read-only, an unreadable settings file stays where it is, and the keyring is asked for
an entry that never exists. It never prints a key: the key from the keyring or the
environment is only tested for presence and used for GET /models, and every line goes
through the log's SecretRedactor before it is printed. The exit status is 0 whatever
it finds (a server that is down is a finding, not a failure of the command). The server,
model and key are chosen by tutor/services/server.py, as the window chooses them.

openai is imported inside report(), so `tutor.cli.commands` stays light; Qt is never imported.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import time
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from tutor import __version__
from tutor.logging_setup import SecretRedactor
from tutor.paths import AppPaths
from tutor.services import server
from tutor.services.server import KEY_VARIABLE, Overrides
from tutor.store.database import is_corruption, schema_version
from tutor.store.migrations import MIGRATIONS
from tutor.store.secrets import KeyStore
from tutor.store.settings_file import SettingsFile

if TYPE_CHECKING:
    from tutor.cli.arguments import Options
    from tutor.domain.settings import Settings

SERVER_TIMEOUT_S = 3.0
PACKAGES = ("PySide6-Essentials", "openai", "keyring", "fsrs", "genanki")
_LABEL_WIDTH = 22


class _Printer:
    """Aligned "label: value" lines, each redacted before it is written."""

    def __init__(self, out: TextIO, redactor: SecretRedactor) -> None:
        self._out = out
        self._redactor = redactor

    def heading(self, text: str) -> None:
        self._write(f"\n{text}")

    def line(self, label: str, value: str) -> None:
        self._write(f"  {label + ':':<{_LABEL_WIDTH}} {value}")

    def _write(self, text: str) -> None:
        print(self._redactor.redact(text), file=self._out)


def report(
    options: Options,
    out: TextIO,
    *,
    environ: Mapping[str, str] | None = None,
    key_backend: Any = None,
    timeout: float = SERVER_TIMEOUT_S,
) -> int:
    """Print the report to `out`; always 0."""
    environ = os.environ if environ is None else environ
    redactor = SecretRedactor()
    overrides = Overrides.from_environment(environ, base_url=options.base_url, model=options.model)
    if overrides.api_key:
        redactor.add(overrides.api_key)
    keys = KeyStore(key_backend, on_secret=redactor.add)
    paths = AppPaths.chosen(options.data_dir)
    printer = _Printer(out, redactor)
    printer._write("Tutor doctor (paste this into a bug report: it never shows a key)")

    _versions(printer)
    settings = _paths_and_settings(printer, paths)
    _interface_language(printer, settings)
    _database(printer, paths.database)

    # Decided as the window decides it (tutor/services/server.py).
    base_url = server.chosen_base_url(overrides, settings)
    model = server.chosen_model(overrides, settings)
    _keyring(printer, keys, base_url.value, overrides.api_key)
    key = server.api_key(overrides, keys, base_url.value) if base_url.value else None
    _server(printer, settings, base_url, model, key, timeout)
    return 0


def _versions(printer: _Printer) -> None:
    printer.heading("Versions")
    printer.line("Tutor", __version__)
    implementation = platform.python_implementation()
    printer.line("Python", f"{platform.python_version()} ({implementation}, {sys.executable})")
    # Read from the installed package, not by importing Qt: only tutor/ui touches Qt.
    # A PySide6 wheel ships the Qt of its own version (PySide6 6.11.3 carries Qt 6.11.3).
    pyside = _version("PySide6-Essentials")
    printer.line("PySide6", f"{pyside}, Qt {pyside}" if pyside[:1].isdigit() else pyside)
    for package in PACKAGES[1:]:
        printer.line(package, _version(package))
    printer.line("sqlite", sqlite3.sqlite_version)
    printer.line("OS", platform.platform())


def _version(package: str) -> str:
    for name in (package, package.split("-")[0]):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def _paths_and_settings(printer: _Printer, paths: AppPaths) -> Settings:
    printer.heading("Paths")
    for label, path in (
        ("data", paths.data_dir),
        ("config", paths.config_dir),
        ("log", paths.log_file),
        ("database", paths.database),
        ("settings", paths.settings),
        ("your scenarios", paths.user_scenarios),
    ):
        printer.line(label, f"{path} ({_state(path)})")
    loaded = SettingsFile(paths.settings).peek()
    if not paths.settings.exists():
        printer.line("settings file", "none yet (defaults)")
    else:
        printer.line("settings file", loaded.problem or "readable")
    return loaded.settings


def _interface_language(printer: _Printer, settings: Settings) -> None:
    """The chosen language and the catalogues this installation can read."""
    from tutor.i18n.translate import INTERFACE_LANGUAGES, SOURCE_LANGUAGE, compiled_languages

    printer.heading("Interface language")
    printer.line("chosen", settings.interface_language or "the system's")
    found = compiled_languages()
    printer.line("translations", ", ".join(found) or "none")
    missing = [code for code in INTERFACE_LANGUAGES if code not in (SOURCE_LANGUAGE, *found)]
    if missing:
        printer.line("not compiled", f"{', '.join(missing)} (scripts/catalogues compile)")


def _state(path: Path) -> str:
    if not path.exists():
        return "missing"
    kind = "folder" if path.is_dir() else f"{path.stat().st_size:,} bytes"
    writable = "writable" if os.access(path, os.W_OK) else "NOT writable"
    return f"exists, {kind}, {writable}"


def _database(printer: _Printer, path: Path) -> None:
    printer.heading("Database")
    if not path.is_file():
        printer.line("file", "none yet (Tutor makes it on first start)")
        return
    try:
        # mode=ro: a doctor must not migrate, switch the journal or leave a new file.
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        printer.line("file", f"cannot be opened: {error}")
        return
    try:
        db.execute("PRAGMA busy_timeout=2000")
        version = schema_version(db)
        known = len(MIGRATIONS)
        note = (
            "current"
            if version == known
            else f"from a newer Tutor (this one knows {known})"
            if version > known
            else f"older: Tutor will upgrade it to {known}, after copying it"
        )
        printer.line("schema version", f"{version}, {note}")
        printer.line("journal mode", str(db.execute("PRAGMA journal_mode").fetchone()[0]))
        started = time.perf_counter()
        rows = db.execute("PRAGMA quick_check").fetchall()
        took = (time.perf_counter() - started) * 1000
        verdict = "ok" if [tuple(r) for r in rows] == [("ok",)] else f"DAMAGED: {rows[0][0]}"
        printer.line("integrity", f"{verdict} (quick_check, {took:.0f} ms)")
        for label, sql in (
            ("sessions", "SELECT count(*) FROM sessions"),
            ("messages", "SELECT count(*) FROM messages"),
            ("corrections", "SELECT count(*) FROM corrections"),
        ):
            try:
                printer.line(label, f"{db.execute(sql).fetchone()[0]:,}")
            except sqlite3.Error as error:
                printer.line(label, f"cannot be counted: {error}")
    except sqlite3.Error as error:
        damaged = "DAMAGED, " if is_corruption(error) else ""
        printer.line("file", f"{damaged}cannot be read: {error}")
    finally:
        db.close()


def _keyring(printer: _Printer, keys: KeyStore, base_url: str | None, env_key: str | None) -> None:
    """What the keyring holds for the server; the key itself is never printed."""
    printer.heading("Keyring")
    try:
        printer.line("backend", keys.backend_name())
    except Exception as error:  # keyring's own start-up can fail in many ways
        printer.line("backend", f"none ({type(error).__name__}: {error})")
    problem = keys.problem()
    printer.line("works", "yes" if problem is None else f"no ({problem})")
    if base_url and problem is None:
        stored = keys.get(base_url)  # presence only; a key found is kept for the server check
        printer.line("key stored", f"{'yes' if stored is not None else 'no'}, for {base_url}")
    elif base_url:
        printer.line("key stored", f"unknown, for {base_url} (the keyring does not answer)")
    used = "set (used instead of the keyring)" if env_key else "not set"
    printer.line(KEY_VARIABLE, used)


def _server(
    printer: _Printer,
    settings: Settings,
    address: server.Chosen,
    model: server.Chosen,
    key: str | None,
    timeout: float,
) -> None:
    printer.heading("Model server")
    base_url, base_url_from = address
    model_name, model_from = model
    if base_url is None:
        printer.line("address", "not set up yet (the welcome asks for it)")
        return
    printer.line("address", f"{base_url} (from {base_url_from})")
    if settings.provider is not None and settings.provider.base_url != base_url:
        printer.line("settings say", settings.provider.base_url)
    printer.line("model", f"{model_name} (from {model_from})" if model_name else "not chosen")
    printer.line("proxy", _proxy(settings.proxy))
    printer.line("key sent", "yes" if key else "none")

    from tutor.llm.client import ChatClient, Timeouts
    from tutor.llm.errors import LlmError

    # Without a model the server can still be asked which models it has.
    config = server.connection(base_url, model_name or "", key, settings)
    started = time.perf_counter()
    try:
        models = ChatClient(config, Timeouts(connect=timeout, read=timeout)).list_models()
    except LlmError as error:
        printer.line("answers", f"no: {error.message}")
        return
    except Exception as error:  # the report must be printed whatever the client raises
        printer.line("answers", f"no: {type(error).__name__}: {error}")
        return
    took = (time.perf_counter() - started) * 1000
    printer.line("answers", f"yes, in {took:.0f} ms")
    shown = ", ".join(models[:20]) + (f" … ({len(models)} in all)" if len(models) > 20 else "")
    printer.line("models", shown or "none listed")
    if model_name:
        found = "yes" if model_name in models else "NO: the server does not list it"
        printer.line("model available", found)


def _proxy(proxy: str) -> str:
    """The proxy without any user name or password in it."""
    if proxy:
        parts = urlsplit(proxy)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port} (settings)"
    from_environment = [
        name for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY") if os.environ.get(name)
    ]
    if from_environment:
        return f"from the environment ({', '.join(from_environment)})"
    return "none"
