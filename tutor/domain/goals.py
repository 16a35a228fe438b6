"""Which words a session's goals are shown in."""

from __future__ import annotations

from tutor.domain.scenarios import Scenario
from tutor.domain.session import PracticeSession


def goal_texts(session: PracticeSession, scenario: Scenario | None) -> tuple[str, ...]:
    """The session's goals in the learner's language, if its scenario has them so.

    `scenario`: the session's scenario as the library has it now, or None. Its
    translation is used only while it is the version the session was made from and
    has as many goals; otherwise the goals the session was made with stand."""
    if scenario is not None and scenario.version == session.scenario_version:
        translated = scenario.text_in(session.native_language).goals
        if len(translated) == len(session.goals):
            return translated
    return session.goals
