"""Settings > Team's saved address: kept in the local config (never the store), and where it sits among --db and
RAPPORT_DB when Rapport picks its store."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop import paths, team_config
from desktop.store import StoreError, connect, open_store
from desktop.team_config import TeamConfigError, TeamSetting

TEAM = "postgresql://alex@db.agency.example/rapport"


def test_nothing_saved_is_no_team() -> None:
    assert team_config.load() == TeamSetting()
    assert paths.db_target() == paths.data_dir() / "rapport.sqlite3"


def test_the_setting_lives_in_the_config_folder_not_the_data_folder(isolated_dirs: Path) -> None:
    team_config.save(TeamSetting(url=TEAM, name="Alex", allow_insecure=False))
    assert team_config.config_file().parent == paths.config_dir()
    assert json.loads(team_config.config_file().read_text()) == {"url": TEAM, "name": "Alex",
                                                                 "allow_insecure": False}
    assert team_config.load() == TeamSetting(TEAM, "Alex", False)
    assert not (paths.data_dir() / team_config.FILE_NAME).exists()


def test_command_line_beats_environment_beats_saved_team_beats_default(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    team_config.save(TeamSetting(url=TEAM))
    assert paths.db_target() == TEAM
    monkeypatch.setenv(paths.DB_ENV, str(tmp_path / "env.sqlite3"))
    assert paths.db_target() == tmp_path / "env.sqlite3"
    assert paths.db_target(tmp_path / "arg.sqlite3") == tmp_path / "arg.sqlite3"
    monkeypatch.delenv(paths.DB_ENV)
    assert paths.db_target("postgresql://sam@other.example/x") == "postgresql://sam@other.example/x"
    team_config.save(TeamSetting())
    assert paths.db_target() == paths.data_dir() / "rapport.sqlite3"


@pytest.mark.parametrize(("url", "why"), [
    ("mysql://alex@db/rapport", "starts with postgresql://"),
    ("postgresql://alex:hunter2@db.agency.example/rapport", "Password field"),
    ("postgresql://alex@db.agency.example", "database's name"),
    ("postgresql://alex@db.agency.example:port/rapport", "cannot be read"),
    ("postgresql://alex@db agency/rapport", "space"),
])
def test_an_address_rapport_cannot_use_is_refused_in_words_and_nothing_is_written(url: str, why: str) -> None:
    assert why in (team_config.check_url(url) or "")
    with pytest.raises(TeamConfigError, match=why.split()[0]):
        team_config.save(TeamSetting(url=url))
    assert not team_config.config_file().exists()


def test_a_broken_file_is_a_clear_error_never_a_silent_other_store() -> None:
    team_config.config_file().parent.mkdir(parents=True, exist_ok=True)
    team_config.config_file().write_text("{not json")
    with pytest.raises(StoreError, match="team.json cannot be read .*delete it"):
        paths.db_target()
    team_config.config_file().write_text(json.dumps({"url": "postgresql://a:b@h/d"}))
    with pytest.raises(StoreError, match="not usable: .*password"):
        paths.db_target()
    assert team_config.config_file().read_text() == json.dumps({"url": "postgresql://a:b@h/d"})  # left as it was


def test_allow_insecure_holds_for_the_saved_address_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.store.postgres import ALLOW_INSECURE_ENV, _secured

    assert not team_config.allows_insecure(TEAM)
    team_config.save(TeamSetting(url=TEAM, allow_insecure=True))
    assert team_config.allows_insecure(TEAM)
    assert not team_config.allows_insecure("postgresql://alex@elsewhere.example/rapport")
    assert _secured(TEAM, team_config.allows_insecure(TEAM)) == TEAM  # no sslmode forced on
    other = "postgresql://alex@elsewhere.example/rapport"
    assert "sslmode=require" in _secured(other, team_config.allows_insecure(other))
    monkeypatch.setenv(ALLOW_INSECURE_ENV, "1")
    assert team_config.allows_insecure(other)


def test_rapport_started_without_db_opens_the_saved_team_database(postgres_server) -> None:
    url = postgres_server.database()
    team_config.save(TeamSetting(url=url, name="Alex"))
    conn = open_store()
    try:
        assert getattr(conn, "url", None) == url
        assert conn.execute("SELECT current_database()").fetchone()[0] == url.rsplit("/", 1)[1]
    finally:
        conn.close()


def test_cli_says_a_broken_team_file_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main

    team_config.config_file().parent.mkdir(parents=True, exist_ok=True)
    team_config.config_file().write_text("[1, 2]")
    assert main(["feedback", "list"]) != 0
    err = capsys.readouterr().err
    assert "team.json cannot be read (not a JSON object)" in err and "Traceback" not in err


def test_team_migrate_moves_this_desktops_own_file_even_with_a_team_saved(postgres_server, tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import main

    own = paths.data_dir() / "rapport.sqlite3"
    own.parent.mkdir(parents=True, exist_ok=True)
    connect(own).close()
    target = postgres_server.database(migrated=False)
    team_config.save(TeamSetting(url=target))
    assert main(["team", "migrate", "--to", target]) == 0, capsys.readouterr().err
    assert f"Moved {own}" in capsys.readouterr().out
