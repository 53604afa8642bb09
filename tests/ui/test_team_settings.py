"""Settings > Team: the address, name and allow-insecure choice saved to the local config, the password to the
keyring only, and "Test connection" against the suite's real PostgreSQL server, off the GUI thread."""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from desktop import secrets, team_config
from desktop.shell.events import EventBus
from desktop.store import settings
from desktop.team_config import TeamSetting
from desktop.ui.settings_page import SettingsPage
from desktop.ui.team_settings import INSECURE_WARNING, TEST_JOB
from tests.helpers.memory_keyring import MemoryKeyring, installed_memory_keyring
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.settle import settle

TEAM = "postgresql://alex@db.agency.example/rapport"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    yield from installed_memory_keyring()


@pytest.fixture
def page(qtbot, conn) -> Iterator[SettingsPage]:
    widget = SettingsPage(conn, EventBus())
    settle(qtbot, widget)
    qtbot.addWidget(widget)
    yield widget
    widget.team.shutdown()


def _role(postgres_server, database_url: str, password: str) -> str:
    """A login role with a password (scram, as a team's would be) that may read the database's tables."""
    import psycopg

    role = f"alex_{uuid.uuid4().hex[:8]}"
    with postgres_server.admin() as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    with psycopg.connect(database_url, autocommit=True) as owner:
        owner.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    return database_url.replace("rapport_test@", f"{role}@")


def _test(qtbot, page: SettingsPage) -> str:
    """Click "Test connection" and wait for its answer (the button is off while the job runs)."""
    page.team.test_button.click()
    settle(qtbot, page)
    assert not page.team.test_button.isEnabled() and page.team.test_result.text().startswith("Connecting to")
    qtbot.waitUntil(page.team.test_button.isEnabled, timeout=PATIENCE_MS)
    return page.team.test_result.text()


def test_save_keeps_address_and_name_in_the_local_config_and_the_password_only_in_the_keyring(
        qtbot, conn, page, memory_keyring) -> None:
    team = page.team
    team.url_edit.setText(TEAM)
    team.password_edit.setText("s3cret-pw")
    team.name_edit.setText("Alex")
    assert page.has_unsaved_edits()
    page.save_button.click()
    settle(qtbot, page)
    assert page.status_label.text() == "Saved." and not page.has_unsaved_edits()
    saved = team_config.config_file().read_text()
    assert json.loads(saved) == {"url": TEAM, "name": "Alex", "allow_insecure": False}
    assert secrets.get_team_password(TEAM) == "s3cret-pw"
    assert "s3cret-pw" not in saved
    assert not any("s3cret-pw" in str(v) or TEAM in str(v) for v in settings.all_settings(conn).values())
    assert team.password_edit.text() == ""  # not left in the widget once kept
    assert "not on the saved team database " + TEAM in team.note_label.text()


def test_without_a_keyring_a_typed_password_saves_nothing_and_says_why(qtbot, page) -> None:
    page.team.url_edit.setText(TEAM)
    page.team.password_edit.setText("s3cret-pw")
    page.save_button.click()
    settle(qtbot, page)
    assert "No system keyring" in page.error_label.text() and "Nothing was saved" in page.error_label.text()
    assert not team_config.config_file().exists()
    assert page.has_unsaved_edits()


def test_an_address_with_a_password_cannot_be_saved(qtbot, page) -> None:
    page.team.url_edit.setText("postgresql://alex:hunter2@db.agency.example/rapport")
    assert not page.save_button.isEnabled()
    assert "Password field" in page.error_label.text()
    assert not team_config.config_file().exists()


def test_allow_insecure_shows_its_warning_and_is_kept_with_the_address(qtbot, page) -> None:
    team = page.team
    assert team.insecure_warning.isHidden()
    team.url_edit.setText(TEAM)
    team.insecure_check.setChecked(True)
    assert not team.insecure_warning.isHidden() and team.insecure_warning.text() == INSECURE_WARNING
    page.save_button.click()
    settle(qtbot, page)
    assert team_config.load() == TeamSetting(TEAM, "", True)
    assert team_config.allows_insecure(TEAM)


