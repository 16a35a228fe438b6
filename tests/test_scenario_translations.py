"""Every built-in scenario reads in every complete interface language: a learner whose
interface is Korean sees a Korean title, description and goals, never the English ones.

The files name languages as the learner's profile does ("pt", "zh"), not as gettext
names the catalogues ("pt_BR", "zh_Hans")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.domain.scenarios import Scenario
from tutor.i18n.translate import INTERFACE_LANGUAGES, SOURCE_LANGUAGE
from tutor.paths import bundled_resources
from tutor.store.scenario_library import read_scenario_file

SCENARIO_LANGUAGES = ("es", "fr", "de", "pt", "ko", "ja", "zh", "ar")
"""The [translations.<code>] tables every built-in scenario has, in the files' order."""

# The files of this checkout, where they are written: the installed copy (bundled_resources)
# may be another checkout's, e.g. in a git worktree sharing one editable install.
_CHECKOUT_SCENARIOS = Path(__file__).resolve().parents[1] / "resources" / "scenarios"
SCENARIO_DIR = (
    _CHECKOUT_SCENARIOS if _CHECKOUT_SCENARIOS.is_dir() else bundled_resources() / "scenarios"
)
SCENARIO_FILES = sorted(SCENARIO_DIR.glob("*.toml"))

# A table filled in with another language's text (Japanese pasted under zh, say) still has
# a title and goals; its script gives it away. A Japanese title may be all kanji ("就職面接"),
# so kana are looked for in the whole text, and Chinese has none.
_HAN = "\u4e00-\u9fff"
_KANA = "\u3040-\u30ff"
_SCRIPT = {
    "ko": re.compile("[\uac00-\ud7a3]"),  # Hangul syllables
    "ja": re.compile(f"[{_HAN}{_KANA}]"),
    "zh": re.compile(f"[{_HAN}]"),
    "ar": re.compile("[\u0600-\u06ff]"),
}


def _read(path: Path) -> Scenario:
    return read_scenario_file(path, built_in=True)


def test_every_interface_language_has_scenario_translations() -> None:
    offered = {code.split("_")[0] for code in INTERFACE_LANGUAGES if code != SOURCE_LANGUAGE}
    assert offered == set(SCENARIO_LANGUAGES)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_scenario_has_every_translation_in_order(path: Path) -> None:
    assert tuple(_read(path).translations) == SCENARIO_LANGUAGES


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("language", SCENARIO_LANGUAGES)
def test_translation_is_complete(path: Path, language: str) -> None:
    scenario = _read(path)
    assert language in scenario.translations, f"no [translations.{language}]"
    text = scenario.translations[language]
    assert text.title, "no title"
    assert text.description, "no description"
    assert len(text.goals) == len(scenario.goals), "not as many goals as in English"
    assert all(goal.strip() for goal in text.goals)
    assert text.title != scenario.title, "the title is the English one"
    assert text.description != scenario.description, "the description is the English one"
    assert not set(text.goals) & set(scenario.goals), "a goal is the English one"
    assert scenario.text_in(language) == text


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("language", sorted(_SCRIPT))
def test_translation_is_written_in_its_language_s_script(path: Path, language: str) -> None:
    text = _read(path).translations.get(language)
    assert text is not None, f"no [translations.{language}]"
    parts = (text.title, text.description, *text.goals)
    for part in parts:
        assert _SCRIPT[language].search(part), f"not in {language}'s script: {part!r}"
    kana = [part for part in parts if re.search(f"[{_KANA}]", part)]
    if language == "ja":
        assert kana, "no kana: Chinese rather than Japanese?"
    if language == "zh":
        assert not kana, f"Japanese kana in Chinese: {kana}"
