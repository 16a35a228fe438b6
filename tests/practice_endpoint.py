"""The test server's answers to "Practise my mistakes": a scenario written for the
learner's most frequent kinds of mistake (the task of tutor/llm/practice.py).

Filled in by the practice work; registered in tests/openai_server.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.openai_server import ScriptedReply


def practice_task_replies() -> dict[str, Callable[[dict[str, Any]], ScriptedReply]]:
    """The default replies of the practice tasks, for ``default_task_replies``."""
    return {}
