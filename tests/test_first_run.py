"""A first run started from the command line keeps its choices (tutor/services/first_run.py)."""

from __future__ import annotations

from tutor.domain.levels import Level
from tutor.domain.profile import LearnerProfile
from tutor.domain.providers import ProviderKind, kind_for_base_url
from tutor.domain.settings import ProviderSettings, Settings
from tutor.services.first_run import remember_first_choices
from tutor.services.server import Overrides

URL = "http://127.0.0.1:11434/v1"
PROFILE = LearnerProfile("es", Level.B1, "en")


def test_a_first_run_keeps_the_learner_and_the_server_it_was_started_with():
    saved: list[Settings] = []
    overrides = Overrides(base_url=URL, model="llama3")
    now = remember_first_choices(Settings(), overrides, PROFILE, saved.append)
    assert now.learner == PROFILE
    assert now.provider == ProviderSettings(kind_for_base_url(URL), URL, "llama3")
    assert saved == [now]


def test_saved_choices_are_never_replaced_and_nothing_new_saves_nothing():
    saved: list[Settings] = []
    settings = Settings(
        provider=ProviderSettings(ProviderKind.CUSTOM, "http://127.0.0.1:9/v1", "m"),
        learner=LearnerProfile("ja", Level.A2, "ko"),
    )
    overrides = Overrides(base_url=URL, model="llama3")
    assert remember_first_choices(settings, overrides, PROFILE, saved.append) is settings
    # An address without a model is not a server to remember.
    assert remember_first_choices(Settings(), Overrides(base_url=URL), None, saved.append) == (
        Settings()
    )
    assert saved == []
