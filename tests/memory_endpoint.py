"""The test server's answers to memory requests: the facts a learner shared, read from a
session (the "remember" task of tutor/llm/memory.py).

Filled in by the memory work; registered in tests/openai_server.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.openai_server import ScriptedReply


def memory_task_replies() -> dict[str, Callable[[dict[str, Any]], ScriptedReply]]:
    """The default replies of the memory tasks, for ``default_task_replies``."""
    return {}