def test_clearing_the_address_goes_back_to_this_desktops_own_store(qtbot, page) -> None:
    team_config.save(TeamSetting(TEAM, "Alex", False))
    page.load()
    settle(qtbot, page)
    assert page.team.url_edit.text() == TEAM and page.team.name_edit.text() == "Alex"
    page.team.url_edit.clear()
    page.save_button.click()
    settle(qtbot, page)
    assert team_config.load().url == ""
    assert "own store" in page.team.note_label.text()


def test_test_connection_reaches_the_server_off_the_gui_thread_and_says_what_it_found(
        qtbot, page, postgres_server, memory_keyring) -> None:
    url = _role(postgres_server, postgres_server.database(), "pw-for-test")
    page.team.url_edit.setText(url)
    page.team.password_edit.setText("pw-for-test")
    said = _test(qtbot, page)
    role = url.split("//")[1].split("@")[0]
    assert said.startswith(f"Connected to the team database {url.rsplit('/', 1)[1]} on 127.0.0.1:"
                           f"{postgres_server.port} as {role} (PostgreSQL ")
    assert "It holds 0 pieces of feedback." in said
    assert not team_config.config_file().exists()  # a test saves nothing

    page.team.password_edit.setText("wrong")
    said = _test(qtbot, page)
    assert f"The server refused the password for {role}" in said and "wrong" not in said.split("refused")[0]

    page.team.password_edit.clear()  # nothing typed, nothing in the keyring
    assert "type it in the Password field" in _test(qtbot, page)
    secrets.set_team_password(url, "pw-for-test")  # ...then the keyring's is used
    assert _test(qtbot, page).startswith("Connected")


def test_test_connection_on_an_empty_database_says_rapport_will_set_it_up(qtbot, page, postgres_server) -> None:
    page.team.url_edit.setText(postgres_server.database(migrated=False))
    assert "It is empty: Rapport sets it up" in _test(qtbot, page)


def test_an_unreachable_server_is_said_and_editing_the_address_clears_the_result(qtbot, page, postgres_server) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page.team.url_edit.setText(f"postgresql://alex@127.0.0.1:{port}/rapport")
    assert _test(qtbot, page).startswith(f"Cannot reach the team database at 127.0.0.1:{port}")
    assert TEST_JOB not in page.team.jobs.running
    page.team.url_edit.setText(TEAM)
    assert page.team.test_result.text() == ""


def test_save_keeps_the_password_and_the_config_off_the_gui_thread_saying_so_meanwhile(
        qtbot, page, memory_keyring) -> None:
    import threading

    team = page.team
    team.url_edit.setText(TEAM)
    team.password_edit.setText("s3cret-pw")
    page.save_button.click()
    assert team.note_label.text() == "Saving the team setting…" and page.status_label.text() == "Saving…"
    assert not page.save_button.isEnabled() and not page.has_unsaved_edits()  # counted as kept meanwhile
    settle(qtbot, page)
    assert page.status_label.text() == "Saved." and team_config.load().url == TEAM
    assert memory_keyring.threads and threading.get_ident() not in memory_keyring.threads


def test_a_team_setting_that_cannot_be_written_is_said_and_the_form_is_kept(qtbot, page, memory_keyring) -> None:
    team_config.config_file().parent.mkdir(parents=True, exist_ok=True)
    team_config.config_file().mkdir()  # team.json cannot be written: a folder stands where it goes
    page.team.url_edit.setText(TEAM)
    page.team.password_edit.setText("s3cret-pw")
    page.save_button.click()
    settle(qtbot, page)
    said = page.error_label.text()
    assert said.startswith("Cannot save the team settings in ") and "nothing was saved" in said
    assert not page.error_label.isHidden() and page.status_label.text() == ""
    assert page.save_button.isEnabled() and page.has_unsaved_edits()
    assert page.team.password_edit.text() == "s3cret-pw"  # typed, not kept: still there to save again
