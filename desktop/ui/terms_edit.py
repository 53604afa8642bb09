"""A line of search terms, comma-separated: what forum sources look for (or leave out)."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QLineEdit, QWidget

from scrapers.terms import clean_terms

__all__ = ["TermsEdit"]


class TermsEdit(QLineEdit):
    """Terms typed as `Sam Rivera, rivera.dev`: each is matched as a whole word or exact phrase, any case."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setToolTip("Separate terms with commas. Each must appear as a whole word or exact phrase "
                        "(any case): “Sam Rivera” does not match “Sam Riveras”.")

    def terms(self) -> list[str]:
        return list(clean_terms(self.text().split(",")))

    def set_terms(self, terms: Iterable[object]) -> None:
        self.setText(", ".join(clean_terms(terms)))
