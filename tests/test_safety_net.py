"""The last safety net: an error no code expected is said in the window, not lost."""

from __future__ import annotations

import sqlite3
from typing import Any

from tutor.ui.shell.safety_net import tell_the_learner


class _Window:
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, message: str) -> None:
        self.said.append(message)


def test_an_unexpected_write_failure_is_said_in_words():
    window = _Window()
    hook = tell_the_learner(window)  # type: ignore[arg-type]
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL
    hook(type(error), error, None)
    assert window.said == [
        "Your disk is full: this change could not be saved. Free some space, then try again."
    ]


def test_any_other_unexpected_error_says_the_conversations_are_safe():
    window = _Window()
    hook: Any = tell_the_learner(window)  # type: ignore[arg-type]
    hook(KeyError, KeyError("x"), None)
    assert "KeyError" in window.said[0] and "safe" in window.said[0]
