"""Element-by-element validation: the bad ones are named, the good ones go through."""

from __future__ import annotations

from typing import Any

import pytest

from tests.webhook.kit import RecordingSink, fake_signature, post, real_payloads, webhook_client
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore
from walltrack.adapters.webhook.payload_validation import element_problem


async def test_a_mixed_array_passes_the_valid_elements_and_reports_the_malformed_one() -> None:
    payloads = real_payloads()
    buy, sell = payloads["11"], payloads["12"]  # PumpSwap buy and sell of DNfu...
    broken = {**payloads["18"], "timestamp": "yesterday"}
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    async with webhook_client(store=store, sink=sink, tracked=[buy["feePayer"]]) as client:
        status, reply = await post(client, [buy, broken, 42, sell])
    assert status == 200
    assert reply["accepted"] == 2
    assert reply["duplicates"] == 0
    assert reply["swaps"] == 2
    assert reply["rejected"] == [
        {"index": 1, "reason": "timestamp is missing or not unix seconds"},
        {"index": 2, "reason": "not a JSON object but a number"},
    ]
    assert store.signatures() == {buy["signature"], sell["signature"]}
    assert store.payload(buy["signature"]) == buy  # the raw element, as received
    assert [(m.signature, m.swap.side.value) for m in sink.messages] == [
        (buy["signature"], "buy"),
        (sell["signature"], "sell"),
    ]


async def test_an_array_without_any_valid_element_gets_400_with_every_reason() -> None:
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    tx = real_payloads()["18"]
    async with webhook_client(store=store, sink=sink, tracked=[tx["feePayer"]]) as client:
        body = [{**tx, "signature": "0OIl"}, {**tx, "fee": -1}, "tx", None]
        status, reply = await post(client, body)
    assert status == 400
    assert reply["error"] == "no valid element"
    assert [r["index"] for r in reply["rejected"]] == [0, 1, 2, 3]
    assert reply["rejected"][0]["reason"].startswith("signature")
    assert reply["rejected"][1]["reason"].startswith("fee")
    assert reply["rejected"][2]["reason"] == "not a JSON object but a string"
    assert reply["rejected"][3]["reason"] == "not a JSON object but null"
    assert len(store) == 0
    assert sink.messages == []


def _tx() -> dict[str, Any]:
    return dict(real_payloads()["18"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"signature": None}, "signature"),
        ({"signature": "abc"}, "signature"),
        ({"signature": fake_signature(1)[:-1] + "0"}, "signature"),  # 0 is not base58
        ({"feePayer": ""}, "feePayer"),
        ({"slot": -5}, "slot"),
        ({"slot": True}, "slot"),
        ({"slot": 3.0}, "slot"),
        ({"timestamp": 1_755_000_000_000}, "timestamp"),  # milliseconds
        ({"fee": "5000"}, "fee"),
        ({"type": 7}, "type"),
        ({"accountData": {"account": "x"}}, "accountData"),
        ({"accountData": [1, 2]}, "accountData"),
        ({"tokenTransfers": "none"}, "tokenTransfers"),
        ({"events": "swap"}, "events"),
    ],
)
def test_each_envelope_field_is_checked(change: dict[str, Any], field: str) -> None:
    problem = element_problem({**_tx(), **change})
    assert problem is not None
    assert problem.field == field


def test_optional_shapes_seen_in_real_payloads_are_valid() -> None:
    for prefix, tx in real_payloads().items():
        assert element_problem(tx) is None, prefix
    trimmed = {k: v for k, v in _tx().items() if k not in ("tokenTransfers", "accountData")}
    assert element_problem({**trimmed, "nativeTransfers": None, "events": []}) is None
    missing = {k: v for k, v in _tx().items() if k != "slot"}
    assert element_problem(missing) is not None
