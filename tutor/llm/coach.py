"""The coach call, with its fallback from strict JSON schema to plain text.

Servers differ: OpenAI takes a strict `json_schema`, some local servers only
`json_object`, some neither. A refusal (400 or 422) or an answer that is not the JSON
asked for moves down one step; the caller remembers where it worked and starts
there next time. Any other failure (a bad key, a dead server, a message too long for the
model's context) is raised at once. (Refused parameters, a refused system role and a
context too long are the client's to retry: tutor/llm/shaping.py.)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from tutor.domain.coach_prompt import coach_messages, response_format
from tutor.domain.coach_reply import CoachReplyError, parse_coach_reply
from tutor.domain.conversation import TokenUsage
from tutor.domain.corrections import CoachPath, CoachVerdict, CorrectionStyle
from tutor.domain.output_caps import coach_cap
from tutor.domain.practice_targets import PracticeTarget
from tutor.domain.profile import LearnerProfile
from tutor.domain.reasoning import no_words_reason
from tutor.i18n.translate import N_, _
from tutor.llm.client import ChatClient
from tutor.llm.errors import ErrorKind, LlmError

log = logging.getLogger(__name__)

# Translators: {problem} says why: a clause, or a sentence without its full stop.
CANNOT_CHECK = N_("The coach could not check this message: {problem}.")

# Statuses with which servers refuse a response_format they do not support.
REFUSAL_STATUSES = frozenset({400, 422})


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
    path: CoachPath | None = request.first_path
    last_problem = ""
    while path is not None:
        messages = coach_messages(
            request.profile,
            request.style,
            request.learner_text,
            request.partner_line,
            path,
            request.open_goals,
            spoken=request.spoken,
            targets=request.targets,
        )
        try:
            completion = client.complete(
                messages,
                model=request.model,
                response_format=response_format(path, targets=bool(request.targets)),
                cap=coach_cap(request.learner_text, request.profile),
            )
        except LlmError as error:
            if error.status not in REFUSAL_STATUSES or error.kind is ErrorKind.CONTEXT_EXCEEDED:
                raise
            log.info("coach path %s refused (%s): %s", path, error.status, error.message)
            last_problem = error.message
        else:
            if completion.reasoned and not completion.text.strip():
                # Thinking and no answer: another path would think the same way.
                raise LlmError(
                    ErrorKind.UNUSABLE_ANSWER,
                    _(CANNOT_CHECK).format(problem=no_words_reason(completion.finish_reason)),
                )
            try:
                verdict = parse_coach_reply(
                    completion.text,
                    request.learner_text,
                    request.open_goals.keys(),
                    len(request.targets),
                )
            except CoachReplyError as error:
                log.info("coach path %s gave no usable answer: %s", path, error)
                last_problem = str(error)
            else:
                return CoachResult(verdict, path, request.model, completion.usage)
        path = path.fallback()
    raise LlmError(
        ErrorKind.UNUSABLE_ANSWER, _(CANNOT_CHECK).format(problem=last_problem.rstrip("."))
    )
