"""What Tutor has learned about one server and model, and how a request is shaped by it.

Servers that speak the Chat Completions API differ in what they accept:

- the output cap: OpenAI's reasoning models refuse `max_tokens` and want
  `max_completion_tokens`; some compatible servers know only `max_tokens`;
- a `temperature` other than the default: OpenAI's reasoning models refuse it;
- a "system" message: some chat templates (Gemma builds) refuse the role;
- how much history fits the model's context window;
- whether the model reasons before it answers (it then needs a larger cap).

Tutor starts from what most servers take, learns from a refusal (a 400 or 422 that names
what is refused: tutor/domain/server_refusals.py), retries once, and keeps what it learned
per server and model (tutor/store/server_habits.py), as the coach keeps its JSON path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from tutor.domain.output_caps import CONNECTION_CHECK_TOKENS, with_reasoning_room
from tutor.domain.request_fit import estimated_window, history_budget
from tutor.domain.server_refusals import Refusal, RefusalKind

OPENAI_HOSTS = frozenset({"api.openai.com"})


class CapParameter(StrEnum):
    MAX_TOKENS = "max_tokens"
    MAX_COMPLETION_TOKENS = "max_completion_tokens"
    NONE = "none"
    """The server refused both forms: no cap is sent, and its own limit holds."""


def first_cap_parameter(base_url: str) -> CapParameter:
    """The form of the cap tried first on a server nothing is known about yet.

    OpenAI: `max_completion_tokens`, which all its chat models take, while its reasoning
    models (o1, o3, gpt-5…) refuse `max_tokens`, which it documents as deprecated. Any
    other server: `max_tokens`, the form every compatible server knows (llama.cpp,
    Ollama, LM Studio, vLLM, OpenRouter, Groq); some of them ignore a parameter they do
    not know, so `max_completion_tokens` there could be no cap at all, without a refusal
    to learn from.
    """
    host = (urlsplit(base_url).hostname or "").lower()
    if host in OPENAI_HOSTS:
        return CapParameter.MAX_COMPLETION_TOKENS
    return CapParameter.MAX_TOKENS


@dataclass(frozen=True)
class ServerHabits:
    cap_parameter: CapParameter = CapParameter.MAX_TOKENS
    temperature: bool = True
    """False: the model takes only its default temperature, so none is sent."""
    system_role: bool = True
    """False: the system message is folded into the first user turn."""
    context_tokens: int | None = None
    """The model's context window in Tutor's estimate of tokens, learned from a refusal
    for the context's length; None: not known (the settings' budget holds)."""
    cap_limit: int | None = None
    """The largest cap the server took; None: Tutor's caps as they are."""
    reasons: bool = False
    """The model was seen thinking before it answered: its caps get reasoning room."""

    @classmethod
    def first_for(cls, base_url: str) -> ServerHabits:
        """What is assumed of a server and model before anything is learned."""
        return cls(cap_parameter=first_cap_parameter(base_url))

    def cap_for(self, cap: int) -> int:
        """The cap to send for a job whose own cap is `cap`."""
        sent = with_reasoning_room(cap, self.reasons)
        return min(sent, self.cap_limit) if self.cap_limit else sent

    def history_budget(self, cap: int) -> int | None:
        """The most tokens (Tutor's estimate) a request's messages may take beside the cap
        for a job whose own cap is `cap`; None when the window is not known."""
        if self.context_tokens is None:
            return None
        return history_budget(self.context_tokens, self.cap_for(cap))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base_url: str) -> ServerHabits:
        """Leniently: a value of the wrong type keeps the first guess for `base_url`."""
        first = cls.first_for(base_url)
        values = {p.value: p for p in CapParameter}
        return cls(
            cap_parameter=values.get(str(data.get("cap_parameter")), first.cap_parameter),
            temperature=_flag(data.get("temperature"), first.temperature),
            system_role=_flag(data.get("system_role"), first.system_role),
            context_tokens=_count(data.get("context_tokens")),
            cap_limit=_count(data.get("cap_limit")),
            reasons=_flag(data.get("reasons"), first.reasons),
        )


def request_parameters(
    habits: ServerHabits, cap: int, temperature: float | None = None
) -> dict[str, Any]:
    """The body parameters that depend on the server: the cap, in the form it takes, and
    the temperature (None: the model's default, so none is sent)."""
    parameters: dict[str, Any] = {}
    if habits.cap_parameter is not CapParameter.NONE:
        parameters[habits.cap_parameter.value] = habits.cap_for(cap)
    if temperature is not None and habits.temperature:
        parameters["temperature"] = temperature
    return parameters


def droppable_parameters(habits: ServerHabits, temperature: float | None) -> tuple[str, ...]:
    """The parameters a request sends that Tutor can send otherwise, or not at all."""
    names = []
    if habits.cap_parameter is not CapParameter.NONE:
        names.append(habits.cap_parameter.value)
    if temperature is not None and habits.temperature:
        names.append("temperature")
    return tuple(names)


def without_parameter(habits: ServerHabits, refused: str, base_url: str) -> ServerHabits | None:
    """What to send after the server refused the parameter `refused`; None when Tutor has
    nothing else to try for it.

    The cap: the other form, then (if that is refused too) none. The temperature: none.
    """
    if refused == "temperature":
        return replace(habits, temperature=False) if habits.temperature else None
    current = habits.cap_parameter
    if current is CapParameter.NONE or refused != current.value:
        return None
    if current is first_cap_parameter(base_url):
        other = (
            CapParameter.MAX_TOKENS
            if current is CapParameter.MAX_COMPLETION_TOKENS
            else CapParameter.MAX_COMPLETION_TOKENS
        )
        return replace(habits, cap_parameter=other)
    return replace(habits, cap_parameter=CapParameter.NONE)


def after_refusal(
    habits: ServerHabits, refusal: Refusal, *, base_url: str, sent_tokens: int, sent_cap: int
) -> ServerHabits | None:
    """What to try after the server refused a request shaped by `habits`, whose messages
    were `sent_tokens` (Tutor's estimate) with the cap `sent_cap`; None when Tutor has
    nothing else to try."""
    if refusal.kind is RefusalKind.PARAMETER:
        return without_parameter(habits, refusal.parameter, base_url)
    if refusal.kind is RefusalKind.SYSTEM_ROLE:
        return replace(habits, system_role=False) if habits.system_role else None
    if refusal.kind is RefusalKind.CAP_TOO_LARGE:
        said = refusal.limit
        limit = said if said and said < sent_cap else sent_cap // 2
        return replace(habits, cap_limit=limit) if limit >= CONNECTION_CHECK_TOKENS else None
    said = refusal.limit
    window = estimated_window(sent_tokens, sent_cap, said, refusal.counted_tokens)
    if habits.context_tokens:
        window = min(window, habits.context_tokens)
    cap_limit = habits.cap_limit
    if said and sent_cap * 2 > said:
        # The cap alone takes half the window or more: the history needs room too.
        cap_limit = max(CONNECTION_CHECK_TOKENS, said // 4)
    return replace(habits, context_tokens=window, cap_limit=cap_limit)


def _flag(value: Any, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _count(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None
