"""What a few well-known models cost, to say before a scorecard runs roughly what it
will cost. Prices change: the table is dated, and a model not in it (every local model,
any other server) has no price rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

PRICES_CHECKED = "2025-08-07"
"""When the table was last compared with openai.com/api/pricing (standard tier)."""

_OPENAI_HOST = "api.openai.com"


@dataclass(frozen=True)
class ModelPrice:
    input_per_million: float
    """US dollars per million prompt tokens."""
    output_per_million: float
    """US dollars per million completion tokens."""

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (
            prompt_tokens * self.input_per_million + completion_tokens * self.output_per_million
        ) / 1_000_000


# OpenAI's list prices on PRICES_CHECKED (standard tier, no cached input).
OPENAI_PRICES: dict[str, ModelPrice] = {
    "gpt-4o": ModelPrice(2.50, 10.00),
    "gpt-4o-mini": ModelPrice(0.15, 0.60),
    "gpt-4.1": ModelPrice(2.00, 8.00),
    "gpt-4.1-mini": ModelPrice(0.40, 1.60),
    "gpt-4.1-nano": ModelPrice(0.10, 0.40),
    "gpt-5": ModelPrice(1.25, 10.00),
    "gpt-5-mini": ModelPrice(0.25, 2.00),
    "gpt-5-nano": ModelPrice(0.05, 0.40),
}


def known_price(base_url: str, model: str) -> ModelPrice | None:
    """The price of `model` on the server at `base_url`, where Tutor knows it: OpenAI's
    own models on OpenAI's own server (a dated snapshot such as "gpt-4o-2024-08-06"
    costs what its family does). None anywhere else: a local server costs nothing
    Tutor can count, and another provider's prices are its own."""
    if (urlsplit(base_url).hostname or "").lower() != _OPENAI_HOST:
        return None
    name = model.strip().lower()
    if name in OPENAI_PRICES:
        return OPENAI_PRICES[name]
    family, _dash, rest = name.rpartition("-")
    # "gpt-4o-2024-08-06": strip the date, one part at a time.
    while family and rest.isdigit():
        if family in OPENAI_PRICES:
            return OPENAI_PRICES[family]
        family, _dash, rest = family.rpartition("-")
    return None
