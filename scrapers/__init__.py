"""Source adapters: fetch politely and parse pages into Mentions. No Qt, no database."""
from __future__ import annotations

import importlib
import pkgutil

from scrapers.base import Mention, Source, get, registry

__all__ = ["Mention", "Source", "get", "registry", "load_all"]

_NOT_SOURCES = {"base", "http", "text", "guard"}


def load_all() -> dict[str, type[Source]]:
    """Import every source module so each kind registers itself."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _NOT_SOURCES and not info.name.startswith("_"):
            importlib.import_module(f"scrapers.{info.name}")
    return registry()
