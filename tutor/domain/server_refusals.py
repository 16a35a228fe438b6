"""What a server's refusal (a 400 or 422) says Tutor could send otherwise.

Servers word their refusals differently; these are the forms seen:

- a parameter: OpenAI "Unsupported parameter: 'max_tokens' is not supported with this
  model. Use 'max_completion_tokens' instead." (param "max_tokens"), "Unsupported value:
  'temperature' does not support 0 with this model…", "Unrecognized request argument
  supplied: max_completion_tokens"; FastAPI servers' 422 "Extra inputs are not permitted"
  with the name in "loc";
- a cap larger than the model writes: "max_tokens is too large: 10000. This model
  supports at most 4096 completion tokens…";
- the system role: "System role not supported" (Gemma's chat template), "Conversation
  roles must alternate user/assistant/…", "Only user and assistant roles are supported";
- the context's length: OpenAI "This model's maximum context length is N tokens.
  However, your messages resulted in M tokens…" (code context_length_exceeded), vLLM
  "…you requested M tokens (X in the messages, Y in the completion)…", llama.cpp "the
  request exceeds the available context size, try increasing it" (with n_ctx and
  n_prompt_tokens in its error).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

REFUSAL_STATUSES = frozenset({400, 413, 422})
"""Statuses with which servers refuse what a request holds (413: a context too long)."""


class RefusalKind(StrEnum):
    PARAMETER = "parameter"
    CAP_TOO_LARGE = "cap_too_large"
    SYSTEM_ROLE = "system_role"
    CONTEXT_LENGTH = "context_length"


@dataclass(frozen=True)
class Refusal:
    kind: RefusalKind
    parameter: str = ""
    """The parameter refused (PARAMETER, CAP_TOO_LARGE)."""
    limit: int | None = None
    """The model's context window in tokens (CONTEXT_LENGTH), or the largest cap it
    takes (CAP_TOO_LARGE), when the server says."""
    counted_tokens: int | None = None
    """The server's count of the tokens in the messages sent (CONTEXT_LENGTH)."""


_CONTEXT = re.compile(
    r"context[ _](?:length|size|window)|maximum context|exceeds? the available context"
    r"|prompt is too long|input is too long|reduce the length of the (?:messages|input)"
)
_RATE = re.compile(r"per minute|\btpm\b|rate limit")
_WINDOW = (
    re.compile(r"maximum context length is (\d[\d,]*)"),
    re.compile(r"context (?:length|size|window) (?:of|is) (?:only )?(\d[\d,]*)"),
    re.compile(r'"n_ctx"\s*:\s*(\d+)'),
)
_COUNTED = (
    re.compile(r"(\d[\d,]*) (?:tokens )?in the messages"),
    re.compile(r"resulted in (\d[\d,]*) tokens"),
    re.compile(r'"n_prompt_tokens"\s*:\s*(\d+)'),
    re.compile(r"request has (\d[\d,]*) input tokens"),
)
_SYSTEM_ROLE = re.compile(
    r"system role|role ['\"]?system['\"]? (?:is )?not|system messages? (?:is |are )?not"
    r"|roles must alternate|only user and assistant roles"
)
_TOO_LARGE = re.compile(
    r"too large|at most|less than or equal|maximum value|must be <=|exceeds? the maximum"
)
_LIMIT = (
    re.compile(r"at most (\d[\d,]*)"),
    re.compile(r"less than or equal to `?(\d[\d,]*)"),
    re.compile(r"maximum value for \w+ is `?(\d[\d,]*)"),
    re.compile(r"must be <= ?(\d[\d,]*)"),
)
_REFUSED = re.compile(
    r"unsupported|not supported|unrecognized|unknown|not permitted|not allowed|extra"
    r"|invalid|does not support|not a valid"
)


def read_refusal(
    status: int | None,
    text: str,
    *,
    param: str | None = None,
    code: str | None = None,
    sent: Collection[str] = (),
    has_system: bool = False,
) -> Refusal | None:
    """What the refusal is about, or None when it is none Tutor can act on.

    `text`: the server's error (its message and body); `sent`: the parameters of the
    request Tutor could send otherwise; `has_system`: the request had a system message.
    """
    if status not in REFUSAL_STATUSES:
        return None
    said = text.lower()
    if code == "context_length_exceeded" or (_CONTEXT.search(said) and not _RATE.search(said)):
        return Refusal(
            RefusalKind.CONTEXT_LENGTH,
            limit=_first_number(_WINDOW, said),
            counted_tokens=_first_number(_COUNTED, said),
        )
    if has_system and _SYSTEM_ROLE.search(said):
        return Refusal(RefusalKind.SYSTEM_ROLE)
    named = (param if param in sent else None) if param else _first_named(said, sent)
    if named is None:
        return None
    if named != "temperature" and _TOO_LARGE.search(said):
        return Refusal(RefusalKind.CAP_TOO_LARGE, named, limit=_first_number(_LIMIT, said))
    if param == named or _REFUSED.search(said):
        return Refusal(RefusalKind.PARAMETER, named)
    return None


def _first_named(said: str, names: Collection[str]) -> str | None:
    """The parameter the text names first: OpenAI's refusal of max_tokens goes on to
    advise max_completion_tokens."""
    found = []
    for name in names:
        match = re.search(rf"(?<![a-z_]){re.escape(name.lower())}(?![a-z_])", said)
        if match:
            found.append((match.start(), name))
    return min(found)[1] if found else None


def _first_number(patterns: tuple[re.Pattern[str], ...], said: str) -> int | None:
    for pattern in patterns:
        match = pattern.search(said)
        if match:
            return int(match.group(1).replace(",", ""))
    return None
