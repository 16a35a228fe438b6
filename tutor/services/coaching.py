"""Checking a learner's message with the coach, and applying what the coach said.

The interface (the chat's coach controller, the review window) decides when to check
and runs the request off its GUI thread; what the check asks and what its answer
changes live here. Applying one answer writes the goals it met, the JSON path that
worked, the correction and its review cards in ONE transaction: a crash between
them leaves none of it, and the message stays 'checking' (offered again at the next
start, as any interrupted check is).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from tutor.domain.conversation import ChatMessage
from tutor.domain.corrections import CoachPath, Correction, Mark, build_marks
from tutor.domain.practice_targets import PracticeTarget
from tutor.domain.profile import LearnerProfile
from tutor.domain.session import PracticeSession
from tutor.domain.settings import Settings
from tutor.domain.speech_check import marks_for_speech
from tutor.llm.client import ServerConfig
from tutor.llm.coach import CoachRequest, CoachResult, check_message
from tutor.llm.factory import ClientFactory
from tutor.services.changes import Change, ChangeHub
from tutor.services.server import current_client
from tutor.store.corrections import CorrectionStore
from tutor.store.review_cards import ReviewStore
from tutor.store.sessions import SessionStore


class CoachContext(Protocol):
    """What checking needs of the application (the interface's context has all of it)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def corrections(self) -> CorrectionStore: ...
    @property
    def clients(self) -> ClientFactory: ...
    def server_address(self) -> tuple[str, str] | None: ...
    def coach_model(self) -> str | None: ...
    def server_config(self) -> ServerConfig | None: ...


class CheckStores(Protocol):
    """Where an applied check is written, and where it is said."""

    @property
    def sessions(self) -> SessionStore: ...
    @property
    def corrections(self) -> CorrectionStore: ...
    @property
    def review(self) -> ReviewStore: ...
    @property
    def changes(self) -> ChangeHub: ...


@dataclass(frozen=True)
class AppliedCheck:
    """What applying a coach result stored."""

    correction: Correction
    cards_added: int
    goals_met: tuple[int, ...]


def coach_request(
    context: CoachContext,
    profile: LearnerProfile,
    text: str,
    partner_line: str = "",
    open_goals: Mapping[int, str] | None = None,
    *,
    spoken: bool = False,
    targets: Sequence[PracticeTarget] = (),
) -> tuple[CoachRequest, str] | None:
    """The coach call for `text` and the server it goes to; None with no server set up.
    It starts from the JSON path that last worked for this server and model. `spoken`:
    `text` is a transcript, checked as speech. `targets`: the session's practice targets."""
    address = context.server_address()
    model = context.coach_model()
    if address is None or model is None:
        return None
    base_url = address[0]
    request = CoachRequest(
        profile=profile,
        style=context.settings.corrections,
        learner_text=text,
        partner_line=partner_line,
        model=model,
        first_path=context.corrections.coach_path(base_url, model) or CoachPath.JSON_SCHEMA,
        open_goals=dict(open_goals or {}),
        spoken=spoken,
        targets=tuple(targets),
    )
    return request, base_url


def open_goals(sessions: SessionStore, session: PracticeSession) -> dict[int, str]:
    """The session's goals not met yet, by index: the coach is asked about these only."""
    met = sessions.goals_met(session.id)
    return {index: goal for index, goal in enumerate(session.goals) if index not in met}


def start_check(corrections: CorrectionStore, message_id: int, model: str) -> Correction:
    """Record that a check has started, before its request leaves: a check cut by a
    crash is then found at the next start and offered again. No view lists a check
    in progress, so nothing is published; the message shows it from the answer."""
    return corrections.begin(message_id, model)


def fail_check(
    corrections: CorrectionStore, message_id: int, reason: str, model: str | None
) -> Correction:
    """Record why a check failed (the learner is offered Check again). No count moves,
    so nothing is published."""
    return corrections.fail(message_id, reason, model)


def run_check(context: CoachContext, request: CoachRequest) -> tuple[CoachResult, tuple[Mark, ...]]:
    """Runs on a pool thread, given the context, never a widget (which may be gone by
    then): reads the keyring, asks the coach, and diffs the answer, so the GUI thread
    only saves and draws."""
    result = check_message(current_client(context), request)
    marks = build_marks(request.learner_text, result.verdict)
    return result, marks_for_speech(marks) if request.spoken else marks


def remember_path(corrections: CorrectionStore, base_url: str, result: CoachResult) -> None:
    """Start the next check of this server and model from the JSON path that answered,
    also after a check that is not stored (a sentence retried in review)."""
    corrections.remember_coach_path(base_url, result.model, result.path)


def apply_check(
    stores: CheckStores,
    message: ChatMessage,
    language: str,
    base_url: str,
    result: CoachResult,
    marks: tuple[Mark, ...],
    targets: Sequence[PracticeTarget] = (),
) -> AppliedCheck:
    """Store one coach result on the GUI thread, all of it or none of it, then say what
    changed. `language`: the session's target language, which the review cards are in.
    `targets`: the session's practice targets; a correct use of one ticks its goal."""
    message_id = message.id
    uses = result.verdict.target_uses
    ticked = {targets[u.target].goal for u in uses if u.correct and u.target < len(targets)}
    goals = tuple(sorted(set(result.verdict.goals_met) | ticked))
    corrections = stores.corrections
    # The stores share one connection; each method's own transaction joins this one.
    with corrections.transaction():
        for goal in goals:
            stores.sessions.mark_goal_met(message.session_id, goal, message_id)
        remember_path(corrections, base_url, result)
        if targets:
            corrections.save_target_uses(message.session_id, message_id, uses)
        correction = corrections.save(
            message_id,
            result.verdict,
            marks,
            model=result.model,
            path=result.path,
            usage=result.usage,
        )
        added = stores.review.add_cards_for_message(message_id, message.text, correction, language)
    # The session list counts mistakes: a check moves its counts too.
    changed = Change.CORRECTIONS | Change.SESSIONS
    if added:
        changed |= Change.CARDS
    if goals:
        changed |= Change.GOALS
    stores.changes.publish(changed, message.session_id)
    return AppliedCheck(correction, added, goals)


def dismiss_mark(
    stores: CheckStores, session_id: int, correction: Correction, position: int, dismissed: bool
) -> Correction:
    """The learner says a mark was wrong ("that was right"), or takes that back; returns
    the correction as it is now. The session's mistake count moves with it."""
    stores.corrections.set_dismissed(correction.message_id, position, dismissed)
    stores.changes.publish(Change.CORRECTIONS | Change.SESSIONS, session_id)
    return correction.with_dismissed(position, dismissed)
