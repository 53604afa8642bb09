"""scrapers.base.Mention: its written-out __init__ is the dataclass's, with the checks every mention passes."""
from __future__ import annotations

import dataclasses
import inspect
import pickle
from datetime import datetime, timezone

import pytest

from scrapers.base import Mention

WHEN = datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc)


def test_init_takes_the_fields_in_order_with_their_defaults():
    parameters = list(inspect.signature(Mention.__init__).parameters.values())[1:]
    fields = dataclasses.fields(Mention)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, field in zip(parameters, fields):
        assert parameter.default == (inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default)


def test_a_mention_is_frozen_comparable_hashable_replaceable_and_picklable():
    mention = Mention("Great work", author="Ana", url="https://example.org/r/1", posted_at=WHEN, rating=4.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        mention.text = "changed"  # type: ignore[misc]
    assert mention == Mention(text="Great work", author="Ana", url="https://example.org/r/1", posted_at=WHEN,
                              rating=4.5)
    assert len({mention, dataclasses.replace(mention)}) == 1
    assert dataclasses.replace(mention, rating=1.0).rating == 1.0
    assert pickle.loads(pickle.dumps(mention)) == mention
    assert dataclasses.asdict(mention)["reply_at"] is None


@pytest.mark.parametrize("values", [
    {"posted_at": datetime(2025, 3, 1)}, {"reply_at": datetime(2025, 3, 1)}, {"rating": 0.5}, {"rating": 5.5},
])
def test_a_mention_that_breaks_the_rules_is_refused(values):
    with pytest.raises(ValueError):
        Mention("text", **values)
    with pytest.raises(ValueError):
        dataclasses.replace(Mention("text"), **values)


def test_a_token_in_the_review_link_is_redacted():
    assert Mention("text", url="https://example.org/r?id=1&token=abc").url == "https://example.org/r?id=1&token=REDACTED"
