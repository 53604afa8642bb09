"""The menu entry and autostart entry are valid and go where XDG says, never into the real home."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from desktop.shell import desktop_entry


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)


def test_menu_entry_validates_and_points_at_this_installation(xdg: Path) -> None:
    written = desktop_entry.install_menu_entry()
    entry = xdg / "data" / "applications" / "rapport.desktop"
    assert written[0] == entry
    done = validate(entry)
    assert done.returncode == 0, done.stdout + done.stderr
    text = entry.read_text()
    assert f"Exec={desktop_entry.rapport_command()}" in text
    icon = xdg / "data" / "icons" / "hicolor" / "48x48" / "apps" / "rapport.png"
    assert icon.read_bytes().startswith(b"\x89PNG")


def test_packaged_template_validates() -> None:
    done = validate(Path(str(desktop_entry.resource("rapport.desktop"))))
    assert done.returncode == 0, done.stdout + done.stderr


def test_start_at_login_is_opt_in_and_reversible(xdg: Path) -> None:
    assert not desktop_entry.starts_at_login()
    desktop_entry.set_start_at_login(True)
    path = xdg / "config" / "autostart" / "rapport.desktop"
    assert path.exists() and "--minimized" in path.read_text()
    assert validate(path).returncode == 0
    desktop_entry.set_start_at_login(False)
    assert not path.exists() and not desktop_entry.starts_at_login()
