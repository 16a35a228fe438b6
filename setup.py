"""The wheel's build: setuptools (pyproject.toml has the metadata), plus the translation
catalogues compiled from tutor/locale/*/LC_MESSAGES/tutor.po, so every wheel (and the
bundle, made from an installed wheel) carries .mo files current with the sources."""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def compile_catalogues() -> None:
    # scripts/catalogues is the one place that knows how (it is in the sdist too).
    script = ROOT / "scripts" / "catalogues"
    loader = importlib.machinery.SourceFileLoader("catalogues", str(script))
    spec = importlib.util.spec_from_loader("catalogues", loader)
    assert spec is not None
    catalogues = importlib.util.module_from_spec(spec)
    loader.exec_module(catalogues)
    problems = catalogues.compile_catalogues()
    if problems:
        raise SystemExit("translation catalogues do not compile:\n  " + "\n  ".join(problems))


class BuildWithCatalogues(build_py):
    """Compiles the catalogues into the source tree first: package-data then finds the
    .mo files, for a wheel and for an editable install alike."""

    def run(self) -> None:
        compile_catalogues()
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
