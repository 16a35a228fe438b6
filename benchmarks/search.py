"""Search over 100,000 messages in many languages: how long a query takes.

Run: .venv/bin/python -m benchmarks.search [--messages N]
Prints the median and worst time per query; the issue's target is under 30 ms.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.store.database import open_database, transaction
from tutor.store.search import MessageSearch
from tutor.store.sessions import SessionStore

LINES = {
    "es": [
        "Ayer fui al parque con mi hermana.",
        "¿Qué te gusta comer los domingos?",
        "Me gustaría reservar una mesa para dos.",
        "El tren sale a las ocho y media.",
    ],
    "ja": [
        "週末は友達と京都に行きました。",
        "金閣寺はとてもきれいでした。",
        "駅までどうやって行きますか。",
        "日本の食べ物が大好きです。",
    ],
    "ar": [
        "قرأت رواية جميلة عن مدينة القاهرة.",
        "أحب المشي قرب النيل في المساء.",
        "هل يمكنك أن تساعدني من فضلك؟",
        "أين محطة القطار؟",
    ],
    "en": [
        "Yesterday I went to the park.",
        "Could you tell me the way to the station?",
        "I would like a coffee with milk, please.",
        "What did you do at the weekend?",
    ],
}
QUERIES = ["parque", "京都", "金閣寺", "القاهرة", "station", "coffee with milk", "zz", "xyzzy"]


def fill(store: SessionStore, connection: sqlite3.Connection, count: int) -> None:
    rng = random.Random(7)
    languages = list(LINES)
    per_session = 200
    with transaction(connection):
        for start in range(0, count, per_session):
            code = languages[(start // per_session) % len(languages)]
            session = store.create_session(
                LearnerProfile(code, Level.B1, "en" if code != "en" else "es"),
                FREE_CONVERSATION,
                base_url="http://x/v1",
                model="m",
                system_message="s",
            )
            now = "2026-01-01T10:00:00+00:00"
            connection.executemany(
                "INSERT INTO messages (session_id, role, text, created_at, state)"
                " VALUES (?, ?, ?, ?, 'complete')",
                [
                    (
                        session.id,
                        "user" if i % 2 else "assistant",
                        f"{rng.choice(LINES[code])} {rng.randint(0, 99999)}",
                        now,
                    )
                    for i in range(min(per_session, count - start))
                ],
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        connection = open_database(Path(folder) / "bench.sqlite3")
        store = SessionStore(connection)
        started = time.perf_counter()
        fill(store, connection, args.messages)
        print(f"filled {args.messages:,} messages in {time.perf_counter() - started:.1f} s")
        search = MessageSearch(connection)
        for query in QUERIES:
            times = []
            for _ in range(15):
                t = time.perf_counter()
                hits = search.search(query)
                times.append((time.perf_counter() - t) * 1000)
            print(
                f"{query!r:>22}: {len(hits):3d} hits, median {statistics.median(times):6.2f} ms,"
                f" worst {max(times):6.2f} ms"
            )
        connection.close()


if __name__ == "__main__":
    main()
