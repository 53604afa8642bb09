"""What the user wrote for each step: the record a draft version stores as JSON and re-renders from."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.composer.steps import KINDS, STEPS


@dataclass(frozen=True)
class Answers:
    """Texts and picked options per step key; `kind` is "reply" (public) or "email" (private)."""

    texts: dict[str, str] = field(default_factory=dict)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kind: str = "reply"
    site: str = ""
    signature: str = ""

    def text(self, key: str) -> str:
        return (self.texts.get(key) or "").strip()

    def with_text(self, key: str, text: str) -> Answers:
        return replace(self, texts={**self.texts, key: text})

    @property
    def public(self) -> bool:
        return self.kind != "email"

    def joined(self) -> str:
        """Every step's text in order, one paragraph each: what the whole-draft checks read."""
        return "\n\n".join(t for t in (self.text(s.key) for s in STEPS) if t)

    def to_json(self) -> str:
        return json.dumps({"texts": self.texts, "choices": {k: list(v) for k, v in self.choices.items()},
                           "kind": self.kind, "site": self.site, "signature": self.signature},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Answers:
        try:
            data: Any = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        texts = {str(k): str(v) for k, v in (data.get("texts") or {}).items() if v is not None}
        choices = {str(k): tuple(str(x) for x in v) for k, v in (data.get("choices") or {}).items()
                   if isinstance(v, list)}
        kind = data.get("kind") if data.get("kind") in KINDS else "reply"
        return cls(texts, choices, kind, str(data.get("site") or ""), str(data.get("signature") or ""))
