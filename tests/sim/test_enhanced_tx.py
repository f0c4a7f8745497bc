"""Every simulated transaction renders as a Helius enhanced transaction whose numbers add up
(api-formats.md §1.4 and the checklist in §7)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from solders.pubkey import Pubkey
from solders.signature import Signature

from walltrack.domain.swaps import Swap, classify_swap
from walltrack.sim.enhanced_tx import EnhancedRenderer
from walltrack.sim.events import ChainEvent, SwapEvent, TransferEvent
from walltrack.sim.world import World

REST_KEYS = [
    "description", "type", "source", "fee", "feePayer", "signature", "slot", "timestamp",
    "tokenTransfers", "nativeTransfers", "accountData", "transactionError", "instructions",
    "events",
]  # fmt: skip


@pytest.fixture(scope="module")
def rendered() -> list[tuple[ChainEvent, dict[str, Any]]]:
    world = World(8)
    world.advance_to(2400.0)
    renderer = EnhancedRenderer(world.market)
    return [(event, renderer.render(event)) for event in world.market.events]


def test_every_shape_appears(rendered: list[tuple[ChainEvent, dict[str, Any]]]) -> None:
    shapes = Counter((tx["source"], tx["type"]) for _, tx in rendered)
    for shape in [
        ("PUMP_FUN", "SWAP"),
        ("PUMP_AMM", "SWAP"),
        ("JUPITER", "SWAP"),
        ("SYSTEM_PROGRAM", "TRANSFER"),
        ("PUMP_FUN", "CREATE"),
        ("PUMP_AMM", "CREATE_POOL"),
    ]:
        assert shapes[shape] > 0, shape
    assert shapes[("PUMP_AMM", "BUY")] + shapes[("PUMP_AMM", "SELL")] > 0


def test_wire_types_and_key_order(rendered: list[tuple[ChainEvent, dict[str, Any]]]) -> None:
    for event, tx in rendered[::7]:
        assert list(tx) == REST_KEYS
        assert isinstance(tx["timestamp"], int)
        assert tx["transactionError"] is None
        assert str(Signature.from_string(tx["signature"])) == tx["signature"]
        assert 86 <= len(tx["signature"]) <= 88
        for entry in tx["accountData"]:
            Pubkey.from_string(entry["account"])
            assert isinstance(entry["nativeBalanceChange"], int)
            for change in entry["tokenBalanceChanges"]:
                assert isinstance(change["rawTokenAmount"]["tokenAmount"], str)
                int(change["rawTokenAmount"]["tokenAmount"])
        for transfer in tx["tokenTransfers"]:
            assert isinstance(transfer["tokenAmount"], float)
        assert event.signature == tx["signature"]


def test_balance_changes_add_up(rendered: list[tuple[ChainEvent, dict[str, Any]]]) -> None:
    """The only lamports that leave the accounts of a swap or transfer are the network fee."""
    for event, tx in rendered:
        if event.kind not in ("swap", "transfer"):
            continue
        total = sum(entry["nativeBalanceChange"] for entry in tx["accountData"])
        assert total == -tx["fee"]


def test_swaps_classify_from_balance_changes(
    rendered: list[tuple[ChainEvent, dict[str, Any]]],
) -> None:
    """The classification recipe of api-formats.md §1.4 recovers each swap exactly."""
    for event, tx in rendered:
        if not isinstance(event, SwapEvent):
            continue
        wallet = event.wallet
        own = next(a for a in tx["accountData"] if a["account"] == wallet)
        sol_delta = own["nativeBalanceChange"] + tx["fee"]
        rent = sum(
            a["nativeBalanceChange"]
            for a in tx["accountData"]
            if any(c["userAccount"] == wallet for c in a["tokenBalanceChanges"])
            and a["nativeBalanceChange"] > 0
        )
        token_delta = sum(
            int(c["rawTokenAmount"]["tokenAmount"])
            for a in tx["accountData"]
            for c in a["tokenBalanceChanges"]
            if c["userAccount"] == wallet and c["mint"] == event.mint
        )
        fees = event.protocol_fee + event.creator_fee
        if event.is_buy:
            assert token_delta == event.tokens
            assert sol_delta + rent == -(event.sol + fees)
        else:
            assert token_delta == -event.tokens
            assert sol_delta == event.sol - fees


def test_pump_fun_has_no_swap_event_and_jupiter_has_one(
    rendered: list[tuple[ChainEvent, dict[str, Any]]],
) -> None:
    for event, tx in rendered:
        if not isinstance(event, SwapEvent):
            continue
        if tx["source"] in ("PUMP_FUN", "PUMP_AMM"):
            assert tx["events"] == {}
            continue
        swap = tx["events"]["swap"]
        if event.is_buy:
            fees = event.protocol_fee + event.creator_fee
            assert swap["nativeInput"] == {"account": event.wallet, "amount": str(event.sol + fees)}
            assert swap["tokenOutputs"][0]["rawTokenAmount"]["tokenAmount"] == str(event.tokens)
        else:
            assert swap["nativeOutput"]["account"] == event.wallet
            assert swap["tokenInputs"][0]["mint"] == event.mint
        assert swap["innerSwaps"][0]["programInfo"]["source"] in ("PUMP_FUN", "PUMP_AMM")


def test_the_domain_classifier_reads_every_simulated_swap(
    rendered: list[tuple[ChainEvent, dict[str, Any]]],
) -> None:
    """The sim's payloads and WallTrack's classifier agree to the lamport and raw unit."""
    swaps = 0
    for event, tx in rendered:
        if isinstance(event, TransferEvent):
            assert not isinstance(classify_swap(tx, event.destination), Swap)
        if not isinstance(event, SwapEvent):
            continue
        found = classify_swap(tx, event.wallet)
        assert isinstance(found, Swap), (event.venue, found)
        fees = event.protocol_fee + event.creator_fee
        assert found.token_mint == event.mint
        assert found.token_amount == event.tokens
        assert found.sol_lamports == (event.sol + fees if event.is_buy else event.sol - fees)
        assert found.side.value == ("buy" if event.is_buy else "sell")
        assert found.network_fee_lamports == event.fee
        assert found.venue == event.venue
        swaps += 1
    assert swaps > 1_000
