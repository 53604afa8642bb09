"""Where Rapport keeps its files: one module so tests can redirect every directory at once."""
from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

APP_NAME = "Rapport"
DB_ENV = "RAPPORT_DB"
# Tests (and users with portable installs) point every directory below one root.
HOME_ENV = "RAPPORT_HOME"


def _dirs() -> platformdirs.PlatformDirs:
    return platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def _under_home(kind: str) -> Path | None:
    home = os.environ.get(HOME_ENV)
    return Path(home) / kind if home else None


def data_dir() -> Path:
    return _under_home("data") or Path(_dirs().user_data_dir)


def config_dir() -> Path:
    return _under_home("config") or Path(_dirs().user_config_dir)


def log_dir() -> Path:
    return _under_home("log") or Path(_dirs().user_log_dir)


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The store: `--db PATH` first, then RAPPORT_DB, then the user data dir."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    return own_db_path()


def own_db_path() -> Path:
    """This desktop's own store, the default file (what a desktop falls back to when its team database cannot be
    reached at start-up)."""
    return data_dir() / "rapport.sqlite3"


def db_target(explicit: str | os.PathLike[str] | None = None) -> Path | str:
    """Like db_path, but a team database's postgresql:// URL stays a URL (a Path would fold its slashes).

    Which store: `--db` first, then RAPPORT_DB, then the team database saved in Settings > Team (the local
    config's team.json: desktop.team_config), then the user data dir's file. A team.json that cannot be read is
    a TeamConfigError (a StoreError), never a silent fall back to another store."""
    chosen = os.fspath(explicit) if explicit else os.environ.get(DB_ENV)
    if not chosen:
        from desktop import team_config

        chosen = team_config.saved_url() or None
    if chosen and chosen.lower().startswith(("postgresql://", "postgres://")):
        return chosen
    return db_path(explicit)


def is_default_db(explicit: str | os.PathLike[str] | None = None) -> bool:
    """Whether the store is the default one (neither `--db` nor RAPPORT_DB; a saved team database is a URL, so
    this only matters for the file): only its folder is ever created."""
    return not explicit and not os.environ.get(DB_ENV)


def resource(*parts: str) -> Traversable:
    """A file under the `resources` package, wherever it is installed."""
    node = resources.files("resources")
    for part in parts:
        node = node / part
    return node
