"""The ingest benchmark's load generator sends what the receiver accepts (untimed)."""

from __future__ import annotations

from tests.webhook.kit import SECRET, RecordingSink, real_payloads, webhook_client
from walltrack.adapters.webhook.helius_receiver import WEBHOOK_PATH
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore
from walltrack.adapters.webhook.payload_validation import element_problem
from walltrack.bench._ingest_load import Bodies, generate, unique_signature


def test_generated_signatures_are_valid_and_unique() -> None:
    tags, per_tag = (0, 1, 2, 126), 4_000  # 0 and 126: numbers led by base58's last digit
    signatures = {unique_signature(tag, n) for tag in tags for n in range(per_tag)}
    assert len(signatures) == len(tags) * per_tag
    tx = real_payloads()["18"]
    for signature in list(signatures)[:50]:
        assert element_problem({**tx, "signature": signature.decode()}) is None


async def test_every_generated_transaction_is_accepted_and_handed_on_once() -> None:
    payloads = real_payloads()
    swaps = [payloads[p] for p in ("01", "11", "12", "18")]
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    tracked = [tx["feePayer"] for tx in swaps]
    async with webhook_client(store=store, sink=sink, tracked=tracked) as client:
        url = str(client.make_url(WEBHOOK_PATH))
        report = await generate(
            url,
            SECRET,
            Bodies(swaps, batch=3, round_tag=9),
            duration_s=60.0,
            connections=2,
            warmup=2,
            max_requests=6,
        )
    assert report["requests"] == 6
    assert report["errors"] == 0
    assert report["transactions_sent"] == (2 + 6) * 3
    assert len(store) == 24  # every transaction under a signature of its own
    assert len(sink.messages) == 24
