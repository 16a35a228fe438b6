"""A request shaped by what its server and model take, and reshaped after a refusal.

What a server takes (the form of the output cap, a temperature, a system message, how
much history) is learned from its refusals (tutor/domain/server_refusals.py), acted on
by tutor/domain/server_habits.py and request_fit.py, and kept by a HabitsMemory. Each
refusal Tutor can act on is retried once, shaped otherwise; what worked is remembered,
so the next request to that server and model is shaped right from the start.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from tutor.domain.request_fit import (
    MIN_BUDGET_TOKENS,
    fit_messages,
    fold_system_message,
    request_tokens,
)
from tutor.domain.server_habits import (
    ServerHabits,
    after_refusal,
    droppable_parameters,
    request_parameters,
)
from tutor.domain.server_refusals import Refusal, RefusalKind, read_refusal
from tutor.llm.habits import HabitsMemory

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
"""A request and its retries after refusals: each fixes one thing, once (the cap's form
twice: the other form, then none; the temperature; the system role; the history)."""

Messages = list[dict[str, str]]
Shrink = Callable[[int], Messages]
"""The request rebuilt within a smaller history budget (tokens, Tutor's estimate)."""
Result = TypeVar("Result")


class RequestShaper:
    """Shapes the requests to the server at `base_url` by what `memory` knows of it."""

    def __init__(self, base_url: str, memory: HabitsMemory) -> None:
        self._base_url = base_url
        self._memory = memory
        self._lock = threading.Lock()

    def habits(self, model: str) -> ServerHabits:
        """What the server and `model` are known to take (a first guess when nothing is)."""
        found = self._memory.recall(self._base_url, model)
        return found or ServerHabits.first_for(self._base_url)

    def send(
        self,
        model: str,
        messages: Messages,
        cap: int,
        shrink: Shrink | None,
        post: Callable[[dict[str, Any]], Result],
        *,
        temperature: float | None = None,
        room: bool = True,
    ) -> Result:
        """`post` the request (its body without the stream flags and response format),
        shaped by what the server takes; after a refusal Tutor can act on, shape it
        otherwise and post again. Returns what `post` returned; raises what `post`
        raised when nothing more can be tried.

        `room`: a model known to reason gets room for its thinking on top of `cap`.
        """
        known = self.habits(model)
        habits = known if room else dataclasses.replace(known, reasons=False)
        shrink = shrink or partial(fit_messages, messages)
        request = messages
        budget = habits.history_budget(cap)
        if budget is not None and request_tokens(request) > budget:
            request = shrink(budget)
        shrunk = False
        for attempt in range(MAX_ATTEMPTS):
            body = {
                "model": model,
                "messages": request if habits.system_role else fold_system_message(request),
                **request_parameters(habits, cap, temperature),
            }
            try:
                result = post(body)
            except Exception as error:
                refusal = refusal_of(error, habits, temperature, request)
                retry = None
                if refusal is not None and attempt + 1 < MAX_ATTEMPTS:
                    retry = self._reshaped(habits, refusal, request, cap, shrink, shrunk=shrunk)
                if refusal is None or retry is None:
                    if shrunk:  # the window is smaller than was known, whatever follows
                        self._keep(model, known, habits)
                    raise
                log.info("%s at %s refused %s: retrying", model, self._base_url, refusal)
                habits, request = retry
                shrunk = shrunk or refusal.kind is RefusalKind.CONTEXT_LENGTH
                continue
            self._keep(model, known, habits)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _reshaped(
        self,
        habits: ServerHabits,
        refusal: Refusal,
        request: Messages,
        cap: int,
        shrink: Shrink,
        *,
        shrunk: bool,
    ) -> tuple[ServerHabits, Messages] | None:
        """The habits and messages to try after `refusal`; None when nothing is left to
        try (the history is made smaller once a request)."""
        context = refusal.kind is RefusalKind.CONTEXT_LENGTH
        if context and shrunk:
            return None
        sent_cap = habits.cap_for(cap)
        learned = after_refusal(
            habits,
            refusal,
            base_url=self._base_url,
            sent_tokens=request_tokens(request),
            sent_cap=sent_cap,
        )
        if learned is None or not context:
            return None if learned is None else (learned, request)
        # Within the window as now known, and less than was sent in any case.
        budget = learned.history_budget(cap) or MIN_BUDGET_TOKENS
        smaller = shrink(min(budget, request_tokens(request) * 3 // 4))
        if smaller == request and learned.cap_for(cap) == sent_cap:
            return None  # nothing to leave out: the same request would fail the same way
        return learned, smaller

    def learn_reasoning(self, model: str) -> None:
        """The model was seen thinking before it answered: its caps get room from now on."""
        if not self.habits(model).reasons:
            log.info("%s at %s reasons: its caps get room", model, self._base_url)
            self._remember(model, {"reasons": True})

    def _keep(self, model: str, known: ServerHabits, learned: ServerHabits) -> None:
        """Remember what a request learned: the habits that changed since `known`."""
        changed = {
            name: value
            for name, value in dataclasses.asdict(learned).items()
            if name != "reasons" and value != getattr(known, name)
        }
        if changed:
            self._remember(model, changed)

    def _remember(self, model: str, changed: dict[str, Any]) -> None:
        # Only what changed, over what is known now: the partner and the coach ask at
        # the same time, and each may learn something of its own.
        with self._lock:
            current = self.habits(model)
            self._memory.remember(self._base_url, model, dataclasses.replace(current, **changed))


def refusal_of(
    error: BaseException,
    habits: ServerHabits,
    temperature: float | None,
    request: Sequence[dict[str, str]],
) -> Refusal | None:
    """What the server refused in a request shaped by `habits`, if Tutor can act on it."""
    status = getattr(error, "status_code", None)
    if not isinstance(status, int):
        return None
    body = getattr(error, "body", None)
    text = json.dumps(body) if isinstance(body, dict | list) else str(body or "")
    param, code = getattr(error, "param", None), getattr(error, "code", None)
    return read_refusal(
        status,
        f"{getattr(error, 'message', '')} {text}",
        param=param if isinstance(param, str) else None,
        code=code if isinstance(code, str) else None,
        sent=droppable_parameters(habits, temperature),
        has_system=habits.system_role and any(m["role"] == "system" for m in request),
    )


def thought(reasoned: bool, finish_reason: str | None, shown: str | bool) -> bool:
    """The model reasoned: it said so, or the cap cut its reply before a word arrived
    (models that think without showing it, as OpenAI's reasoning models do)."""
    if isinstance(shown, str):
        shown = bool(shown.strip())
    return reasoned or (finish_reason == "length" and not shown)
