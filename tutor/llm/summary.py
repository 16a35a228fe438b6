"""The model-written part of a session report: what went well and the patterns to work
on, in the learner's language, each pattern pointing at the messages where it happened.

Asked as a JSON object (`json_object`, then plain text where a server refuses it); the
answer is checked: message ids the learner did not write are dropped.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from tutor.domain.coach_prompt import response_format
from tutor.domain.conversation import ChatMessage, Role
from tutor.domain.corrections import CoachPath, CorrectionState
from tutor.domain.json_text import first_json_object
from tutor.domain.output_caps import summary_cap
from tutor.domain.profile import LearnerProfile
from tutor.domain.reasoning import no_words_reason
from tutor.domain.report import Pattern, SessionSummary
from tutor.domain.request_fit import request_tokens
from tutor.i18n.translate import _
from tutor.llm.client import ChatClient
from tutor.llm.errors import ErrorKind, LlmError
from tutor.llm.json_answer import REFUSAL_STATUSES

MAX_LEARNER_MESSAGES = 60
"""The newest messages sent: enough to see patterns, a bounded cost for long sessions."""
MAX_TEXT_CHARS = 600
MAX_PATTERNS = 3


def summary_messages(
    profile: LearnerProfile,
    messages: list[ChatMessage],
    *,
    plain: bool,
    budget_tokens: int | None = None,
) -> list[dict[str, str]]:
    """The request; with `budget_tokens` (a model with a small context window) the
    oldest of the learner's messages are left out until it fits, never the newest."""
    native = profile.native.english_name
    learner = [m for m in messages if m.role is Role.USER][-MAX_LEARNER_MESSAGES:]
    transcript = []
    for message in learner:
        entry: dict[str, Any] = {"id": message.id, "text": message.text[:MAX_TEXT_CHARS]}
        correction = message.correction
        if correction is not None and correction.state is CorrectionState.CHECKED:
            entry["mistakes"] = [
                {"wrong": m.original, "right": m.corrected, "kind": m.category.value}
                for m in correction.marks
                if not m.dismissed
            ]
        transcript.append(entry)
    # The summary's instructions go to the model, in English, as every prompt does.
    rules = [
        f"You are a kind, precise {profile.target.english_name} teacher. Below are the "
        f"messages a learner at CEFR level {profile.level.value} wrote in one practice "
        "conversation, with the mistakes a checker found.",  # i18n: ignore (prompt)
        f"Write in {native}, to the learner, as JSON with these keys:",  # i18n: ignore (prompt)
        '- "went_well": two or three sentences on what the learner did well, '
        "concretely.",  # i18n: ignore (prompt)
        f'- "patterns": one to {MAX_PATTERNS} recurring things to work on, most useful '
        'first; each {"text": one or two sentences with an example, "message_ids": ids of '
        "the messages where it happened}. Only patterns the messages show; [] if "
        "none.",  # i18n: ignore (prompt)
        "Do not invent mistakes. Do not list every small slip: look for what "
        "recurs.",  # i18n: ignore (prompt)
    ]
    if plain:
        rules.append(
            'Reply with the JSON object only, e.g. {"went_well": "…", '
            '"patterns": []}.'  # i18n: ignore (prompt)
        )
    system = "\n".join(rules)
    while True:
        content = json.dumps(
            {
                "language": profile.target.english_name,
                "level": profile.level.value,
                "messages": transcript,
            },
            ensure_ascii=False,
        )
        request = [{"role": "system", "content": system}, {"role": "user", "content": content}]
        if budget_tokens is None or len(transcript) <= 1:
            return request
        if request_tokens(request) <= budget_tokens:
            return request
        transcript = transcript[1:]


def summarize(
    client: ChatClient, model: str, profile: LearnerProfile, messages: list[ChatMessage]
) -> SessionSummary:
    """The summary; LlmError when no usable one could be had."""
    learner_ids = {m.id for m in messages if m.role is Role.USER}
    if not learner_ids:
        raise LlmError(ErrorKind.EMPTY_REPLY, _("There is nothing of yours to summarise yet."))
    problem = ""
    for requested in (response_format(CoachPath.JSON_OBJECT), None):
        plain = requested is None
        try:
            completion = client.complete(
                summary_messages(profile, messages, plain=plain),
                model=model,
                response_format=requested,
                cap=summary_cap(profile),
                shrink=partial(_within, profile, messages, plain),
            )
        except LlmError as error:
            if error.status not in REFUSAL_STATUSES or error.kind is ErrorKind.CONTEXT_EXCEEDED:
                raise
            problem = error.message
            continue
        if completion.reasoned and not completion.text.strip():
            # Thinking and no answer: asking in plain text would think the same way.
            problem = no_words_reason(completion.finish_reason)
            break
        summary = parse_summary(completion.text, learner_ids)
        if summary is not None:
            return summary
        # Translators: a clause after a colon: "The summary could not be written: {problem}."
        problem = _("the answer held no summary")
    # Translators: {problem} says why: a clause, or a sentence without its full stop.
    words = _("The summary could not be written: {problem}.").format(problem=problem.rstrip("."))
    raise LlmError(ErrorKind.UNUSABLE_ANSWER, words)


def _within(
    profile: LearnerProfile, messages: list[ChatMessage], plain: bool, budget_tokens: int
) -> list[dict[str, str]]:
    return summary_messages(profile, messages, plain=plain, budget_tokens=budget_tokens)


def parse_summary(text: str, learner_ids: set[int]) -> SessionSummary | None:
    data = first_json_object(text)
    if data is None:
        return None
    went_well = data.get("went_well")
    if not isinstance(went_well, str) or not went_well.strip():
        return None
    patterns = []
    raw_patterns = data.get("patterns")
    for raw in raw_patterns if isinstance(raw_patterns, list) else []:
        if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
            continue
        ids = raw.get("message_ids")
        kept = tuple(
            dict.fromkeys(
                i
                for i in (ids if isinstance(ids, list) else [])
                if isinstance(i, int) and not isinstance(i, bool) and i in learner_ids
            )
        )
        patterns.append(Pattern(raw["text"].strip()[:600], kept))
    return SessionSummary(went_well.strip()[:1200], tuple(patterns[:MAX_PATTERNS]))
