"""A first run started from the command line keeps its choices, as the welcome would.

`tutor --language es --base-url URL --model M` on a first run practises at once, without
the welcome; what it was started with becomes the saved learner and server, so the next
plain `tutor` starts the same way. Settings already saved are never replaced here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.domain.profile import LearnerProfile
    from tutor.domain.settings import Settings
    from tutor.services.server import Overrides


def remember_first_choices(
    settings: Settings,
    overrides: Overrides,
    profile: LearnerProfile | None,
    save: Callable[[Settings], None],
) -> Settings:
    """Fill in the learner (from `profile`, the one the command line asks for) and the
    server (when both its address and model were given) where the settings have none,
    and `save` the result if anything changed (tutor.services.settings.write). Returns the
    settings now in force.

    Nothing is published on the change hub: this runs at launch, before any view shows
    the settings."""
    from tutor.domain.providers import kind_for_base_url
    from tutor.domain.settings import ProviderSettings

    changes: dict[str, object] = {}
    if settings.learner is None and profile is not None:
        changes["learner"] = profile
    if settings.provider is None and overrides.base_url and overrides.model:
        changes["provider"] = ProviderSettings(
            kind_for_base_url(overrides.base_url), overrides.base_url, overrides.model
        )
    if not changes:
        return settings
    updated = settings.with_changes(**changes)
    save(updated)
    return updated
