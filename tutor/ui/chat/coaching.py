"""Runs the coach on learner messages, beside the partner's reply and off the GUI thread.
What a check asks and how its answer is stored is tutor/services/coaching.py; this
controller only schedules it and reports it with signals.

A check never blocks or loses the conversation: it is recorded as started before the
request leaves, and ends as checked or as failed with its reason; either way the
result is saved, even if the learner has moved to another session meanwhile.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from tutor.domain.conversation import ChatMessage
from tutor.domain.corrections import Correction, CorrectionState, Mark
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import _
from tutor.llm.coach import CoachResult
from tutor.llm.errors import explain
from tutor.services.coaching import (
    apply_check,
    coach_request,
    dismiss_mark,
    fail_check,
    open_goals,
    run_check,
    start_check,
)
from tutor.services.server import NO_SERVER
from tutor.ui.shell.context import AppContext

log = logging.getLogger(__name__)


class CoachController(QObject):
    corrected = Signal(object)  # Correction: a check started, ended or was changed

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._closed = False

    def close(self) -> None:
        """Drop the results of checks still running: the window is closing, and they stay
        'checking' on disk, to be offered again on the next start."""
        self._closed = True

    def check(
        self,
        session: PracticeSession,
        message: ChatMessage,
        partner_line: str,
        *,
        recorded: bool = False,
    ) -> Correction:
        """Start checking a learner's message; returns the 'checking' correction.
        `recorded`: the start is already stored (with the message, in one transaction)."""
        context = self._context
        goals = open_goals(context.sessions, session)
        prepared = coach_request(
            context,
            session.profile,
            message.text,
            partner_line,
            goals,
            spoken=message.spoken,
            targets=session.practice_targets,
        )
        if prepared is None:
            return fail_check(context.corrections, message.id, _(NO_SERVER), None)
        request, base_url = prepared
        model = request.model
        checking = (
            Correction(message.id, CorrectionState.CHECKING, model=model)
            if recorded
            else start_check(context.corrections, message.id, model)
        )
        log.info("checking message %d with %s from %s", message.id, model, request.first_path)

        def start() -> None:
            context.tasks.run(
                lambda: run_check(context, request),
                lambda outcome: self._checked(message, session, base_url, *outcome),
                lambda error: self._failed(message.id, base_url, model, error),
                owner=self,
            )

        # Started from the event loop, once the caller is done: the partner's request,
        # which the learner waits for, leaves first (a thread building the check at the
        # same time took the GIL from it: docs/performance.md).
        QTimer.singleShot(0, self, start)
        return checking

    def set_dismissed(
        self, session_id: int, correction: Correction, position: int, dismissed: bool
    ) -> Correction:
        changed = dismiss_mark(self._context, session_id, correction, position, dismissed)
        self.corrected.emit(changed)
        return changed

    def _checked(
        self,
        message: ChatMessage,
        session: PracticeSession,
        base_url: str,
        result: CoachResult,
        marks: tuple[Mark, ...],
    ) -> None:
        if self._closed:
            return
        applied = apply_check(
            self._context,
            message,
            session.target_language,
            base_url,
            result,
            marks,
            session.practice_targets,
        )
        log.info("message %d checked via %s: %d marks", message.id, result.path, len(marks))
        self.corrected.emit(applied.correction)

    def _failed(self, message_id: int, base_url: str, model: str, error: Exception) -> None:
        if self._closed:
            return
        reason = explain(error, base_url, model)
        log.warning("checking message %d failed: %s (%s)", message_id, reason.kind, reason)
        self.corrected.emit(
            fail_check(self._context.corrections, message_id, reason.message, model)
        )
