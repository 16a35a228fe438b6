"""Finding the JSON object in a model's answer, wherever it stands in it.

Servers asked for plain text wrap JSON in prose or code fences; this finds it without
trusting the form.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_OBJECT_STARTS = 50
"""How many '{' to try a JSON object from: prose holds a few, never hundreds (and each
failed attempt costs a scan of the text)."""


def first_json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in the text, or None."""
    decoder = json.JSONDecoder()
    text = re.sub(r"```(?:json)?", "", text, flags=re.IGNORECASE)
    for attempt, match in enumerate(re.finditer(r"\{", text)):
        if attempt == MAX_OBJECT_STARTS:
            break
        try:
            value, _end = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None


def first_value(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The value under the first of `keys` the object has, read as a model writes keys:
    in any case, with spaces for underscores ("Known ID" is known_id); None if none."""
    folded = {str(key).casefold().replace(" ", "_"): value for key, value in data.items()}
    for key in keys:
        if key in folded:
            return folded[key]
    return None
