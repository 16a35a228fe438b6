"""A partner who remembers: reading the facts the learner shared from a session, keeping
them, and giving the chosen ones to the partner at each request.

Reading a session: `reading_call` (GUI thread) takes the learner's messages not read
yet; `run_reading` (a pool thread: the keyring, the network) asks the coach's model;
`keep_reading` (GUI thread) merges the facts and records the reading with its tokens,
which the session's report counts; `reading_failed` records why it failed, quietly (the
facts window says it; the messages are read again next time). With memory off no call
is made, and an answer that arrives after memory was turned off keeps no fact.

The partner's instructions: `FactsSteering` gives the facts block at request time
(domain/memory_block.py), composed with the level steering (`ComposedSteering`), so no
copy of a fact is stored with a session and an edit or "Forget everything" applies to
the next request.

Never logged: the learner's words and the facts; only ids, counts and error kinds.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import CoachPath
from tutor.domain.memory import (
    FactChanges,
    FactKind,
    FactSource,
    LearnerFact,
    NewFact,
    clean_fact_text,
    merge_facts,
)
from tutor.domain.memory_block import facts_block
from tutor.domain.memory_prompt import LearnerLine, MemoryQuestion, lines_to_read
from tutor.domain.session import PracticeSession
from tutor.domain.settings import Settings
from tutor.i18n.translate import N_, _
from tutor.llm.client import ServerConfig
from tutor.llm.errors import explain
from tutor.llm.factory import ClientFactory
from tutor.llm.memory import MemoryResult, ask_facts
from tutor.services.changes import Change, ChangeHub
from tutor.services.reports import count_memory_tokens
from tutor.services.server import current_client
from tutor.services.settings import SettingsContext, change_memory
from tutor.store.atomic_file import PRIVATE, write_atomically
from tutor.store.corrections import CorrectionStore
from tutor.store.learner_facts import LearnerFactStore
from tutor.store.reports import ReportStore
from tutor.store.sessions import SessionStore

log = logging.getLogger(__name__)

QUIET_EVERY = 8
"""In a long session, the learner messages not read yet that make a quiet moment worth a
reading (the interface waits for the learner to be idle: tutor/ui/memory/reading.py)."""

CATCH_UP_DAYS = 14
CATCH_UP_MOST = 3
"""At start, the sessions of the last CATCH_UP_DAYS days left with messages not read (Tutor
closed before the session ended or was left) are read, at most CATCH_UP_MOST of them:
a learner who told their name and quit expects the next session to know it."""

FACT_NEEDED = N_("A fact needs a few words.")


class Steering(Protocol):
    def steering(self, session: PracticeSession, history: Sequence[ChatMessage]) -> str | None: ...


class MemoryContext(Protocol):
    """What memory needs of the application (the interface's context has all of it)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def sessions(self) -> SessionStore: ...
    @property
    def corrections(self) -> CorrectionStore: ...
    @property
    def learner_facts(self) -> LearnerFactStore: ...
    @property
    def reports(self) -> ReportStore: ...
    @property
    def clients(self) -> ClientFactory: ...
    @property
    def changes(self) -> ChangeHub: ...
    def server_address(self) -> tuple[str, str] | None: ...
    def coach_model(self) -> str | None: ...
    def server_config(self) -> ServerConfig | None: ...


@dataclass(frozen=True)
class ReadingCall:
    """One reading of a session, ready to leave."""

    session_id: int
    question: MemoryQuestion
    up_to_message_id: int
    model: str
    first_path: CoachPath


def unread_lines(context: MemoryContext, session_id: int) -> list[LearnerLine]:
    """The learner's messages of the session not read for facts yet, oldest first, each
    with the day it was written on the learner's clock."""
    read = context.learner_facts.read_up_to(session_id)
    return [
        LearnerLine(m.id, m.created_at.astimezone().date(), m.text)
        for m in context.sessions.messages(session_id)
        if m.role is Role.USER and m.id > read and m.text.strip()
    ]


def reading_call(context: MemoryContext, session_id: int, at_least: int = 1) -> ReadingCall | None:
    """A reading of the session's unread messages; None with memory off, no server, or
    fewer than `at_least` unread messages."""
    if not context.settings.memory:
        return None
    address, model = context.server_address(), context.coach_model()
    if address is None or model is None:
        return None
    unread = unread_lines(context, session_id)
    if len(unread) < max(1, at_least):
        return None
    lines = lines_to_read(unread)
    session = context.sessions.session(session_id)
    profile = session.profile
    question = MemoryQuestion(
        profile.target.english_name,
        profile.native.english_name,
        tuple(lines),
        tuple(context.learner_facts.facts()),
    )
    first_path = context.corrections.coach_path(address[0], model) or CoachPath.JSON_SCHEMA
    return ReadingCall(session_id, question, lines[-1].message_id, model, first_path)


def sessions_to_catch_up(context: MemoryContext, started: datetime) -> list[int]:
    """Sessions with messages written before this run `started` that no reading reached
    (see CATCH_UP_DAYS), newest first; none with memory off or no server. What is written
    in this run is read when its session ends or is left."""
    if not context.settings.memory or context.server_address() is None:
        return []
    since = started - timedelta(days=CATCH_UP_DAYS)
    return context.learner_facts.sessions_with_unread(since, started, CATCH_UP_MOST)


def run_reading(context: MemoryContext, call: ReadingCall) -> MemoryResult:
    """Runs on a pool thread, given the context, never a widget. LlmError, in words."""
    return ask_facts(current_client(context), call.question, call.model, call.first_path)


def keep_reading(context: MemoryContext, call: ReadingCall, result: MemoryResult) -> FactChanges:
    """Merge the facts read (none when memory was turned off meanwhile) and record the
    reading with its tokens, in one transaction; the report counts them."""
    store = context.learner_facts
    changes = FactChanges()
    if context.settings.memory:
        changes = merge_facts(store.facts(), result.facts)
    store.keep_reading(
        changes, call.session_id, call.up_to_message_id, model=result.model, usage=result.usage
    )
    log.info(
        "session %d read for facts: %d new, %d mentioned, %d updated",
        call.session_id,
        len(changes.added),
        len(changes.mentioned),
        len(changes.updated),
    )
    _count_in_report(context, call.session_id)
    context.changes.publish(Change.FACTS, call.session_id)
    return changes


def reading_failed(context: MemoryContext, call: ReadingCall, error: BaseException) -> str:
    """Record why a reading failed (shown quietly in the facts window; nothing is kept
    and the messages are read again next time); the words."""
    address = context.server_address()
    explained = explain(error, address[0] if address else "", call.model)
    log.warning("reading session %d for facts failed: %s", call.session_id, explained.kind)
    context.learner_facts.record_reading(
        call.session_id,
        call.up_to_message_id,
        model=call.model,
        usage=None,
        error=explained.message,
    )
    context.changes.publish(Change.FACTS, call.session_id)
    return explained.message


def _count_in_report(context: MemoryContext, session_id: int) -> None:
    """A report made before this reading (at the session's end) counts it too."""
    session = context.sessions.session(session_id)
    tokens = context.learner_facts.tokens(session_id)
    if count_memory_tokens(context.reports, session, tokens):
        context.changes.publish(Change.REPORTS, session_id)


# -- the partner's instructions ----------------------------------------------------------


class FactsSteering:
    """The facts block for the partner's next request (None with memory off or no fact)."""

    def __init__(self, context: MemoryContext, today: Callable[[], date] = date.today) -> None:
        self._context = context
        self._today = today

    def steering(self, session: PracticeSession, history: Sequence[ChatMessage]) -> str | None:
        if not self._context.settings.memory:
            return None
        facts = self._context.learner_facts.facts()
        return facts_block(facts, self._today(), session.profile.target.english_name)


class ComposedSteering:
    """Several steerings, each adding its part to the system message, in order."""

    def __init__(self, *parts: Steering) -> None:
        self._parts = parts

    def steering(self, session: PracticeSession, history: Sequence[ChatMessage]) -> str | None:
        found = [part.steering(session, history) for part in self._parts]
        joined = "\n\n".join(text for text in found if text)
        return joined or None


# -- what the learner does in the facts window --------------------------------------------


def add_fact(context: MemoryContext, text: str, kind: FactKind, about: date | None) -> LearnerFact:
    """A fact the learner adds by hand. ValueError (FACT_NEEDED) when it has no words."""
    fact = context.learner_facts.add(_typed(text, kind, about), source=FactSource.LEARNER)
    context.changes.publish(Change.FACTS)
    return fact


def edit_fact(
    context: MemoryContext, fact_id: int, text: str, kind: FactKind, about: date | None
) -> LearnerFact:
    """The learner's own words for a fact. ValueError (FACT_NEEDED) when it has none."""
    fact = context.learner_facts.edit(fact_id, _typed(text, kind, about))
    context.changes.publish(Change.FACTS)
    return fact


def delete_fact(context: MemoryContext, fact_id: int) -> None:
    context.learner_facts.delete(fact_id)
    context.changes.publish(Change.FACTS)


def forget_everything(context: MemoryContext) -> int:
    """Delete every fact and every reading; how many facts. What was said until now is
    never read again (each session's messages count as read), or ending an old session
    would bring back what the learner asked to forget."""
    store = context.learner_facts
    count = store.forget_all()
    store.mark_all_read()
    log.info("forgot %d facts", count)
    context.changes.publish(Change.FACTS)
    return count


class SwitchContext(SettingsContext, Protocol):
    """What the memory switch needs: the settings, and the facts' store."""

    @property
    def learner_facts(self) -> LearnerFactStore: ...


def switch_memory(context: SwitchContext, on: bool) -> None:
    """Memory on or off (saved in the settings). Turned on, what was said while it was
    off counts as read: nothing said then is ever remembered. OSError when the settings
    cannot be written; then nothing has changed."""
    change_memory(context, on)
    if on:
        context.learner_facts.mark_all_read()
    context.changes.publish(Change.FACTS)


def export_facts(context: MemoryContext, path: Path) -> int:
    """Write every fact to `path` as JSON (readable by the owner only); how many.
    OSError when it cannot be written (the file is then as it was)."""
    facts = [
        {
            "kind": origin.fact.kind.value,
            "text": origin.fact.text,
            "date": origin.fact.about_date.isoformat() if origin.fact.about_date else None,
            "source": origin.fact.source.value,
            "session": origin.session_title,
            "mentions": origin.fact.mentions,
            "created_at": origin.fact.created_at.isoformat(),
            "updated_at": origin.fact.updated_at.isoformat(),
        }
        for origin in context.learner_facts.with_sessions()
    ]
    data = json.dumps({"learner_facts": facts}, ensure_ascii=False, indent=2) + "\n"
    write_atomically(path, data.encode("utf-8"), mode=PRIVATE)
    return len(facts)


def _typed(text: str, kind: FactKind, about: date | None) -> NewFact:
    cleaned = clean_fact_text(text)
    if not cleaned:
        raise ValueError(_(FACT_NEEDED))
    return NewFact(cleaned, kind, about)
