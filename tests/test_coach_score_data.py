"""The learner sentences shipped for the coach's scorecard: in the wheel with their
licences, and the same as the seeded rule gives (scripts/coach_corpora)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import tomllib
from pathlib import Path

import pytest

from tutor.domain.learner_corpus import MAX_TOKENS, MIN_TOKENS, read_multiged

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "resources" / "coach_corpora"
MULTIGED = Path(os.environ.get("MULTIGED_REPO", "/work/.mirror/spraakbanken+multiged-2023/repo"))


def test_every_file_beside_the_samples_is_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["tutor_resources"]
    shipped = {path for pattern in patterns for path in (ROOT / "resources").glob(pattern)}
    files = {path for path in CORPORA.iterdir() if path.is_file()}
    assert files and files <= shipped, sorted(p.name for p in files - shipped)
    spec = (ROOT / "packaging" / "tutor.spec").read_text(encoding="utf-8")
    assert '"resources/coach_corpora"' in spec  # and in the PyInstaller bundle


def test_each_sample_has_its_licence_and_only_licensed_sets_are_shipped():
    names = {path.name for path in CORPORA.iterdir()}
    assert names == {
        "ATTRIBUTION.md",
        "it_merlin_sample.tsv",
        "it_merlin_LICENSE.md",
        "it_merlin_README.md",
        "cs_geccc_sample.tsv",
        "cs_geccc_LICENSE.md",
        "cs_geccc_README.md",
    }
    for licence in ("it_merlin_LICENSE.md", "cs_geccc_LICENSE.md"):
        text = (CORPORA / licence).read_text(encoding="utf-8")
        assert "Attribution-ShareAlike 4.0 International" in text
    attribution = (CORPORA / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for credit in ("Volodina", "Boyd", "Náplava", "CC BY-SA 4.0"):
        assert credit in attribution


def test_the_samples_follow_the_rule():
    for name in ("it_merlin_sample.tsv", "cs_geccc_sample.tsv"):
        with (CORPORA / name).open(encoding="utf-8") as lines:
            sentences = read_multiged(lines, source=name)
        assert len(sentences) == 200
        assert all(MIN_TOKENS <= len(s.tokens) <= MAX_TOKENS for s in sentences)
        assert len({s.tokens for s in sentences}) > 190  # drawn, not one sentence repeated
        assert sum(s.errors for s in sentences) / sum(len(s.tokens) for s in sentences) > 0.05


@pytest.mark.skipif(not (MULTIGED / "HEAD").exists(), reason="no MultiGED-2023 checkout")
def test_the_samples_are_what_the_script_rebuilds():
    loader = importlib.machinery.SourceFileLoader(
        "coach_corpora", str(ROOT / "scripts" / "coach_corpora")
    )
    spec = importlib.util.spec_from_loader("coach_corpora", loader)
    assert spec is not None
    script = importlib.util.module_from_spec(spec)
    loader.exec_module(script)
    built = script.built_files(MULTIGED)
    for name, text in built.items():
        assert (CORPORA / name).read_text(encoding="utf-8") == text, name
