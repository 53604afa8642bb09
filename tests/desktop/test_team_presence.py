"""Whose desktop polls, as any teammate's role can see it: the name in each Rapport connection's
application_name and the poller lock's holder, read on the suite's real PostgreSQL server."""
from __future__ import annotations

import uuid

import psycopg
import pytest

from desktop import team_config
from desktop.store import connect
from desktop.store.team_presence import APP, application_name, person_of, poller_person
from desktop.team_config import TeamSetting

LOCK = 0x52617070_6F727432


@pytest.mark.parametrize("name", ["Alex", "José Núñez", "Zoë O'Hara-Smith", "名前", "x" * 200, "é" * 40])
def test_a_name_survives_the_servers_ascii_only_application_name(name: str) -> None:
    shown = application_name(name)
    assert shown.isascii() and len(shown) <= 63
    back = person_of(shown, "role")
    assert name.startswith(back) and len(back) >= min(len(name), 6)


def test_no_name_is_plain_rapport_and_falls_back_to_the_role() -> None:
    assert application_name("  ") == APP
    assert person_of(APP, "sam") == "sam"
    assert person_of(None, None) == ""


def test_a_teammate_without_privileges_sees_whose_desktop_holds_the_poller_lock(postgres_server) -> None:
    url = postgres_server.database()
    role = f"viewer_{uuid.uuid4().hex[:8]}"
    with postgres_server.admin() as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
    team_config.save(TeamSetting(name="José Núñez"))
    holder = connect(url, migrate=False)
    viewer = psycopg.connect(url.replace("rapport_test@", f"{role}@"), password="pw", autocommit=True)
    try:
        assert holder.raw.info.parameter_status("application_name") == application_name("José Núñez")

        class Conn:  # the viewer's own connection, with the store's ? parameters
            def execute(self, sql: str, params: tuple = ()):  # noqa: ANN201
                return viewer.execute(sql.replace("?", "%s"), params)

        assert poller_person(Conn(), LOCK) is None
        holder.execute("SELECT pg_advisory_lock(?)", (LOCK,))
        assert poller_person(Conn(), LOCK) == "José Núñez"
        assert poller_person(Conn(), LOCK + 1) is None
        holder.execute("SELECT pg_advisory_unlock(?)", (LOCK,))
        assert poller_person(Conn(), LOCK) is None
    finally:
        viewer.close()
        holder.close()
