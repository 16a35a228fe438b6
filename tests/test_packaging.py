"""What installing Tutor needs: resources inside the package, the desktop entry, the
AppStream metadata, the icon, and the install script. The wheel test is slow and runs
only when asked for: TUTOR_TEST_WHEEL=1 .venv/bin/python -m pytest -m slow tests/test_packaging.py
"""

from __future__ import annotations

import configparser
import importlib.resources
import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage

import tutor
from tutor.paths import APP_ID, RESOURCE_PACKAGE, bundled_resources, icon_files

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
INSTALL_SH = LINUX / "install.sh"


def _render_icons() -> ModuleType:
    # packaging/ is no Python package (its name would shadow PyPI's `packaging`).
    spec = importlib.util.spec_from_file_location(
        "render_icons", ROOT / "packaging" / "render_icons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- resources -------------------------------------------------------------------------


def test_every_package_under_tutor_is_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "tutor").rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"
    assert config["tool"]["setuptools"]["package-dir"][RESOURCE_PACKAGE] == "resources"


def test_resources_are_found_through_importlib_resources():
    # The editable install maps tutor_resources onto resources/, as the wheel ships it.
    found = importlib.resources.files(RESOURCE_PACKAGE)
    assert Path(str(found)) == bundled_resources()
    assert bundled_resources() == ROOT / "resources"
    assert len(list((bundled_resources() / "scenarios").glob("*.toml"))) >= 44


def test_resources_in_a_pyinstaller_bundle_come_from_meipass(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert bundled_resources() == tmp_path / "resources"


def test_package_data_names_the_resource_files():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"][RESOURCE_PACKAGE]
    resources = ROOT / "resources"
    shipped = {path for pattern in patterns for path in resources.glob(pattern)}
    wanted = {
        path
        for path in resources.rglob("*")
        if path.is_file() and path.suffix in {".toml", ".png", ".svg"}
    }
    assert wanted <= shipped, sorted(str(p.relative_to(resources)) for p in wanted - shipped)


# -- the icon --------------------------------------------------------------------------


def test_icon_pngs_exist_at_every_size_and_match_the_svg(qapp):
    render_icons = _render_icons()
    files = icon_files()
    assert files[0].suffix == ".svg"
    assert [QImage(str(path)).width() for path in files[1:]] == list(render_icons.SIZES)
    for size in render_icons.SIZES:
        committed = QImage(str(render_icons.png_path(size))).convertToFormat(
            QImage.Format.Format_ARGB32
        )
        assert (committed.width(), committed.height()) == (size, size)
        fresh = render_icons.render(size).convertToFormat(QImage.Format.Format_ARGB32)
        # The same renderer gives the same pixels; allow a little for another Qt version.
        old, new = bytes(committed.constBits()), bytes(fresh.constBits())
        differ = sum(1 for x, y in zip(old, new, strict=True) if abs(x - y) > 8)
        assert differ <= len(old) // 50, (
            f"the {size} px icon is stale: run .venv/bin/python packaging/render_icons.py"
        )
        # Transparent corners, an opaque tile: a real icon, not a blank square.
        assert committed.pixelColor(0, 0).alpha() == 0
        assert committed.pixelColor(size // 2, size // 2).alpha() == 255


# -- desktop entry and AppStream -------------------------------------------------------


def _desktop_entry() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign] # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_entry_names_the_app_and_its_icon():
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Tutor"
    assert entry["Icon"] == APP_ID  # the file name is APP_ID.desktop, as Qt is told
    assert entry["Exec"].split()[0] == "tutor"
    assert entry["Terminal"] == "false"
    assert "Education" in entry["Categories"].split(";")
    assert entry["Categories"].endswith(";") and entry["Keywords"].endswith(";")
    app_source = (ROOT / "tutor" / "app.py").read_text(encoding="utf-8")
    assert f'setDesktopFileName("{APP_ID}")' in app_source


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_entry_validates():
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_is_well_formed_with_the_required_tags():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    text = {tag: (root.findtext(tag) or "").strip() for tag in ("id", "name", "summary")}
    assert text == {"id": APP_ID, "name": "Tutor", "summary": text["summary"]}
    assert 0 < len(text["summary"]) <= 35 and not text["summary"].endswith(".")
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.findall("description/p")
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == f"{APP_ID}.desktop"
    assert root.find("content_rating") is not None
    assert root.findtext("provides/binary") == "tutor"
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == tutor.__version__


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="apt-get install appstream")
def test_metainfo_validates():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- the PyInstaller spec and the install script ---------------------------------------


