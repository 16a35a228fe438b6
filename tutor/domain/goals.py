"""Which words a session's scenario and goals are shown in."""

from __future__ import annotations

from tutor.domain.scenarios import FREE_CONVERSATION, Scenario
from tutor.domain.session import PracticeSession
from tutor.i18n.translate import _


def goal_texts(session: PracticeSession, scenario: Scenario | None) -> tuple[str, ...]:
    """The session's goals in the interface language, if its scenario has them so.

    `scenario`: the session's scenario as the library has it now, or None. Its
    translation is used only while it is the version the session was made from and
    has as many goals; otherwise the goals the session was made with stand."""
    if scenario is not None and scenario.version == session.scenario_version:
        translated = scenario.shown_text().goals
        if len(translated) == len(session.goals):
            return translated
    return session.goals


def scenario_heading(
    session: PracticeSession, language_name: str, scenario: Scenario | None
) -> str:
    """ "Español · A2 · Pedir en una cafetería": the language practised (as the caller
    names it), the level and the scenario's title in the interface language where the
    scenario has one (the session stores the English title it was made with)."""
    title = session.scenario_title
    if scenario is not None and scenario.version == session.scenario_version:
        title = scenario.shown_text().title
    if title == FREE_CONVERSATION.title:  # marked in the code, not translated in a file
        title = _(title)
    # Translators: the conversation's heading: the language practised, its level and the scenario.
    return _("{language} · {level} · {scenario}").format(
        language=language_name, level=session.level.value, scenario=title
    )
