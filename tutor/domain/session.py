"""A practice session: one conversation, with the settings it was made with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tutor.domain.languages import language
from tutor.domain.levels import Level
from tutor.domain.practice_targets import PracticeTarget
from tutor.domain.profile import LearnerProfile
from tutor.domain.scenarios import FREE_CONVERSATION
from tutor.i18n.translate import _


@dataclass(frozen=True)
class PracticeSession:
    id: int
    created_at: datetime
    updated_at: datetime
    target_language: str
    level: Level
    native_language: str
    scenario_id: str
    scenario_title: str
    base_url: str
    model: str
    system_message: str
    message_count: int = 0
    preview: str = ""
    """The start of the learner's first message, to tell sessions apart in a list."""
    scenario_version: int = 1
    goals: tuple[str, ...] = ()
    """The scenario's goals as they were when the session began (English)."""
    ended_at: datetime | None = None
    custom_title: str | None = None
    """A name the learner gave the session."""
    mistake_count: int = 0
    """Marks on the learner's messages, not counting those the learner dismissed."""
    reading_aids: bool = False
    """Readings shown over the partner's text (pinyin, furigana, romanization: see
    domain/reading_aids.py); the learner's choice for this session."""
    practice_targets: tuple[PracticeTarget, ...] = ()
    """The scenario's practice targets as they were when the session began: the coach
    watches for them (domain/practice_targets.py)."""

    @property
    def has_ended(self) -> bool:
        return self.ended_at is not None

    @property
    def profile(self) -> LearnerProfile:
        return LearnerProfile(self.target_language, self.level, self.native_language)

    @property
    def title(self) -> str:
        return session_title(
            self.custom_title, self.target_language, self.level.value, self.scenario_title
        )


def session_title(
    custom_title: str | None, target_language: str, level: str, scenario_title: str
) -> str:
    """The learner's own title, else language (named in the interface language), level and
    scenario."""
    if custom_title:
        return custom_title
    name = language(target_language).interface_name
    if scenario_title == FREE_CONVERSATION.title:  # stored in English, as every title is
        scenario_title = _(scenario_title)
    return f"{name} · {level} · {scenario_title}"
