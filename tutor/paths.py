"""Where Tutor keeps its files, resolved once at start-up."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Tutor"


@dataclass(frozen=True)
class AppPaths:
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


def bundled_resources() -> Path:
    """resources/ beside the package, or inside a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen is not None:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
