"""The SQLite connection: WAL, foreign keys, numbered migrations under PRAGMA user_version.

Faults the learner can meet, and what happens (tests/test_database_faults.py):

- a damaged file: DatabaseCorruptError at open (quick_check, or the header and schema for a
  large file); the UI offers to set it aside (`set_aside_corrupt`) and start a new one;
- a file or folder Tutor may not write: opened read-only (`is_read_only`), and every write
  fails with SQLITE_READONLY, which `storage_problem()` puts in words;
- a full disk: SQLITE_FULL on a write, in words by `storage_problem()`;
- a file from a newer Tutor: DatabaseTooNewError, the file left as it is;
- another connection writing: `busy_timeout` waits up to 3 s instead of failing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tutor.i18n.translate import _
from tutor.store.migrations import MIGRATIONS
from tutor.store.storage_words import CORRUPTION_CODES
from tutor.store.storage_words import storage_problem as storage_problem  # callers' import

BUSY_TIMEOUT_MS = 3000

QUICK_CHECK_MAX_BYTES = 8 * 1024 * 1024
"""Files up to this size get PRAGMA quick_check at every open.

quick_check reads every page: for a 48 MB file of 100,000 messages it took 284 ms with
the file in the page cache and 440 to 665 ms cold (benchmarks/database_check.py), which
a start-up cannot afford. At 15,000 messages (7 MB) it takes 43 ms warm, 81 ms cold. A
larger file gets its header and schema read at open (under 1 ms); damage elsewhere surfaces as
SQLITE_CORRUPT on first use (the start-up scan of the messages table reads every row),
which `database_error()` turns into the same DatabaseCorruptError.
"""


class DatabaseError(Exception):
    """The database cannot be used; the message says why in words for the learner."""


class DatabaseTooNewError(DatabaseError):
    pass


class DatabaseCorruptError(DatabaseError):
    """The file is damaged or not a database. `path` is the file, so it can be set aside."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


AUTOCHECKPOINT_PAGES = 8000


