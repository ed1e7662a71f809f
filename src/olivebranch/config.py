"""Where the data lives: the data directory and the database URL."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "olivebranch"
DATA_DIR_ENV = "OLIVEBRANCH_DATA_DIR"
DATABASE_URL_ENV = "OLIVEBRANCH_DATABASE_URL"
DATABASE_FILE = "olivebranch.db"


def data_dir(option: Path | None = None) -> Path:
    """``--data-dir``, else OLIVEBRANCH_DATA_DIR, else the platform's user data directory."""
    if option is not None:
        return option.expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def database_url(directory: Path) -> str:
    """OLIVEBRANCH_DATABASE_URL, else an SQLite file in the data directory."""
    from_env = os.environ.get(DATABASE_URL_ENV)
    if from_env:
        return from_env
    return f"sqlite:///{directory / DATABASE_FILE}"
