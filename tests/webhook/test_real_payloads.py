"""The 18 recorded Helius payloads, delivered as Helius would, with their fee payers tracked.

Expected swaps are those worked out by hand in tests/domain/test_swaps_real.py: eleven of
the eighteen transactions are a SOL <-> token swap of their fee payer; the seven others
(token-to-token, transfers, an airdrop claim, a no-op) must produce nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from tests.webhook.kit import NOW, RecordingSink, post, real_payloads, webhook_client
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore
from walltrack.domain.messages.ingress import SwapObserved

USDC = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
GLZ = "GLZPY8BKvz4SskptWRpNZ29UJPmS9BYx1enRHUa9oSDx"

# file -> (side, mint, raw token amount, SOL lamports)
EXPECTED = {
    "01": ("buy", "GFUgXbMeDnLkhZaJS3nYFqunqkFNMRo9ukhyajeXpump", 3_689_514, 1_010_000),
    "02": ("buy", "3rsJxhSo1qpZZGsC5KTcTrwTBjxTRB34EmQ4B4DFg9t7", 9_354_889_794, 100_000_000),
    "03": ("buy", "7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs", 287_442, 52_708_178),
    "05": ("buy", USDC, 238_630_695, 1_452_531_235),
    "06": ("sell", USDC, 13_279_846, 100_000_000),
    "07": ("sell", USDC, 150_000_000, 1_000_197_360),
    "11": ("buy", "9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy", 19_418_974_012_530,
           20_260_000_004),
    "12": ("sell", "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump", 3_666_988_222_932,
           11_150_507_860),
    "16": ("buy", GLZ, 322_281_812_767_019, 200_000_000),
    "17": ("sell", GLZ, 322_281_812_000_000, 191_296_014),
    "18": ("buy", "DgWA3F1w6fzhf4jtphvBAcSqbK9iXHqmMRH6Sr1Gpump", 71_334_900_280_873,
           4_000_000_000),
}  # fmt: skip


def _as_rows(messages: list[SwapObserved]) -> dict[str, tuple[str, str, str, int, int]]:
    return {
        m.signature: (m.wallet, m.swap.side.value, m.swap.token_mint, m.swap.token_amount,
                      m.swap.sol_lamports)
        for m in messages
    }  # fmt: skip


def _expected() -> dict[str, tuple[str, str, str, int, int]]:
    payloads = real_payloads()
    return {
        payloads[prefix]["signature"]: (payloads[prefix]["feePayer"], *row)
        for prefix, row in EXPECTED.items()
    }


async def test_one_transaction_per_post_yields_exactly_the_expected_swaps() -> None:
    payloads = real_payloads()
    fee_payers = {tx["feePayer"] for tx in payloads.values()}
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    async with webhook_client(store=store, sink=sink, tracked=fee_payers) as client:
        for prefix, tx in payloads.items():
            status, reply = await post(client, [tx])
            assert status == 200, prefix
            assert reply["accepted"] == 1, prefix
            assert reply["swaps"] == (1 if prefix in EXPECTED else 0), prefix
    assert len(store) == 18  # every event recorded, swap or not
    assert len(sink.messages) == len(EXPECTED)
    assert _as_rows(sink.messages) == _expected()
    for message in sink.messages:
        assert message.ts_init == NOW == message.received_at
        assert message.ts_event == message.swap.timestamp
        assert message.ts_event.tzinfo is UTC
    assert len({m.correlation_id for m in sink.messages}) == len(EXPECTED)
    for message in sink.messages:  # a swap starts its flow: its own id names the flow
        assert message.correlation_id == message.msg_id
        assert message.msg_id.version == 4
        assert message.msg_id.variant == uuid.RFC_4122
    by_signature = {m.signature: m for m in sink.messages}
    pump = by_signature[payloads["18"]["signature"]]
    assert pump.ts_event == datetime(2026, 8, 17, 20, 11, 20, tzinfo=UTC)
    assert pump.swap.venue == "PUMP_FUN"


async def test_all_eighteen_in_one_body_yield_the_same_swaps() -> None:
    payloads = real_payloads()
    fee_payers = {tx["feePayer"] for tx in payloads.values()}
    sink = RecordingSink()
    async with webhook_client(sink=sink, tracked=fee_payers) as client:
        status, reply = await post(client, list(payloads.values()))
    assert (status, reply["accepted"], reply["swaps"], reply["rejected"]) == (200, 18, 11, [])
    assert _as_rows(sink.messages) == _expected()


async def test_untracked_wallets_produce_no_swap_but_the_event_is_recorded() -> None:
    payloads = real_payloads()
    store, sink = InMemoryWebhookEventStore(), RecordingSink()
    async with webhook_client(store=store, sink=sink, tracked=["NotTracked111"]) as client:
        status, reply = await post(client, list(payloads.values()))
    assert (status, reply["accepted"], reply["swaps"]) == (200, 18, 0)
    assert len(store) == 18
    assert sink.messages == []
