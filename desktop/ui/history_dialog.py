"""Every version of a review Rapport has read, oldest first, so the user sees what the client changed."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.store.revisions import Revision
from desktop.ui.widgets import plain_label, stars


def history_text(versions: Sequence[Revision]) -> str:
    """The versions as plain text: a heading line each (number, date, stars, label), then the words."""
    blocks = []
    for v in versions:
        rating = f"{stars(v.rating)} {v.rating:g}/5" if v.rating is not None else "no rating"
        heading = f"Version {v.n} · read {v.read_at.astimezone():%Y-%m-%d %H:%M} · {rating} · {v.label}"
        blocks.append("\n".join(part for part in (heading, v.title.strip(), v.text.strip()) if part))
    return "\n\n".join(blocks)


class HistoryDialog(QDialog):
    def __init__(self, author: str, versions: Sequence[Revision], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review history")
        intro = plain_label(f"{author or 'This reviewer'} changed this review {len(versions) - 1} time"
                            f"{'s' if len(versions) != 2 else ''}. Newest last.", wrap=True)
        self.text_view = QPlainTextEdit(history_text(versions))  # plain text: scraped words are never markup
        self.text_view.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.text_view, 1)
        box.addWidget(buttons)
        self.resize(560, 420)