def checkpoint(path: Path) -> None:
    """Move the WAL into the database file, from any thread, on a connection of its own.
    PASSIVE: it never waits for, or blocks, the writer on the GUI thread."""
    connection = sqlite3.connect(path, timeout=0)
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        connection.close()


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path`.

    A file (or folder) Tutor may not write is opened read-only instead: see is_read_only().
    """
    existed = path.exists()
    if existed and not _writable(path):
        return open_read_only(path)
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(cannot_open(path, error)) from error
    try:
        # First: a second Tutor (or `tutor export`) holding a lock for a moment makes
        # this connection wait, not fail, even for the switch to WAL below.
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if existed:
            check_intact(connection, path)
        # Before anything that writes (switching to WAL rewrites the header): a file
        # from a newer Tutor, or no database at all, must be left exactly as it is.
        if schema_version(connection) > len(MIGRATIONS):
            migrate(connection, path)  # raises DatabaseTooNewError
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys=ON")
        # NORMAL in WAL mode survives an application crash; only power loss can
        # lose the newest commits, which a chat app can accept for its speed.
        connection.execute("PRAGMA synchronous=NORMAL")
        # SQLite checkpoints inside whichever commit crosses 1,000 pages: on the GUI
        # thread, that was the 15 ms tail of a streaming save. Tutor checkpoints from a
        # pool thread after each reply (checkpoint()); this bound only catches a WAL that
        # grows anyway.
        connection.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        if not existed:
            path.chmod(0o600)
        migrate(connection, path)
    except sqlite3.DatabaseError as error:
        connection.close()
        if existed and error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_READONLY:
            # Writable by its mode, yet refused (a read-only mount): read it as it is.
            return open_read_only(path)
        raise database_error(error, path) from error
    except BaseException:
        connection.close()
        raise
    return connection


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open an existing database without ever writing to it (`mode=ro`, `query_only`).

    Its sessions can be read; any write raises sqlite3.OperationalError with
    SQLITE_READONLY. A schema that needs a migration cannot be used read-only.
    """
    uri = path.resolve().as_uri()
    try:
        connection = _connect_read_only(f"{uri}?mode=ro")
    except sqlite3.OperationalError:
        # A WAL file in a folder Tutor cannot write: SQLite cannot make the -shm file it
        # reads through. Nothing else can write there either, so `immutable` is safe.
        connection = _connect_read_only(f"{uri}?mode=ro&immutable=1")
    try:
        connection.execute("PRAGMA query_only=ON")
        connection.execute("PRAGMA foreign_keys=ON")
        check_intact(connection, path)
        version = schema_version(connection)
        if version > len(MIGRATIONS):
            migrate(connection, path)  # raises DatabaseTooNewError, writes nothing
        if version < len(MIGRATIONS):
            raise DatabaseError(
                _(
                    "The conversation file {path} is read-only, and this Tutor needs to "
                    "update it (schema {version} to {newest}). Make the file and its "
                    "folder writable, then start Tutor again; the file was left as it is."
                ).format(path=path, version=version, newest=len(MIGRATIONS))
            )
    except sqlite3.DatabaseError as error:
        connection.close()
        raise database_error(error, path) from error
    except BaseException:
        connection.close()
        raise
    return connection


def open_reader(path: Path) -> sqlite3.Connection:
    """A second connection to a database already open, that only reads: for a pool thread
    (in WAL mode it reads while the GUI thread's connection writes, and never waits for
    it). The first connection has checked and migrated the file; this one does neither.
    Close it on the thread that opened it."""
    uri = path.resolve().as_uri()
    try:
        connection = _connect_read_only(f"{uri}?mode=ro")
    except sqlite3.OperationalError:
        connection = _connect_read_only(f"{uri}?mode=ro&immutable=1")  # as open_read_only
    connection.execute("PRAGMA query_only=ON")
    return connection


def _connect_read_only(uri: str) -> sqlite3.Connection:
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.OperationalError:
        connection.close()
        raise
    except sqlite3.DatabaseError:
        return connection  # damage: check_intact() says so, in words
    return connection


def _writable(path: Path) -> bool:
    """The file and its folder (WAL writes the -wal and -shm files beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def is_read_only(connection: sqlite3.Connection) -> bool:
    """True for a connection from open_read_only(): nothing can be saved through it."""
    return bool(connection.execute("PRAGMA query_only").fetchone()[0])


def check_intact(connection: sqlite3.Connection, path: Path) -> None:
    """Raise DatabaseCorruptError if the file is damaged (see QUICK_CHECK_MAX_BYTES)."""
    try:
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            rows = connection.execute("PRAGMA quick_check").fetchall()
            if [tuple(row) for row in rows] != [("ok",)]:
                raise DatabaseCorruptError(_damaged(path, str(rows[0][0])), path)
        else:
            # Reads page 1 and the schema: a smashed header or schema fails here.
            connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except sqlite3.DatabaseError as error:
        if is_corruption(error):
            raise DatabaseCorruptError(_damaged(path, str(error)), path) from error
        raise


def is_corruption(error: sqlite3.Error) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB: the file is damaged, or not a database at all."""
    return getattr(error, "sqlite_errorcode", 0) & 0xFF in CORRUPTION_CODES


def database_error(error: sqlite3.Error, path: Path) -> DatabaseError:
    """An SQLite error at open or on first use, as a DatabaseError in words."""
    if is_corruption(error):
        return DatabaseCorruptError(_damaged(path, str(error)), path)
    return DatabaseError(cannot_open(path, error))


def cannot_open(path: Path, error: Exception) -> str:
    # Translators: {error} is SQLite's or the system's own words, in English.
    return _("The conversation file {path} cannot be opened: {error}.").format(
        path=path, error=error
    )


def _damaged(path: Path, detail: str) -> str:
    # Translators: {detail} is SQLite's own words, in English.
    return _("The conversation file {path} is damaged and cannot be read ({detail}).").format(
        path=path, detail=detail
    )


def set_aside_corrupt(path: Path) -> Path:
    """Rename a damaged database (with its -wal and -shm) to `<name>.corrupt-<time>`.

    Never overwrites an earlier one and never deletes anything: the learner, or a tool
    such as sqlite3's `.recover`, may still get conversations out of it. Returns the new
    name of the main file.
    """
    stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    kept = path.with_name(stem)
    number = 1
    while any(p.exists() for p in (kept, Path(f"{kept}-wal"), Path(f"{kept}-shm"))):
        number += 1
        kept = path.with_name(f"{stem}-{number}")
    # The -wal file first: renamed alone, the main file would lose the newest commits.
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            companion.rename(f"{kept}{suffix}")
    path.rename(kept)
    return kept


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, path: Path | None = None) -> None:
    """Bring the schema to the newest version, one numbered step at a time.

    Each step runs in one transaction; an existing file is copied aside first, so a
    failed or buggy migration never costs the learner their history.
    """
    # Every caller has read the version already, inside its own database_error() mapping.
    current = schema_version(connection)
    target = len(MIGRATIONS)
    if current > target:
        raise DatabaseTooNewError(
            _(
                "The conversation file was written by a newer Tutor (schema {version}, this "
                "one knows {newest}). Update Tutor to open it; the file was left as it is."
            ).format(version=current, newest=target)
        )
    if current == target:
        return
    if current > 0 and path is not None:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(path, path.with_name(f"{path.name}.before-v{current + 1}"))
    for version in range(current + 1, target + 1):
        with transaction(connection):
            for statement in MIGRATIONS[version - 1]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version}")


def rows_by_name(
    connection: sqlite3.Connection, sql: str, parameters: tuple[Any, ...] = ()
) -> sqlite3.Cursor:
    """Run a query whose rows are read by column name (sqlite3.Row), so its column list
    can change order or grow without a reader miscounting. Set on this cursor, not the
    connection: the stores share the connection, and the others read plain tuples."""
    cursor = connection.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, parameters)


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One transaction: all of it is stored, or none of it.

    It nests. Called while a transaction is open on the connection (a use case writing
    through several stores at once), it becomes a savepoint inside it: the store method
    keeps its own all-or-nothing, and what it wrote is committed, or rolled back, with
    the outer transaction. Called alone, it is a transaction of its own."""
    if connection.in_transaction:
        with _savepoint(connection):
            yield connection
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
        connection.execute("COMMIT")
    except BaseException:
        # Also when COMMIT itself fails (a full disk, a busy file): a transaction left
        # open would turn every later one into a savepoint inside it, never committed.
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


@contextlib.contextmanager
def _savepoint(connection: sqlite3.Connection) -> Iterator[None]:
    # One name serves every level: SQLite's savepoints are a stack, and ROLLBACK TO and
    # RELEASE act on the newest of that name, which is this level's.
    name = "nested"
    connection.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        # SQLite may have rolled the whole transaction back already (a full disk does):
        # then there is no savepoint left to return to, and the outer level says so.
        if connection.in_transaction:
            connection.execute(f"ROLLBACK TO {name}")
            connection.execute(f"RELEASE {name}")
        raise
    connection.execute(f"RELEASE {name}")
