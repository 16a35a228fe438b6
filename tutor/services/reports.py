"""A session's report: its figures, made and kept the first time it is asked for, and the
model's summary (or why there is none), kept when it arrives.

Asking for the summary runs on a pool thread (`ask_summary`): it reads the keyring and
waits on the network, and touches neither a widget nor the database. Keeping what came
back (`keep_summary`, `keep_failed_summary`) is the GUI thread's, where the store is
written. Every write says Change.REPORTS, with the session's id, on the change hub.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple, Protocol
from urllib.parse import urlparse

from tutor.domain.conversation import ChatMessage, TokenUsage
from tutor.domain.level_fit import LevelFit
from tutor.domain.profile import LearnerProfile
from tutor.domain.report import (
    SessionFigures,
    SessionSummary,
    session_figures,
    with_memory_tokens,
)
from tutor.domain.session import PracticeSession
from tutor.llm.client import ServerConfig
from tutor.llm.errors import explain
from tutor.llm.factory import ClientFactory
from tutor.llm.summary import summarize
from tutor.services.changes import Change, ChangeHub
from tutor.services.server import current_client
from tutor.store.help_answers import HelpAnswerStore
from tutor.store.learner_facts import LearnerFactStore
from tutor.store.reports import ReportStore, SessionReport

log = logging.getLogger(__name__)

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class ReportContext(Protocol):
    """Where reports are read and kept, and where a write is said."""

    @property
    def reports(self) -> ReportStore: ...
    @property
    def help_answers(self) -> HelpAnswerStore: ...
    @property
    def learner_facts(self) -> LearnerFactStore: ...
    @property
    def changes(self) -> ChangeHub: ...


class SummaryContext(Protocol):
    """What asking for a summary needs: the server, and the clients that talk to it."""

    @property
    def clients(self) -> ClientFactory: ...
    def server_config(self) -> ServerConfig | None: ...


class OpenedReport(NamedTuple):
    """A session's report as kept, and whether it was made just now (then it has no
    summary yet: the caller asks for one)."""

    report: SessionReport
    new: bool


def runs_locally(session: PracticeSession) -> bool:
    """The session's model runs on this computer: it costs nothing."""
    return (urlparse(session.base_url).hostname or "") in _LOCAL_HOSTS


def build_figures(
    reports: ReportStore,
    session: PracticeSession,
    messages: list[ChatMessage],
    help_answers: HelpAnswerStore | None = None,
    fits: Sequence[LevelFit] = (),
    memory_tokens: TokenUsage | None = None,
) -> SessionFigures:
    """The session's figures from its messages; the words known from earlier sessions,
    the coach's tokens and those of help requests come from the stores. A model on this
    computer costs nothing."""
    figures = session_figures(
        session.target_language,
        messages,
        known_words=reports.known_words(session.target_language, session.id),
        coach_tokens=reports.coach_tokens(session.id),
        model=session.model,
        local=runs_locally(session),
        help_tokens=help_answers.tokens(session.id) if help_answers is not None else None,
        fits=fits,
        memory_tokens=memory_tokens,
    )
    # A "Practise my mistakes" session: how each target went.
    targets = reports.target_counts(session.id, session.practice_targets)
    return replace(figures, target_counts=targets) if targets else figures


def open_report(
    context: ReportContext,
    session: PracticeSession,
    messages: list[ChatMessage],
    fits: Callable[[], Sequence[LevelFit]] = tuple,
) -> OpenedReport:
    """The report kept with the session (opening it again shows what was written then);
    when it has none, its figures are made from `messages` now and kept, with `fits()`:
    how the replies fitted the learner's level (services/level_fit.py: session_fits)."""
    stored = context.reports.report(session.id)
    if stored is not None:
        return OpenedReport(stored, new=False)
    memory = context.learner_facts.tokens(session.id)
    figures = build_figures(
        context.reports, session, messages, context.help_answers, fits(), memory
    )
    report = context.reports.save(session.id, figures)
    context.changes.publish(Change.REPORTS, session.id)
    return OpenedReport(report, new=True)


def count_memory_tokens(reports: ReportStore, session: PracticeSession, tokens: TokenUsage) -> bool:
    """Count a reading for facts that ended after the session's report was made (at its
    end) in that report, summary kept; False when the session has no report yet (it
    will count them when it is made)."""
    kept = reports.report(session.id)
    if kept is None or kept.figures.memory_tokens == tokens:
        return False
    figures = with_memory_tokens(kept.figures, tokens, session.model, local=runs_locally(session))
    reports.save(session.id, figures, kept.summary, kept.summary_error)
    return True


def ask_summary(
    context: SummaryContext,
    model: str,
    profile: LearnerProfile,
    messages: list[ChatMessage],
) -> SessionSummary:
    """Runs on a pool thread: reads the keyring and asks `model` for the summary of the
    learner's messages. LlmError when there is no server or no usable summary."""
    return summarize(current_client(context), model, profile, messages)


def keep_summary(
    context: ReportContext, report: SessionReport, summary: SessionSummary, model: str | None
) -> SessionReport:
    """Keep the summary `model` wrote with the report's figures; the report as kept."""
    kept = context.reports.save(
        report.session_id, _figures_kept(context, report), summary, model=model
    )
    context.changes.publish(Change.REPORTS, report.session_id)
    return kept


def keep_failed_summary(
    context: ReportContext, session: PracticeSession, report: SessionReport, error: Exception
) -> SessionReport:
    """Keep the figures with why there is no summary, in the learner's words (the report
    shows it and offers Try again); the report as kept."""
    reason = explain(error, session.base_url, session.model)
    log.warning("summary of session %d failed: %s", session.id, reason)
    kept = context.reports.save(
        report.session_id, _figures_kept(context, report), None, reason.message
    )
    context.changes.publish(Change.REPORTS, report.session_id)
    return kept


def _figures_kept(context: ReportContext, report: SessionReport) -> SessionFigures:
    """The figures as kept now: a reading for facts that ended while the summary was
    asked has counted its tokens in them since `report` was read."""
    kept = context.reports.report(report.session_id)
    return kept.figures if kept is not None else report.figures
