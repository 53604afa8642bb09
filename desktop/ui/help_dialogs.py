"""The Help menu's windows: the user guide, the keyboard shortcuts, and About (version, where data and logs live)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QMessageBox, QTableWidget, QTableWidgetItem, QTextBrowser,
                               QVBoxLayout, QWidget)

from desktop import __version__, paths

GUIDE_TITLE = "Rapport user guide"


def guide_markdown() -> str:
    """The README, which is the user guide: from the checkout when run from one, else as installed (the package
    metadata carries it as the long description)."""
    import importlib.metadata  # here: ~0.1 s to import, and only the guide needs it

    readme = Path(__file__).resolve().parents[2] / "README.md"
    if readme.is_file():
        return readme.read_text(encoding="utf-8")
    try:
        return importlib.metadata.metadata("rapport").get_payload() or ""  # type: ignore[attr-defined]
    except importlib.metadata.PackageNotFoundError:
        return ""


class GuideDialog(QDialog):
    """The guide rendered (our own Markdown, never scraped text), links opening in the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(GUIDE_TITLE)
        self.resize(820, 640)
        self.view = QTextBrowser(self)
        self.view.setOpenExternalLinks(True)
        self.view.setMarkdown(guide_markdown() or "The guide is not installed with this copy of Rapport.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addWidget(buttons)


def open_guide(parent: QWidget) -> GuideDialog:
    dialog = GuideDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()  # not modal: the guide stays open beside the window
    return dialog


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(what, keys) for every action that has a shortcut, in menu wording without the mnemonic ampersands."""
    rows = {}
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
            rows[what] = keys
    return sorted(rows.items(), key=lambda r: r[0].lower())


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut the window has, read from its actions so the list never drifts from them."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for n, (what, keys) in enumerate(rows):
            self.table.setItem(n, 0, QTableWidgetItem(what))
            self.table.setItem(n, 1, QTableWidgetItem(keys))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.table, 1)
        box.addWidget(buttons)
        self.resize(460, 420)


def about_text(db_path: Path | None = None) -> str:
    return (f"Rapport {__version__}\n"
            "A reputation monitor for freelancers: watches your reviews, alerts you to negative ones, and helps "
            "you answer them well.\n\n"
            f"Your data: {db_path or paths.db_path()}\n"
            f"Settings and templates: {paths.config_dir()}\n"
            f"Log file: {paths.log_dir() / 'rapport.log'}")


def show_about(parent: QWidget, db_path: Path | None = None) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "About Rapport", about_text(db_path),
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box
