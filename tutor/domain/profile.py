"""What the learner practises: the language, their level and their own language."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.domain.languages import Language, language
from tutor.domain.levels import Level
from tutor.i18n.translate import _


@dataclass(frozen=True)
class LearnerProfile:
    target_language: str
    """BCP 47 tag of the language being learnt, e.g. 'es'."""
    level: Level
    native_language: str
    """BCP 47 tag of the learner's own language, used for explanations."""

    @property
    def target(self) -> Language:
        return language(self.target_language)

    @property
    def native(self) -> Language:
        return language(self.native_language)

    def validated(self) -> LearnerProfile:
        """Self, or ValueError naming what is wrong."""
        self.target  # noqa: B018 - raises on an unknown tag
        self.native  # noqa: B018
        if self.target_language == self.native_language:
            raise ValueError(_("The language you learn and your own language are the same."))
        return self
