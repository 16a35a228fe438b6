"""Where Tutor keeps its files, resolved once at start-up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

APP_NAME = "Tutor"


class AppPaths(NamedTuple):
    """A NamedTuple, not a dataclass: see tutor.cli.arguments.Options."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "tutor.sqlite3"

    @property
    def settings(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def server_habits(self) -> Path:
        """What Tutor learned about each model server (tutor/store/server_habits.py)."""
        return self.data_dir / "server-habits.json"

    @property
    def user_scenarios(self) -> Path:
        return self.data_dir / "scenarios"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "tutor.log"

    @classmethod
    def under(cls, directory: Path) -> AppPaths:
        """Everything below one directory (--data-dir)."""
        directory = directory.expanduser().resolve()
        return cls(data_dir=directory, config_dir=directory, log_dir=directory / "logs")

    @classmethod
    def chosen(cls, data_dir: Path | None) -> AppPaths:
        """Under --data-dir when one was given, else the user's usual folders."""
        return cls.under(data_dir) if data_dir else cls.for_user()

    @classmethod
    def for_user(cls) -> AppPaths:
        import platformdirs

        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    def create(self) -> None:
        """Make the directories, readable by the owner only."""
        for directory in (self.data_dir, self.config_dir, self.log_dir):
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)


RESOURCE_PACKAGE = "tutor_resources"
"""resources/ as a package: pyproject.toml maps it so, for wheels and editable installs."""

APP_ID = "io.github.tutor.Tutor"
"""The reverse-DNS application id: desktop file, metainfo, icon name, Qt's desktop file."""


def bundled_resources() -> Path:
    """Tutor's built-in files (scenarios/, icons/), wherever Tutor runs from.

    The one place that knows where they are: inside a PyInstaller bundle they sit in
    sys._MEIPASS/resources; installed (pip, pipx, or the editable install of
    scripts/bootstrap) they are the package tutor_resources; and a bare checkout on
    sys.path without any install still has resources/ beside tutor/.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen is not None:
        return Path(frozen) / "resources"
    import importlib.resources  # 7 ms, at first use: start-up may not need it

    try:
        found = importlib.resources.files(RESOURCE_PACKAGE)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"
    # The package is always unpacked on disk (wheels are installed, not zip-imported),
    # so files() is a real folder; the callers read it with pathlib.
    if not isinstance(found, Path):
        raise RuntimeError(f"{RESOURCE_PACKAGE} is not a folder on disk: {found}")
    return found


def icon_files() -> list[Path]:
    """The application icon: the SVG, then the PNGs rendered from it, smallest first."""
    hicolor = bundled_resources() / "icons" / "hicolor"
    pngs = sorted(
        hicolor.glob(f"*/apps/{APP_ID}.png"), key=lambda path: int(path.parts[-3].split("x")[0])
    )
    svg = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    return ([svg] if svg.is_file() else []) + pngs
