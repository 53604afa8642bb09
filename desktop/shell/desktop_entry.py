"""Being a good desktop citizen on Linux: a menu entry, icons, and the opt-in "start at login" entry.

Paths follow the XDG base directory spec ($XDG_DATA_HOME, $XDG_CONFIG_HOME), so tests can redirect them.
"""
from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from desktop.paths import resource

APP_ID = "rapport"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var)
    return Path(value) if value and os.path.isabs(value) else Path.home() / fallback


def data_home() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share")


def config_home() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config")


def rapport_command() -> str:
    """The command that starts this installation of Rapport: the venv's `rapport` script when there is one."""
    beside = Path(sys.executable).with_name("rapport")
    if beside.exists():
        return str(beside)
    return shutil.which("rapport") or f"{sys.executable} -m desktop"


def entry_text(*, exec_args: str = "", autostart: bool = False) -> str:
    """The packaged .desktop template, with Exec pointing at this installation."""
    template = resource("rapport.desktop").read_text(encoding="utf-8")
    command = rapport_command()
    argv0 = shlex.split(command)[0]
    exec_line = " ".join(shlex.quote(p) for p in shlex.split(command)) + (f" {exec_args}" if exec_args else "")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_line}"
        elif line.startswith("TryExec="):
            line = f"TryExec={argv0}"
        lines.append(line)
    if autostart:
        lines.append("X-GNOME-Autostart-enabled=true")
    return "\n".join(lines) + "\n"


def install_menu_entry() -> list[Path]:
    """Put Rapport in the application menu: the .desktop file and its icons. Returns what was written."""
    written = []
    apps = data_home() / "applications"
    apps.mkdir(parents=True, exist_ok=True)
    entry = apps / f"{APP_ID}.desktop"
    entry.write_text(entry_text(), encoding="utf-8")
    written.append(entry)
    for size in ICON_SIZES:
        target = data_home() / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(resource("icons", f"rapport-{size}.png").read_bytes())
        written.append(target)
    return written


def autostart_path() -> Path:
    return config_home() / "autostart" / f"{APP_ID}.desktop"


def set_start_at_login(enabled: bool) -> None:
    """Write or remove the XDG autostart entry (started hidden, in the tray)."""
    path = autostart_path()
    if enabled:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry_text(exec_args="--minimized", autostart=True), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)


def starts_at_login() -> bool:
    return autostart_path().exists()
