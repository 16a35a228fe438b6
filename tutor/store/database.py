"""The SQLite connection: WAL, foreign keys, numbered migrations under PRAGMA user_version."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from tutor.store.migrations import MIGRATIONS


class DatabaseError(Exception):
    """The database cannot be used; the message says why in words for the learner."""


class DatabaseTooNewError(DatabaseError):
    pass


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path`."""
    existed = path.exists()
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(f"The conversation file {path} cannot be opened: {error}.") from error
    try:
        # Before anything that writes (switching to WAL rewrites the header): a file
        # from a newer Tutor, or no database at all, must be left exactly as it is.
        if schema_version(connection) > len(MIGRATIONS):
            migrate(connection, path)  # raises DatabaseTooNewError
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys=ON")
        # NORMAL in WAL mode survives an application crash; only power loss can
        # lose the newest commits, which a chat app can accept for its speed.
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA busy_timeout=3000")
        if not existed:
            path.chmod(0o600)
        migrate(connection, path)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise DatabaseError(f"The conversation file {path} cannot be opened: {error}.") from error
    except BaseException:
        connection.close()
        raise
    return connection


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, path: Path | None = None) -> None:
    """Bring the schema to the newest version, one numbered step at a time.

    Each step runs in one transaction; an existing file is copied aside first, so a
    failed or buggy migration never costs the learner their history.
    """
    try:
        current = schema_version(connection)
    except sqlite3.DatabaseError as error:
        raise DatabaseError(
            f"The conversation file is damaged or not a database: {error}."
        ) from error
    target = len(MIGRATIONS)
    if current > target:
        raise DatabaseTooNewError(
            f"The conversation file was written by a newer Tutor (schema {current}, this one "
            f"knows {target}). Update Tutor to open it; the file was left as it is."
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


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
