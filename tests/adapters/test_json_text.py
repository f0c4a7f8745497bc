"""JSONB text encoded in slices: the same text as one json.dumps call, in bounded pieces."""

from __future__ import annotations

import json
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

import pytest

from walltrack.adapters.postgres import json_text
from walltrack.adapters.postgres.json_text import SLICE_ITEMS, dumps, dumps_sliced


class Side(StrEnum):
    BUY = "buy"


class Level(Enum):
    HIGH = 3


def _reference(value: object) -> str:
    """One json.dumps call with the module's own conversions: what slicing must give."""
    return json.dumps(value, default=json_text._json_default, separators=(",", ":"))


SNAPSHOT_LIKE: dict[str, Any] = {
    "clusters": [{"cluster_id": "c1", "members": ["a", "b"], "multiplier": 1.25}],
    "first_buys": {
        f"mint{m}": {f"w{w}": f"2026-11-22T12:00:{w % 60:02d}+00:00" for w in range(40)}
        for m in range(SLICE_ITEMS + 7)
    },
    "pending_synced": [[f"w{i}", f"w{i + 1}", "M", 1.5, 0.9] for i in range(3 * SLICE_ITEMS + 1)],
    "empty": {},
    "none": None,
    "nested": {"deep": {"deeper": {"list": list(range(SLICE_ITEMS * 2))}}},
}


@pytest.mark.parametrize(
    "value",
    [
        SNAPSHOT_LIKE,
        {"price": Decimal("0.000000123"), "side": Side.BUY, "level": Level.HIGH},
        {"tuple": (1, 2), "set": frozenset({"x"}), "text": 'quote " and \u00e9'},
        [Decimal(i) for i in range(SLICE_ITEMS * 2 + 3)],
        {1: "int key", "a": 2},  # non-text keys: the encoder's own conversion
        [],
        "plain",
        12,
    ],
)
def test_the_text_is_what_one_json_dumps_call_gives(value: object) -> None:
    assert dumps_sliced(value) == dumps(value) == _reference(value)
    assert json.loads(dumps_sliced(value)) == json.loads(_reference(value))


def test_big_containers_are_encoded_in_bounded_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    encoder = json_text._ENCODER
    original = encoder.encode

    def measured(value: object) -> str:
        text = original(value)
        sizes.append(len(text))
        return text

    monkeypatch.setattr(encoder, "encode", measured)
    whole = _reference(SNAPSHOT_LIKE)

    assert dumps_sliced(SNAPSHOT_LIKE) == whole
    assert max(sizes) < len(whole) / 10  # no call encoded more than a tenth of the text