def test_spec_is_python_and_names_the_dynamic_imports():
    source = (ROOT / "packaging" / "tutor.spec").read_text(encoding="utf-8")
    compile(source, "tutor.spec", "exec")
    for name in ("keyring.backends", "fsrs", "genanki", "regex", "rapidfuzz", "tomli_w"):
        assert f'"{name}"' in source, name
    for name in ("langcodes", "language_data"):
        assert f'collect_data_files("{name}")' in source, name
    assert "bundle_identifier=APP_ID" in source


def _fake_tutor(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "tutor"
    program.write_text("#!/bin/sh\necho Tutor 0.1.0\n")
    program.chmod(0o755)
    return program


def _run_install(*args: str, script: Path = INSTALL_SH, path: str = "/usr/bin:/bin") -> str:
    result = subprocess.run(
        ["bash", str(script), *args],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": path, "HOME": "/nonexistent"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _installed(prefix: Path) -> list[str]:
    return sorted(str(p.relative_to(prefix)) for p in (prefix / "share").rglob("*") if p.is_file())


def test_install_script_adds_a_pipx_install_to_the_menu_and_removes_it(tmp_path):
    prefix = tmp_path / "prefix"
    program = _fake_tutor(tmp_path / "pipx-bin")
    _run_install("--desktop-only", "--prefix", str(prefix), path=f"{program.parent}:/usr/bin:/bin")
    installed = _installed(prefix)
    assert f"share/applications/{APP_ID}.desktop" in installed
    assert f"share/metainfo/{APP_ID}.metainfo.xml" in installed
    assert f"share/icons/hicolor/48x48/apps/{APP_ID}.png" in installed
    assert f"share/icons/hicolor/scalable/apps/{APP_ID}.svg" in installed
    desktop = (prefix / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"\nExec={program}\n" in desktop and f"\nTryExec={program}\n" in desktop

    _run_install("--uninstall", "--prefix", str(prefix))
    assert not any(
        name.endswith((".desktop", ".xml", ".png", ".svg")) for name in _installed(prefix)
    )


def test_install_script_copies_a_bundle_and_links_the_program(tmp_path):
    # A bundle as the spec lays it out: the program, share/ and install.sh side by side.
    bundle = tmp_path / "dist" / "Tutor"
    _fake_tutor(bundle)
    share = bundle / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir()
    shutil.copy2(DESKTOP_FILE, share / "applications")
    shutil.copy2(METAINFO, share / "metainfo")
    shutil.copytree(ROOT / "resources" / "icons" / "hicolor", share / "icons" / "hicolor")
    shutil.copy2(INSTALL_SH, bundle / "install.sh")
    prefix = tmp_path / "home" / ".local"

    _run_install("--prefix", str(prefix), script=bundle / "install.sh")
    link = prefix / "bin" / "tutor"
    assert link.is_symlink() and link.resolve() == (prefix / "lib" / "tutor" / "tutor").resolve()
    assert subprocess.run(
        [str(link)], capture_output=True, text=True, check=True
    ).stdout.startswith("Tutor")
    desktop = (prefix / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"\nExec={prefix / 'lib' / 'tutor' / 'tutor'}\n" in desktop

    _run_install("--uninstall", "--prefix", str(prefix), script=bundle / "install.sh")
    assert not link.exists() and not (prefix / "lib" / "tutor").exists()


# -- a real wheel in a fresh environment (slow) ----------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("TUTOR_TEST_WHEEL") != "1",
    reason="builds a wheel and a venv: TUTOR_TEST_WHEEL=1",
)
def test_wheel_installs_and_finds_its_resources(tmp_path):
    """`pip install` of the wheel gives a `tutor` that lists the built-in scenarios from
    inside site-packages, with no checkout nearby."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("tutor-*.whl")
    # The build compiles the translation catalogues (setup.py): the wheel carries them.
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {
        f"tutor/locale/{code}/LC_MESSAGES/tutor.mo" for code in ("ar", "ko", "zh_Hans")
    } <= names
    assert not any(name.endswith((".po", ".pot")) for name in names)
    # The coach scorecard's samples travel with their licences and attribution.
    assert {
        f"tutor_resources/coach_corpora/{name}"
        for name in ("it_merlin_sample.tsv", "it_merlin_LICENSE.md", "ATTRIBUTION.md")
    } <= names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        timeout=1200,
    )
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing can come from ROOT
    elsewhere.mkdir()
    data = tmp_path / "data"
    listed = subprocess.run(
        [str(venv / "bin" / "tutor"), "--data-dir", str(data), "scenarios"],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
        timeout=120,
    ).stdout.splitlines()
    assert len([line for line in listed if line.strip()]) >= 44
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from tutor.paths import bundled_resources, icon_files;"
            "print(bundled_resources()); print(len(icon_files()))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
    ).stdout.split()
    assert Path(where[0]).is_relative_to(venv) and "site-packages" in where[0]
    assert int(where[1]) == 9  # the SVG and eight PNGs
