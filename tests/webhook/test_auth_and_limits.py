"""Who gets in, and what the receiver refuses before looking at any transaction."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from tests.webhook.kit import (
    AUTH,
    SECRET,
    RecordingSink,
    post,
    real_payloads,
    webhook_client,
)
from walltrack.adapters.webhook.helius_receiver import WEBHOOK_PATH
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore
from walltrack.adapters.webhook.webhook_auth import SIGNATURE_HEADER, sign_body

HMAC_KEY = "relay-signing-key-0b7e"


async def test_unauthorised_posts_get_401_and_reach_neither_store_nor_sink() -> None:
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    buy = real_payloads()["18"]
    async with webhook_client(store=store, sink=sink, tracked=[buy["feePayer"]]) as client:
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": SECRET[:-1]},  # a prefix of the secret
            {"Authorization": SECRET + "0"},
            {"Authorization": SECRET.split(" ")[1]},  # the token without its scheme
        ):
            status, reply = await post(client, [buy], headers)
            assert status == 401
            assert reply == {
                "error": "unauthorised",
                "reason": "missing or wrong Authorization header",
            }
            assert SECRET not in json.dumps(reply)
        assert len(store) == 0
        assert sink.messages == []
        status, _ = await post(client, [buy])
        assert status == 200
    assert len(sink.messages) == 1


async def test_the_authorization_header_is_checked_before_the_body_is_read() -> None:
    async with webhook_client(max_body_bytes=1024) as client:
        status, reply = await post(client, b"[" + b" " * 4096 + b"]", {"Authorization": "x"})
    assert status == 401  # not 413: a stranger learns nothing about the limit
    assert reply["error"] == "unauthorised"


async def test_with_an_hmac_key_the_body_signature_is_required_too() -> None:
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    buy = real_payloads()["18"]
    body = json.dumps([buy]).encode()
    signature = sign_body(HMAC_KEY, body)
    async with webhook_client(
        store=store, sink=sink, tracked=[buy["feePayer"]], hmac_secret=HMAC_KEY
    ) as client:
        refused = [
            {},  # no signature header
            {SIGNATURE_HEADER: sign_body("another-key", body)},
            {SIGNATURE_HEADER: sign_body(HMAC_KEY, body + b" ")},  # signs a different body
            {SIGNATURE_HEADER: signature.removeprefix("sha256=")},
        ]
        for extra in refused:
            status, reply = await post(client, body, {**AUTH, **extra})
            assert status == 401
            assert reply["reason"] == f"missing or wrong {SIGNATURE_HEADER} header"
        assert len(store) == 0
        assert sink.messages == []
        # The right signature but the wrong Authorization is refused as well.
        status, _ = await post(client, body, {"Authorization": "no", SIGNATURE_HEADER: signature})
        assert status == 401
        status, reply = await post(client, body, {**AUTH, SIGNATURE_HEADER: signature.upper()})
        assert status == 200
        assert reply["accepted"] == 1
    assert [m.signature for m in sink.messages] == [buy["signature"]]


async def test_a_body_over_the_limit_gets_413_with_the_reason() -> None:
    store = InMemoryWebhookEventStore()
    async with webhook_client(store=store, max_body_bytes=2048) as client:
        big = [real_payloads()["02"]]  # about 12 KB
        status, reply = await post(client, big)
        assert status == 413
        assert reply["error"] == "body_too_large"
        assert "2048-byte limit" in reply["reason"]

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked encoding
            for _ in range(10):
                yield b" " * 1024
            yield b"[]"

        response = await client.post(WEBHOOK_PATH, data=chunks(), headers=AUTH)
        assert response.status == 413
        assert (await response.json())["error"] == "body_too_large"

        async def small() -> AsyncIterator[bytes]:
            yield json.dumps([real_payloads()["18"]]).encode()

        response = await client.post(WEBHOOK_PATH, data=small(), headers=AUTH)
        assert response.status == 200
    assert len(store) == 1


async def test_bodies_that_are_not_json_arrays_get_400_with_a_reason() -> None:
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    async with webhook_client(store=store, sink=sink) as client:
        cases = {
            b"": "invalid_json",
            b"[{]": "invalid_json",
            b"\xff\xfe[]": "invalid_json",  # not UTF-8 JSON
            b"[" * 100_000 + b"]" * 100_000: "invalid_json",  # nesting past any sane depth
            b'{"signature": "x"}': "not_array",
            b'"[]"': "not_array",
            b"null": "not_array",
            b"[]": "empty_array",
        }
        for body, code in cases.items():
            status, reply = await post(client, body)
            assert (status, reply["error"]) == (400, code), body[:20]
            assert reply["reason"]
    assert len(store) == 0
    assert sink.messages == []
