"""`rapport install-desktop-entry`: opt-in application-menu entry and icons for this installation."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("install-desktop-entry", help="add Rapport to your application menu",
                            description="Write a .desktop file and icons under $XDG_DATA_HOME (~/.local/share).")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from desktop.shell.desktop_entry import install_menu_entry

    written = install_menu_entry()
    print(f"installed {written[0]} and {len(written) - 1} icons")
    return 0
