"""A transaction is handed on once, however often and however Helius delivers it."""

from __future__ import annotations

import asyncio

import psycopg

from tests.integration.pg_fixtures import PG_SCHEMA
from tests.webhook.kit import RecordingSink, post, real_payloads, webhook_client
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.adapters.postgres.webhook_event_store import PostgresWebhookEventStore
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore


async def test_the_same_signature_twice_in_one_body_is_handed_on_once() -> None:
    buy = real_payloads()["18"]
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    async with webhook_client(store=store, sink=sink, tracked=[buy["feePayer"]]) as client:
        status, reply = await post(client, [buy, dict(buy)])
    assert (status, reply["accepted"], reply["duplicates"], reply["swaps"]) == (200, 1, 1, 1)
    assert len(sink.messages) == 1


async def test_a_redelivery_is_answered_from_memory_then_by_the_store_after_a_restart() -> None:
    buy = real_payloads()["18"]
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    async with webhook_client(store=store, sink=sink, tracked=[buy["feePayer"]]) as client:
        assert (await post(client, [buy]))[1]["accepted"] == 1
        status, reply = await post(client, [buy])  # Helius retried
        assert (status, reply["accepted"], reply["duplicates"]) == (200, 0, 1)
        page = await (await client.get("/metrics")).text()
        assert 'walltrack_webhook_events_duplicate_total{layer="memory"} 1' in page
    # A new app (a restart) has an empty memory: the store knows the signature.
    async with webhook_client(store=store, sink=sink, tracked=[buy["feePayer"]]) as client:
        status, reply = await post(client, [buy])
        assert (status, reply["accepted"], reply["duplicates"]) == (200, 0, 1)
        page = await (await client.get("/metrics")).text()
        assert 'walltrack_webhook_events_duplicate_total{layer="store"} 1' in page
    assert len(sink.messages) == 1


async def test_concurrent_deliveries_of_one_signature_hand_it_on_once() -> None:
    sell = real_payloads()["12"]
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    async with webhook_client(store=store, sink=sink, tracked=[sell["feePayer"]]) as client:
        replies = await asyncio.gather(*(post(client, [sell]) for _ in range(8)))
    assert [status for status, _ in replies] == [200] * 8
    assert sum(reply["accepted"] for _, reply in replies) == 1
    assert sum(reply["duplicates"] for _, reply in replies) == 7
    assert len(sink.messages) == 1


async def test_dedupe_survives_a_restart_with_the_postgresql_store(pg_dsn: str) -> None:
    payloads = real_payloads()
    buy, sell = payloads["11"], payloads["12"]
    tracked = [buy["feePayer"]]
    first_sink, second_sink = RecordingSink(), RecordingSink()

    stores = PostgresStores.open(pg_dsn, schema=PG_SCHEMA, migrate=False, max_size=2)
    try:
        store = PostgresWebhookEventStore(stores.webhook_events)
        async with webhook_client(store=store, sink=first_sink, tracked=tracked) as client:
            status, reply = await post(client, [buy])
            assert (status, reply["accepted"]) == (200, 1)
    finally:
        stores.close()

    # A new process: new pool, new app, empty memory of signatures.
    stores = PostgresStores.open(pg_dsn, schema=PG_SCHEMA, migrate=False, max_size=2)
    try:
        store = PostgresWebhookEventStore(stores.webhook_events)
        async with webhook_client(store=store, sink=second_sink, tracked=tracked) as client:
            status, reply = await post(client, [buy, sell])
            assert (status, reply["accepted"], reply["duplicates"]) == (200, 1, 1)
            page = await (await client.get("/metrics")).text()
        # Loaded from the store at start: the redelivery is a duplicate from memory, so
        # it is not handed on before the store could say so.
        assert 'walltrack_webhook_events_duplicate_total{layer="memory"} 1' in page
        stored = stores.webhook_events.get(buy["signature"])
    finally:
        stores.close()

    assert [m.signature for m in first_sink.messages] == [buy["signature"]]
    assert [m.signature for m in second_sink.messages] == [sell["signature"]]
    assert stored is not None
    assert stored.payload == buy  # the raw element, JSONB
    assert stored.processed_at is None  # the pipeline marks it once handled
    with psycopg.connect(pg_dsn) as conn:
        count = conn.execute(f"SELECT count(*) FROM {PG_SCHEMA}.webhook_events").fetchone()
    assert count == (2,)
