"""Fitting a request to what a model takes: fewer turns for a smaller context window, and
no system message for a chat template that refuses one.

The history of a conversation is built by request_messages() (conversation.py) within the
settings' budget; a model whose window turns out to be smaller gets the same request
with more of its oldest turns left out (fit_messages), never the system message.
"""

from __future__ import annotations

from collections.abc import Sequence

from tutor.domain.conversation import estimate_tokens

MIN_BUDGET_TOKENS = 100
"""The smallest history budget Tutor learns: the system message and the newest turn are
sent whatever the budget."""

Messages = list[dict[str, str]]


def request_tokens(messages: Sequence[dict[str, str]]) -> int:
    """Tutor's estimate of the tokens of a request's messages."""
    return sum(estimate_tokens(m["content"]) for m in messages)


def fit_messages(messages: Sequence[dict[str, str]], budget_tokens: int) -> Messages:
    """The request with its oldest turns left out until it fits `budget_tokens`.

    The system message is kept, and the newest turn; the kept turns start with a user
    turn, as strict chat templates require (the learner's turn a partner's newest turn
    answers is kept with it, over budget, rather than none).
    """
    system = [dict(m) for m in messages[:1] if m["role"] == "system"]
    turns = list(messages[len(system) :])
    used = request_tokens(system)
    kept: Messages = []
    for turn in reversed(turns):
        cost = estimate_tokens(turn["content"])
        if kept and used + cost > budget_tokens:
            break
        kept.append(dict(turn))
        used += cost
    kept.reverse()
    while len(kept) > 1 and kept[0]["role"] != "user":
        kept.pop(0)
    if kept and kept[0]["role"] != "user":
        earlier = turns[: len(turns) - len(kept)]
        users = [m for m in earlier if m["role"] == "user"]
        if users:
            kept.insert(0, dict(users[-1]))
    return system + kept


def fold_system_message(messages: Sequence[dict[str, str]]) -> Messages:
    """The system message moved into the first user turn, for a chat template without a
    system role (as Gemma's own template does: the instructions, a blank line, the turn)."""
    if not messages or messages[0]["role"] != "system":
        return [dict(m) for m in messages]
    system, rest = messages[0]["content"], [dict(m) for m in messages[1:]]
    if rest and rest[0]["role"] == "user":
        rest[0]["content"] = f"{system}\n\n{rest[0]['content']}"
        return rest
    return [{"role": "user", "content": system}, *rest]


def estimated_window(
    sent_tokens: int,
    sent_cap: int,
    context_tokens: int | None = None,
    counted_tokens: int | None = None,
) -> int:
    """The model's context window in Tutor's estimate of tokens, after the server said a
    request of `sent_tokens` (Tutor's estimate) with the cap `sent_cap` does not fit.

    Said by the server (`context_tokens`): as said, scaled down when the server counted
    more tokens in what was sent (`counted_tokens`) than Tutor estimated. Not said: room
    for half of what was sent, and the cap.
    """
    if context_tokens:
        if counted_tokens and counted_tokens > sent_tokens:
            return context_tokens * sent_tokens // counted_tokens
        return context_tokens
    return sent_tokens // 2 + sent_cap


def history_budget(window_tokens: int, cap: int) -> int:
    """The budget for a request's messages in a window: what the cap leaves, less a
    quarter, since Tutor's estimate is not the model's tokenizer."""
    return max(MIN_BUDGET_TOKENS, (window_tokens - cap) * 3 // 4)
