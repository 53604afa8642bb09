"""JSON text from a page (JSON-LD blocks, Next.js data) read into Python values, as `json.loads` reads it, faster.

A page's JSON is most of what reading it costs after lxml's tree: `json.loads` made a third of a small JSON-LD
page's parse. msgspec's decoder builds the same values (exact integers of any size, correctly rounded floats, the
last of duplicate keys, keys in order) in a third of the time. What it refuses and `json` accepts (NaN and
Infinity, a number past a float's range, an escaped lone surrogate, nesting past its depth) is read by `json`, so
what a page gives, and the error a broken block gets, are `json.loads`'s.
"""
from __future__ import annotations

import json
from typing import Any

import msgspec

__all__ = ["NotJson", "loads"]

_DECODER = msgspec.json.Decoder()
# msgspec's faults that json.loads finds too: it read what came before alike (json reads all that msgspec reads),
# and json takes neither a comma before a closing bracket nor anything after the value.
_JSON_REFUSES_TOO = ("JSON is malformed: trailing comma", "JSON is malformed: trailing characters")


class NotJson(ValueError):
    """Text json.loads refuses, known without running it: its message (str) is json's, worked out when asked."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def __str__(self) -> str:
        try:
            json.loads(self.text)
        except (ValueError, RecursionError) as exc:
            return str(exc)
        return "not JSON"  # not reached: json refuses what _JSON_REFUSES_TOO names


def loads(text: str, *, why_later: bool = False) -> Any:
    """`json.loads(text)`; raises what it raises (ValueError, RecursionError) for text that is not JSON.

    `why_later`: for text with a fault both decoders refuse (a trailing comma, something after the value), raise
    NotJson instead, without json.loads reading it again only to word its error: a page's one broken JSON-LD
    block is skipped, and its error read only when every block is broken (two-fifths of a small page's JSON)."""
    try:
        return _DECODER.decode(text)
    except msgspec.DecodeError as exc:
        if why_later and str(exc).startswith(_JSON_REFUSES_TOO):
            raise NotJson(text) from None
        return json.loads(text)
    except (msgspec.MsgspecError, ValueError, RecursionError):  # ValueError: a lone surrogate in the str itself
        return json.loads(text)
