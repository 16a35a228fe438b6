"""The database under a turn: saving a message and its correction, and the streaming
reply's periodic saves, in a copy of the large data dir.

Run: .venv/bin/python -m benchmarks.run --only database

- One transaction? The statements SQLite runs while the app saves a learner's message
  and records its check (`SessionStore.add_message(..., checking_with=model)`, as
  `PracticeController.send` does) and later stores the verdict (`CorrectionStore.save`)
  are traced, and the transactions counted.
- Each of those calls is timed on its own (median of many).
- `save_partial_text` is timed as a reply grows (p99 and worst: "each" save): once a
  second the whole text so far is written (and the FTS index of the message updated by
  its trigger), up to about 4,000 characters, a long reply. After each reply the WAL is
  folded into the file, as the app does on a pool thread when a reply ends
  (`PracticeController._checkpoint`); that fold is not timed, since it is not on the GUI
  thread. Then the same without those folds, with SQLite's automatic checkpoint (which
  runs inside whichever write crosses its limit), is reported beside it.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.common import Config, Figure, ms, summary
from benchmarks.data import MODEL, make_text
from benchmarks.gui import copy_data
from tutor.domain.conversation import MessageState, Role
from tutor.domain.corrections import CoachPath, CoachVerdict, build_marks
from tutor.store.corrections import CorrectionStore
from tutor.store.database import checkpoint, open_database
from tutor.store.sessions import SessionStore

LEARNER = "Ayer yo fue al parque con mi hermana y comimos un helado."
CORRECTED = "Ayer yo fui al parque con mi hermana y comimos un helado."
PIECE = " y entonces fuimos a la playa a ver el atardecer"  # about a second of a reply


def count_transactions(
    sessions: SessionStore, corrections: CorrectionStore, session_id: int
) -> dict[str, int]:
    """COMMITs SQLite runs for one learner message: its save, its check, its verdict."""
    statements: list[str] = []
    connection = sessions._db
    connection.set_trace_callback(statements.append)
    verdict = CoachVerdict(CORRECTED, ())
    try:
        # As PracticeController.send() does: the message and the start of its check.
        message = sessions.add_message(session_id, Role.USER, LEARNER, checking_with=MODEL)
        saved = _commits(statements)
        begun = 0
        corrections.save(
            message.id,
            verdict,
            build_marks(LEARNER, verdict),
            model=MODEL,
            path=CoachPath.JSON_SCHEMA,
            usage=None,
        )
        checked = _commits(statements) - saved - begun
    finally:
        connection.set_trace_callback(None)
    return {"add_message": saved, "begin": begun, "save": checked}


def _commits(statements: list[str]) -> int:
    # Statements outside BEGIN … COMMIT are transactions of their own (autocommit).
    commits, inside = 0, False
    for statement in statements:
        word = statement.strip().split(None, 1)[0].upper() if statement.strip() else ""
        if word == "BEGIN":
            inside = True
        elif word in ("COMMIT", "END"):
            inside = False
            commits += 1
        elif not inside and word in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            commits += 1
    return commits


def run(config: Config) -> list[Figure]:
    folder = copy_data(config.data, config.work / "database")
    connection = open_database(folder / "tutor.sqlite3")
    sessions, corrections = SessionStore(connection), CorrectionStore(connection)
    session_id = sessions.latest_session()
    assert session_id is not None
    sid = session_id.id
    transactions = count_transactions(sessions, corrections, sid)

    repeats = 40 if config.quick else 300
    verdict = CoachVerdict(CORRECTED, ())
    marks = build_marks(LEARNER, verdict)
    add, begin, save = [], [], []
    for index in range(repeats):
        text = make_text_for(index)
        started = time.perf_counter()
        message = sessions.add_message(sid, Role.USER, text)
        add.append(ms(time.perf_counter() - started))
        started = time.perf_counter()
        corrections.begin(message.id, MODEL)
        begin.append(ms(time.perf_counter() - started))
        started = time.perf_counter()
        corrections.save(
            message.id, verdict, marks, model=MODEL, path=CoachPath.JSON_SCHEMA, usage=None
        )
        save.append(ms(time.perf_counter() - started))

    path = folder / "tutor.sqlite3"
    checkpoint(path)  # the app folds the WAL after every reply; these turns had none
    by_length: dict[str, list[float]] = {"under 1,000": [], "1,000-4,000": []}
    replies = 3 if config.quick else 20
    partial = partial_saves(sessions, sid, replies, by_length, fold=path)
    # Without the app's folds: the automatic checkpoint runs inside some save instead.
    unfolded = partial_saves(sessions, sid, replies, {})
    connection.close()

    one = transactions["add_message"] + transactions["begin"] <= 1
    partial_summary = summary(partial)
    return [
        Figure(
            "database.one_transaction",
            "A learner's message and its correction saved in one transaction",
            1.0 if one else 0.0,
            "",
            None,
            measured=(
                f"{'yes' if one else 'no'}: add_message {transactions['add_message']}, "
                f"begin {transactions['begin']}, save (verdict) {transactions['save']} "
                "transaction(s)"
            ),
            details=transactions,
            passed_override=one,
            target_label="one",
        ),
        _timing("database.add_message_ms", "SessionStore.add_message", add),
        _timing("database.correction_begin_ms", "CorrectionStore.begin", begin),
        _timing("database.correction_save_ms", "CorrectionStore.save (with marks)", save),
        Figure(
            "database.save_partial_p99_ms",
            "Streaming reply's periodic save, save_partial_text (p99)",
            partial_summary["p99"],
            "ms",
            1.0,
            measured=f"{partial_summary['p99']:.2f} ms (median "
            f"{partial_summary['median']:.2f}, worst {partial_summary['max']:.2f} ms; texts "
            f"up to 4,000 characters; without the app's WAL folds between replies, worst "
            f"{summary(unfolded)['max']:.0f} ms)",
            details={
                "all": partial_summary,
                **{k: summary(v) for k, v in by_length.items()},
                "without_folds_between_replies": summary(unfolded),
            },
        ),
    ]


def partial_saves(
    sessions: SessionStore,
    session_id: int,
    replies: int,
    by_length: dict[str, list[float]],
    fold: Path | None = None,
) -> list[float]:
    """Milliseconds of each save_partial_text of `replies` replies growing to 4,000
    characters, a save per second of text; `fold`: the database whose WAL is folded
    after each reply, as the app does (untimed: the app does it off the GUI thread)."""
    times: list[float] = []
    for _ in range(replies):
        reply = sessions.add_message(
            session_id, Role.ASSISTANT, "", state=MessageState.STREAMING, model=MODEL
        )
        text = ""
        while len(text) < 4000:
            text += PIECE * 5
            started = time.perf_counter()
            sessions.save_partial_text(reply.id, text)
            elapsed = ms(time.perf_counter() - started)
            times.append(elapsed)
            if by_length:
                by_length["under 1,000" if len(text) < 1000 else "1,000-4,000"].append(elapsed)
        sessions.finish_message(reply.id, text=text, state=MessageState.COMPLETE)
        if fold is not None:
            checkpoint(fold)
    return times


def make_text_for(index: int) -> str:
    import random

    return make_text(random.Random(index), "es", True, index)


def _timing(key: str, what: str, values: list[float]) -> Figure:
    found = summary(values)
    return Figure(
        key,
        f"{what} (median)",
        found["median"],
        "ms",
        None,
        measured=f"{found['median']:.2f} ms (p95 {found['p95']:.2f}, worst {found['max']:.2f} ms)",
        details=found,
    )
