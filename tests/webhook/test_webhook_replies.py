"""The receiver's reply bodies: the directly formatted summary is exactly json.dumps's."""

from __future__ import annotations

import json
from typing import Any

import pytest

from walltrack.adapters.webhook.webhook_replies import json_reply, late_body, reply_body

_CLEAN = {"accepted": 3, "duplicates": 1, "swaps": 2, "unavailable": [], "rejected": []}


@pytest.mark.parametrize(
    "body",
    [
        _CLEAN,
        {**_CLEAN, "accepted": 0, "duplicates": 0, "swaps": 0},
        {**_CLEAN, "unavailable": [0, 2]},
        {**_CLEAN, "rejected": [{"index": 1, "reason": 'slot is "x"\n'}]},
        {**_CLEAN, "unavailable": [1], "error": "event store unavailable"},
        {**_CLEAN, "swaps": True},  # not an int: never formatted as one
        dict(reversed(_CLEAN.items())),  # the same keys in another order: dumps's order
        {"error": "invalid_json", "reason": "body is not valid JSON"},
        late_body(4, [{"index": 0, "reason": "signature is missing"}]),
    ],
    ids=lambda body: ",".join(f"{k}={v}" for k, v in body.items())[:60],
)
def test_every_reply_body_is_byte_for_byte_what_json_dumps_gives(body: dict[str, Any]) -> None:
    assert reply_body(body) == json.dumps(body).encode()


def test_a_json_reply_carries_its_status_and_content_type() -> None:
    response = json_reply(503, late_body(2, []))
    assert response.status == 503
    assert response.content_type == "application/json"
    assert isinstance(response.body, bytes)
    assert json.loads(response.body)["pending"] == 2
