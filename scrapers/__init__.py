"""Source adapters: fetch politely and parse pages into Mentions. No Qt, no database."""
from __future__ import annotations

import functools
import importlib
import pkgutil

from scrapers.base import Mention, Source, get, registry

__all__ = ["Mention", "Source", "get", "registry", "load_all", "title_of"]

_NOT_SOURCES = {"base", "http", "text", "guard", "walls", "selectors", "scripts"}


@functools.cache
def _import_sources() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _NOT_SOURCES and not info.name.startswith("_"):
            importlib.import_module(f"scrapers.{info.name}")


def load_all() -> dict[str, type[Source]]:
    """Every registered kind; the source modules are imported (so each kind registers itself) once."""
    _import_sources()
    return registry()


def title_of(kind: str) -> str:
    """A kind as users see it ("Trustpilot company page"); an unknown kind (a built-in source) by its code name."""
    cls = load_all().get(kind)
    return cls.title() if cls is not None else kind
