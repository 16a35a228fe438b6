"""The coach call, with its fallback from strict JSON schema to plain text
(tutor/llm/json_answer.py): the caller remembers the step that answered and starts there
next time. (Refused parameters, a refused system role and a context too long are the
client's to retry: tutor/llm/shaping.py.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tutor.domain.coach_prompt import coach_messages, response_format
from tutor.domain.coach_reply import CoachReplyError, parse_coach_reply
from tutor.domain.conversation import TokenUsage
from tutor.domain.corrections import CoachPath, CoachVerdict, CorrectionStyle
from tutor.domain.output_caps import coach_cap
from tutor.domain.practice_targets import PracticeTarget
from tutor.domain.profile import LearnerProfile
from tutor.i18n.translate import N_
from tutor.llm.client import ChatClient
from tutor.llm.json_answer import JsonRequest, ask_json

# Translators: {problem} says why: a clause, or a sentence without its full stop.
CANNOT_CHECK = N_("The coach could not check this message: {problem}.")


@dataclass(frozen=True)
class CoachRequest:
    profile: LearnerProfile
    style: CorrectionStyle
    learner_text: str
    partner_line: str
    model: str
    first_path: CoachPath = CoachPath.JSON_SCHEMA
    open_goals: Mapping[int, str] = field(default_factory=dict)
    """The scenario's goals not met yet, by index from 0."""
    spoken: bool = False
    """The message is a transcript: checked as speech (domain/speech_check.py)."""
    targets: tuple[PracticeTarget, ...] = ()
    """The session's practice targets, whose uses the coach reports (none: not asked)."""


@dataclass(frozen=True)
class CoachResult:
    verdict: CoachVerdict
    path: CoachPath
    """The path that worked: the next call to this server and model starts there."""
    model: str
    usage: TokenUsage | None


def check_message(client: ChatClient, request: CoachRequest) -> CoachResult:
    """The coach's verdict on one learner message; LlmError if none could be had."""

    def messages(path: CoachPath) -> list[dict[str, str]]:
        return coach_messages(
            request.profile,
            request.style,
            request.learner_text,
            request.partner_line,
            path,
            request.open_goals,
            spoken=request.spoken,
            targets=request.targets,
        )

    answer = ask_json(
        client,
        request.model,
        request.first_path,
        JsonRequest(
            messages,
            lambda path: response_format(path, targets=bool(request.targets)),
            coach_cap(request.learner_text, request.profile),
            CANNOT_CHECK,
            "coach",
        ),
        lambda text: parse_coach_reply(
            text, request.learner_text, request.open_goals.keys(), len(request.targets)
        ),
        CoachReplyError,
    )
    return CoachResult(answer.value, answer.path, request.model, answer.usage)
