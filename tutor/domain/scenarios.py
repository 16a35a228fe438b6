"""Scenarios frame a practice session. Until a library exists, free conversation is the one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    partner_role: str
    """Who the partner plays, in English (the system message is written in English)."""
    setting: str


FREE_CONVERSATION = Scenario(
    id="free-conversation",
    title="Free conversation",
    partner_role=(
        "a friendly, curious conversation partner who is a native speaker of the language"
    ),
    setting=(
        "An informal chat between two people getting to know each other. Talk about whatever "
        "the learner brings up; when the talk runs dry, suggest an everyday topic such as "
        "their day, hobbies, food, travel or plans."
    ),
)
