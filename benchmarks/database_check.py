"""What PRAGMA quick_check costs at open, for a file of many messages.

Run: .venv/bin/python -m benchmarks.database_check [--messages N]

Prints the file size and the median and worst time of quick_check with the file in the
page cache (warm) and after asking the kernel to drop it (cold), and the time of the
cheap check (header and schema) Tutor uses above QUICK_CHECK_MAX_BYTES. These figures
set that limit (docs/architecture.md, Data).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.search import LINES
from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.store.database import QUICK_CHECK_MAX_BYTES, open_database, transaction
from tutor.store.sessions import SessionStore

PER_SESSION = 200


def fill(path: Path, count: int) -> None:
    """Sessions of 200 messages: learner lines of one sentence, partner replies of six."""
    connection = open_database(path)
    store = SessionStore(connection)
    rng = random.Random(7)
    languages = list(LINES)
    with transaction(connection):
        for start in range(0, count, PER_SESSION):
            code = languages[(start // PER_SESSION) % len(languages)]
            session = store.create_session(
                LearnerProfile(code, Level.B1, "en" if code != "en" else "es"),
                FREE_CONVERSATION,
                base_url="http://x/v1",
                model="m",
                system_message="You are a friendly partner. " * 70,
            )
            connection.executemany(
                "INSERT INTO messages (session_id, role, text, created_at, state)"
                " VALUES (?, ?, ?, ?, 'complete')",
                [
                    (
                        session.id,
                        "user" if i % 2 else "assistant",
                        " ".join(rng.choice(LINES[code]) for _ in range(1 if i % 2 else 6)),
                        "2026-01-01T10:00:00+00:00",
                    )
                    for i in range(min(PER_SESSION, count - start))
                ],
            )
    connection.close()


def drop_from_cache(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)


def timed(path: Path, sql: str, before: Callable[[], None], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        before()
        connection = sqlite3.connect(path)
        started = time.perf_counter()
        connection.execute(sql).fetchall()
        times.append((time.perf_counter() - started) * 1000)
        connection.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        fill(path, args.messages)
        size = path.stat().st_size
        print(
            f"{args.messages:,} messages: {size / 1e6:.1f} MB "
            f"(quick_check at open up to {QUICK_CHECK_MAX_BYTES / 1e6:.1f} MB)"
        )
        for name, sql in (
            ("quick_check", "PRAGMA quick_check"),
            ("header and schema", "SELECT count(*) FROM sqlite_schema"),
        ):
            for cache, before in (("warm", lambda: None), ("cold", lambda: drop_from_cache(path))):
                times = timed(path, sql, before, args.runs)
                print(
                    f"{name:>18}, {cache}: median {statistics.median(times):7.1f} ms, "
                    f"worst {max(times):7.1f} ms"
                )


if __name__ == "__main__":
    main()
