"""The Help menu (guide, shortcuts, About) and the View menu's page names as people read them."""
from __future__ import annotations

from desktop import __version__, paths
from desktop.ui import help_dialogs
from desktop.ui.main_window import MainWindow
from tests.helpers.settle import settle


def menu_texts(window: MainWindow, title: str) -> list[str]:
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title]
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_view_menu_shows_clients_and_projects_not_a_mnemonic(qtbot, conn) -> None:
    window = MainWindow(conn)
    settle(qtbot, window)
    qtbot.addWidget(window)
    assert "Clients && projects" in menu_texts(window, "View")  # shown as "Clients & projects"


def test_help_menu_has_the_guide_the_shortcuts_and_about(qtbot, conn, db_path) -> None:
    window = MainWindow(conn)
    settle(qtbot, window)
    qtbot.addWidget(window)
    assert [t.replace("&", "") for t in menu_texts(window, "Help")] == ["User guide", "Keyboard shortcuts",
                                                                         "About Rapport"]
    about = help_dialogs.about_text(db_path)
    assert __version__ in about and str(db_path) in about and str(paths.log_dir() / "rapport.log") in about
    rows = dict(help_dialogs.shortcut_rows(window.findChildren(type(window.quit_action))))
    assert rows["Quit"] == window.quit_action.shortcut().toString() and rows["Clients & projects"] == "Ctrl+2"
    guide = help_dialogs.GuideDialog(window)
    qtbot.addWidget(guide)
    assert "Rapport is a desktop reputation monitor" in guide.view.toPlainText()
    assert "```" not in guide.view.toPlainText()  # rendered, not raw Markdown
