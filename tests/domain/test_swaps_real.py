"""Swap classification of the 18 recorded Helius payloads (../shared/fixtures/helius-real).

Every expected number is worked out by hand from the payload in the comment beside it:
SOL = the wallet's nativeBalanceChange + its token accounts' nativeBalanceChange + the fee
it paid. See SOURCES.md for what each payload is and which trap it carries.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from walltrack.domain.swaps import NotASwap, NotASwapReason, Side, Swap, classify_swap

from .real_payloads import load_real, real_files

USDC = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
FCHT = "FCHTRYx6npkQCogtpZtEFLJeevAFGbDHhJyvqvT6F4kX"
DNFU = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm"
DBC_TRADER = "5awoNsCULYySQaxHsGYxd9Xm7cr3GjyTZj8FmU4zsVEf"

# (file, wallet, side, mint, raw amount, decimals, SOL lamports, venue, block time)
SWAPS = [
    # Raydium v4 buy. -1,315,000 + fee 305,000 = -1,010,000: 1,000,000 wSOL into the pool
    # through a temporary wSOL account (net 0) + a 10,000 tip to BB5d...; ATA already there.
    ("01", "HyygEkpVJJpuUyUYdAWQTZMwX4Ee1BS9ND7Yd2YdkWQg", Side.BUY,
     "GFUgXbMeDnLkhZaJS3nYFqunqkFNMRo9ukhyajeXpump", 3_689_514, 6, 1_010_000, "RAYDIUM",
     datetime(2024, 12, 27, 9, 4, 40, tzinfo=UTC)),
    # Jupiter via Raydium. -101,034,732 + fee 1,034,732 = -100,000,000 (0.1 SOL).
    ("02", "HR7KFr9vhbEeFqSoiRFc8S4g8x7N6G2ryBicpFb35Cbm", Side.BUY,
     "3rsJxhSo1qpZZGsC5KTcTrwTBjxTRB34EmQ4B4DFg9t7", 9_354_889_794, 8, 100_000_000, "JUPITER",
     datetime(2024, 3, 20, 7, 21, 34, tzinfo=UTC)),
    # Typed UNKNOWN, events {}: -10,195 + fee 10,195 = 0 native; the standing wSOL account
    # BJqr... paid: its nativeBalanceChange -52,708,178 is the SOL leg.
    ("03", "7rhxnLV8C77o6d8oz26AgK8x8m5ePsdeRawjqvojbjnQ", Side.BUY,
     "7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs", 287_442, 8, 52_708_178, "UNKNOWN",
     datetime(2025, 9, 18, 17, 45, 31, tzinfo=UTC)),
    # SOL -> USDC is a buy of the USDC mint. -1,452,577,233 + fee 45,998 = -1,452,531,235.
    ("05", FCHT, Side.BUY, USDC, 238_630_695, 6, 1_452_531_235, "JUPITER",
     datetime(2024, 6, 4, 0, 24, 17, tzinfo=UTC)),
    # USDC -> USDT -> SOL. +99,940,015 + fee 59,985 = +100,000,000.
    ("06", FCHT, Side.SELL, USDC, 13_279_846, 6, 100_000_000, "JUPITER",
     datetime(2024, 9, 2, 18, 52, 29, tzinfo=UTC)),
    # 150 USDC -> SOL. +1,000,092,360 + fee 105,000 = +1,000,197,360.
    ("07", FCHT, Side.SELL, USDC, 150_000_000, 6, 1_000_197_360, "JUPITER",
     datetime(2024, 8, 7, 3, 26, 57, tzinfo=UTC)),
    # PumpSwap buy, accountData has 2 entries. -20,262,269,285 + new ATA 2,039,280 + fee
    # 230,001 = -20,260,000,004: 20,040,000,002 wSOL to the pool, 200,000,000 to a bot fee
    # wallet and 20,000,002 of PumpSwap fees whose transfers the payload does not list.
    ("11", DNFU, Side.BUY, "9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy", 19_418_974_012_530,
     6, 20_260_000_004, "PUMP_AMM", datetime(2025, 8, 26, 1, 40, 10, tzinfo=UTC)),
    # PumpSwap sell, 3 entries. +11,143,002,859 + fee 7,505,001 = +11,150,507,860
    # = 11,263,971,513 wSOL received - 113,463,653 bot fee.
    ("12", DNFU, Side.SELL, "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump", 3_666_988_222_932,
     6, 11_150_507_860, "PUMP_AMM", datetime(2025, 8, 26, 1, 53, 43, tzinfo=UTC)),
    # Meteora DBC buy typed TRANSFER, events []. -202,119,280 + new ATA 2,039,280 + fee 80,000
    # = -200,000,000 (0.2 SOL through a temporary wSOL account).
    ("16", DBC_TRADER, Side.BUY, "GLZPY8BKvz4SskptWRpNZ29UJPmS9BYx1enRHUa9oSDx",
     322_281_812_767_019, 6, 200_000_000, "SYSTEM_PROGRAM",
     datetime(2025, 10, 17, 9, 59, 26, tzinfo=UTC)),
    # Meteora DBC sell typed UNKNOWN. +191,216,014 + fee 80,000 = +191,296,014.
    ("17", DBC_TRADER, Side.SELL, "GLZPY8BKvz4SskptWRpNZ29UJPmS9BYx1enRHUa9oSDx",
     322_281_812_000_000, 6, 191_296_014, "UNKNOWN",
     datetime(2025, 10, 17, 10, 3, 17, tzinfo=UTC)),
    # pump.fun buy, trimmed (no nativeTransfers). -4,032,044,280 + new ATA 2,039,280 + fee
    # 30,005,000 = -4,000,000,000: 3,950,617,283 into the curve + 49,382,717 pump fees.
    ("18", "4bHUoZY36hmtW1FbJ1XJ5umWmFWXxx9voAe94M8PWNpL", Side.BUY,
     "DgWA3F1w6fzhf4jtphvBAcSqbK9iXHqmMRH6Sr1Gpump", 71_334_900_280_873, 6, 4_000_000_000,
     "PUMP_FUN", datetime(2026, 8, 17, 20, 11, 20, tzinfo=UTC)),
]  # fmt: skip

NOT_SWAPS = [
    # AURY -> USDC: no SOL leg.
    ("04", "AV6VwqhnPSPJQU9i4xfHNscNkkm5GYSP4TajCKS4LAhh", NotASwapReason.TOKEN_TO_TOKEN),
    # 0.015 SOL sent: no token moved.
    ("08", FCHT, NotASwapReason.NO_TOKEN_CHANGE),
    ("08", "CNcD57kV79EfHqqRRLbFWBEWpht8LLR5M58WmFwP96qx", NotASwapReason.NO_TOKEN_CHANGE),
    # USDC sent, and SOL sent for the recipient's new ATA: both left the wallet.
    ("09", FCHT, NotASwapReason.SAME_DIRECTION),
    # Airdrop claim: 1500 SEND in, 1,948,800 rent for a claim receipt out, nobody paid.
    ("10", FCHT, NotASwapReason.NO_COUNTERPARTY),
    # PUMP_AMM source typed UNKNOWN, only the fee moved.
    ("13", "4r33xEKAD2cNMrC9NyJy8nb4XmruUKebZ6LZZm65PVUZ", NotASwapReason.NO_TOKEN_CHANGE),
    # Durable-nonce SOL transfer: the fee payer E9vf... is not the sender G2Yx...
    ("14", "G2YxRa6wt1qePMwfJzdXZG62ej4qaTC7YURzuh2Lwd3t", NotASwapReason.NO_TOKEN_CHANGE),
    ("14", "E9vf42zJXFv8Ljop1cG68NAxLDat4ZEGEWDLfJVX38GF", NotASwapReason.NO_TOKEN_CHANGE),
    ("14", "4xacSMezt1NVLFzwcuMpyvELZsbWd6RXY5WRExxKj8Af", NotASwapReason.NO_TOKEN_CHANGE),
    # Devnet SPL transfer (with an extra lighthouseData key): token only, both ends.
    ("15", "EqEsgzFfhxfUmEatpZduT6D9A3oJMv9DdZUWbZcubg9V", NotASwapReason.NO_SOL_CHANGE),
    ("15", "4imzXJrDPSPjdHoo48izKv7K92PxcwCUiZHLZhgAGGBG", NotASwapReason.NO_SOL_CHANGE),
    # A wallet that appears nowhere in the transaction.
    ("05", DNFU, NotASwapReason.WALLET_NOT_INVOLVED),
]


def test_all_eighteen_payloads_are_present() -> None:
    assert len(real_files()) == 18
    covered = {prefix for prefix, *_ in SWAPS} | {prefix for prefix, *_ in NOT_SWAPS}
    assert covered == {f"{n:02d}" for n in range(1, 19)}


@pytest.mark.parametrize(
    ("prefix", "wallet", "side", "mint", "amount", "decimals", "sol", "venue", "when"), SWAPS
)
def test_recorded_swap(
    prefix: str,
    wallet: str,
    side: Side,
    mint: str,
    amount: int,
    decimals: int,
    sol: int,
    venue: str,
    when: datetime,
) -> None:
    payload = load_real(prefix)
    result = classify_swap(payload, wallet)
    assert result == Swap(
        wallet=wallet,
        side=side,
        token_mint=mint,
        token_amount=amount,
        token_decimals=decimals,
        sol_lamports=sol,
        network_fee_lamports=payload["fee"],
        venue=venue,
        signature=payload["signature"],
        slot=payload["slot"],
        timestamp=when,
        fee_payer=wallet,
    )


@pytest.mark.parametrize(("prefix", "wallet", "reason"), NOT_SWAPS)
def test_recorded_non_swap(prefix: str, wallet: str, reason: NotASwapReason) -> None:
    payload = load_real(prefix)
    result = classify_swap(payload, wallet)
    assert isinstance(result, NotASwap)
    assert result.reason is reason
    assert result.signature == payload["signature"]


def test_failed_transaction_is_not_a_swap() -> None:
    payload = copy.deepcopy(load_real("01"))
    payload["transactionError"] = {"InstructionError": [3, {"Custom": 6001}]}
    result = classify_swap(payload, "HyygEkpVJJpuUyUYdAWQTZMwX4Ee1BS9ND7Yd2YdkWQg")
    assert isinstance(result, NotASwap)
    assert result.reason is NotASwapReason.FAILED_TRANSACTION


def test_classification_does_not_mutate_the_payload() -> None:
    payload = load_real("12")
    before = copy.deepcopy(payload)
    classify_swap(payload, DNFU)
    assert payload == before
