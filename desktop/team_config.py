"""This desktop's way into its team's database, kept in the local config folder, never in the store.

The team database's address cannot live only inside the team database (it is how Rapport finds it), and who sits
at this desktop is not the team's to share (the store's settings table is shared by everyone on it): both belong
to this machine, in `team.json` under the platformdirs config folder (desktop.paths.config_dir()). The password is
never here: desktop.secrets keeps it in the system keyring. Which store opens: `--db`, then RAPPORT_DB, then the
address saved here, then this desktop's own SQLite file (desktop.paths.db_target).
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from desktop.store.db import StoreError

log = logging.getLogger(__name__)

__all__ = ["FILE_NAME", "TeamConfigError", "TeamSetting", "allows_insecure", "check_url", "config_file", "load",
           "save"]

FILE_NAME = "team.json"
SCHEMES = ("postgresql://", "postgres://")
ALLOW_INSECURE_ENV = "RAPPORT_TEAM_ALLOW_INSECURE"  # the same switch as desktop.store.postgres reads


class TeamConfigError(StoreError):
    """team.json cannot be read or written; the message names the file and what to do."""


@dataclass(frozen=True)
class TeamSetting:
    """What Settings > Team saves. An empty `url` means this desktop uses its own SQLite store."""

    url: str = ""              # postgresql://USER@HOST[:PORT]/DATABASE, never with a password
    name: str = ""             # this person's name in the team; "" means their database role
    allow_insecure: bool = False  # plain (unencrypted) connections to another host, only when the user says so


def config_file() -> Path:
    from desktop import paths

    return paths.config_dir() / FILE_NAME


def check_url(text: str) -> str | None:
    """Why `text` is not a team database address Rapport can save, in words; None when it is one."""
    text = text.strip()
    if not text.lower().startswith(SCHEMES):
        return "A team database's address starts with postgresql:// (e.g. postgresql://sam@db.agency.example/rapport)."
    if any(c.isspace() for c in text):
        return "The address has a space in it."
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        return f"The address cannot be read: {exc}."
    if parts.password is not None:
        return ("The address carries a password: type it in the Password field instead, so it goes to the system "
                "keyring and never into a settings file.")
    if not parts.path.strip("/"):
        return "The address needs the database's name at its end (…/rapport)."
    return None


def load() -> TeamSetting:
    """The saved team setting (the default, no team, when nothing was saved)."""
    path = config_file()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return TeamSetting()
    except OSError as exc:
        raise TeamConfigError(f"cannot read the team settings in {path}: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        setting = TeamSetting(url=str(data.get("url") or "").strip(), name=str(data.get("name") or "").strip(),
                              allow_insecure=data.get("allow_insecure") is True)
    except ValueError as exc:
        raise TeamConfigError(f"the team settings in {path} cannot be read ({exc}): fix the file, or delete it to "
                              "use this desktop's own store") from exc
    problem = check_url(setting.url) if setting.url else None
    if problem:
        raise TeamConfigError(f"the team database saved in {path} is not usable: {problem}")
    return setting


def save(setting: TeamSetting) -> None:
    """Write the setting whole (a crash leaves the old file or the new one, never half of one)."""
    if setting.url and (problem := check_url(setting.url)):
        raise TeamConfigError(problem)
    path = config_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".team-", suffix=".json", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(setting), out, indent=2)
            out.write("\n")
        os.replace(temporary, path)
    except OSError as exc:
        raise TeamConfigError(f"cannot save the team settings in {path}: {exc.strerror or exc} (nothing was "
                              "saved)") from exc
    log.info("team setting saved: %s", "no team" if not setting.url else "a team database")


def saved_url() -> str:
    """The saved team database's address, "" for none."""
    return load().url


def allows_insecure(url: str) -> bool:
    """Whether plain connections to `url` were allowed: RAPPORT_TEAM_ALLOW_INSECURE=1, or the box ticked in
    Settings > Team for this same address."""
    if os.environ.get(ALLOW_INSECURE_ENV) == "1":
        return True
    try:
        setting = load()
    except TeamConfigError:
        return False
    return setting.allow_insecure and bool(setting.url) and setting.url == url
