"""What the partner's memory costs the window's thread.

Run: .venv/bin/python -m benchmarks.run --only memory

- steering: the facts block added to each partner request as it is built (on the GUI
  thread, between Enter and the request leaving): every fact read from SQLite, chosen
  within the budget and framed, with 300 facts kept (far more than a learner shares);
- keep: a reading's answer kept on the GUI thread: 12 facts merged into those 300 and
  written, with the reading, in one transaction.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

from benchmarks.common import Config, Figure, ms, summary

FACTS = 300
STEERING_TARGET_MS = 2.0
"""A small share of the 16 ms frame in which Enter sends the request."""
KEEP_TARGET_MS = 16.0


def run(config: Config) -> list[Figure]:
    from tutor.domain.conversation import Role
    from tutor.domain.corrections import CoachPath
    from tutor.domain.levels import Level
    from tutor.domain.memory import FactKind, FactSource, NewFact
    from tutor.domain.profile import LearnerProfile
    from tutor.domain.scenarios import FREE_CONVERSATION
    from tutor.domain.settings import Settings
    from tutor.llm.memory import MemoryResult
    from tutor.services.changes import ChangeHub
    from tutor.services.memory import FactsSteering, keep_reading, reading_call
    from tutor.store.corrections import CorrectionStore
    from tutor.store.database import open_database
    from tutor.store.learner_facts import LearnerFactStore
    from tutor.store.reports import ReportStore
    from tutor.store.sessions import SessionStore

    connection = open_database(config.work / "memory.sqlite3")

    @dataclass
    class Context:  # the parts of the application context memory reads
        sessions: SessionStore
        corrections: CorrectionStore
        learner_facts: LearnerFactStore
        reports: ReportStore
        settings: Settings
        changes: ChangeHub

        def server_address(self) -> tuple[str, str] | None:
            return ("http://127.0.0.1:1/v1", "m")

        def coach_model(self) -> str | None:
            return "m"

        def server_config(self) -> None:
            return None

    context = Context(
        SessionStore(connection),
        CorrectionStore(connection),
        LearnerFactStore(connection),
        ReportStore(connection),
        Settings(),
        ChangeHub(),
    )
    session = context.sessions.create_session(
        LearnerProfile("es", Level.A2, "en"),
        FREE_CONVERSATION,
        base_url="http://127.0.0.1:1/v1",
        model="m",
        system_message="s",
    )
    kinds = list(FactKind)
    today = date.today()
    for number in range(FACTS):
        kind = kinds[number % len(kinds)]
        day = today + timedelta(days=number % 30 - 10) if kind is FactKind.PLAN else None
        fact = NewFact(f"Fact number {number} about the learner's life", kind, day)
        context.learner_facts.add(fact, source=FactSource.EXTRACTED, session_id=session.id)
    history = [
        context.sessions.add_message(session.id, Role.USER, f"Mensaje {n}") for n in range(40)
    ]
    steering = FactsSteering(context)  # type: ignore[arg-type]
    rounds = 20 if config.quick else 200
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        block = steering.steering(session, history)
        times.append(ms(time.perf_counter() - started))
    assert block is not None
    keep_times = []
    for number in range(5 if config.quick else 30):
        context.sessions.add_message(session.id, Role.USER, f"Otro mensaje {number}")
        call = reading_call(context, session.id)  # type: ignore[arg-type]
        assert call is not None
        found = tuple(
            NewFact(f"New fact {number}-{n}", kinds[n % len(kinds)], None) for n in range(12)
        )
        result = MemoryResult(found, CoachPath.JSON_SCHEMA, "m", None)
        started = time.perf_counter()
        keep_reading(context, call, result)  # type: ignore[arg-type]
        keep_times.append(ms(time.perf_counter() - started))
    connection.close()
    median, keep = statistics.median(times), statistics.median(keep_times)

    return [
        Figure(
            "memory.steering_ms",
            f"facts block for a partner request, {FACTS} facts kept (GUI thread, median)",
            median,
            "ms",
            STEERING_TARGET_MS,
            measured=f"{median:.2f} ms (p95 {summary(times)['p95']:.2f} ms, {len(block)} chars)",
            details=summary(times),
        ),
        Figure(
            "memory.keep_ms",
            f"a reading's 12 facts merged into {FACTS} and kept (GUI thread, median)",
            keep,
            "ms",
            KEEP_TARGET_MS,
            measured=f"{keep:.2f} ms (p95 {summary(keep_times)['p95']:.2f} ms)",
            details=summary(keep_times),
        ),
    ]
