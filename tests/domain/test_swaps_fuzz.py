"""classify_swap never raises: random mutations of real and built payloads.

Each case uses its own seeded generator, so a failure reproduces from the test id alone.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC
from typing import Any

import pytest

from walltrack.domain.swaps import NotASwap, Side, Swap, classify_swap

from . import helius_payloads as shapes
from .helius_builder import address
from .real_payloads import real_files

JUNK: list[Any] = [
    None, "", "abc", "-5", "1e9", "NaN", 1.5, -1, 0, 10**30, -(10**30), True, False,
    [], {}, [None], {"a": 1}, [[]], float("inf"), float("nan"),
    "So11111111111111111111111111111111111111112",
]  # fmt: skip

KEYS = [
    "signature", "slot", "timestamp", "fee", "feePayer", "accountData", "tokenTransfers",
    "nativeTransfers", "events", "account", "mint", "nativeBalanceChange",
    "tokenBalanceChanges", "userAccount", "rawTokenAmount", "tokenAmount", "decimals",
]  # fmt: skip

MUTATIONS_PER_PAYLOAD = 250


def _containers(value: Any, found: list[Any]) -> list[Any]:
    """Every dict and list inside `value` (including itself)."""
    if isinstance(value, dict):
        found.append(value)
        for child in value.values():
            _containers(child, found)
    elif isinstance(value, list):
        found.append(value)
        for child in value:
            _containers(child, found)
    return found


def mutate(payload: Any, rng: random.Random) -> Any:
    """One to three random edits somewhere in the tree: delete, replace, truncate, dup."""
    payload = copy.deepcopy(payload)
    for _ in range(rng.randint(1, 3)):
        container = rng.choice(_containers(payload, []))
        if isinstance(container, dict) and container:
            key = rng.choice(list(container))
            action = rng.random()
            if action < 0.3:
                del container[key]
            elif action < 0.8:
                container[key] = rng.choice(JUNK)
            else:  # a number turned into its string, as a lenient encoder might
                container[key] = str(container[key])
        elif isinstance(container, list) and container:
            index = rng.randrange(len(container))
            action = rng.random()
            if action < 0.4:
                del container[index:]
            elif action < 0.7:
                container.append(copy.deepcopy(container[index]))
            else:
                container[index] = rng.choice(JUNK)
    return payload


def check(result: object) -> None:
    """The result is one of the two types and a Swap is internally sane."""
    assert isinstance(result, (Swap, NotASwap))
    if isinstance(result, Swap):
        assert result.side in (Side.BUY, Side.SELL)
        assert type(result.token_amount) is int
        assert result.token_amount > 0
        assert type(result.sol_lamports) is int
        assert result.sol_lamports > 0
        assert type(result.token_decimals) is int
        assert result.timestamp.tzinfo is UTC


def _real(path_index: int) -> tuple[Any, str]:
    payload = json.loads(real_files()[path_index].read_text())
    return payload, payload["feePayer"]


def _built(name: str) -> tuple[Any, str]:
    wallet, mint = address("fuzz-trader"), address("fuzz-mint")
    builders = {
        "pump_buy": lambda: shapes.pump_fun_buy(
            wallet=wallet, mint=mint, sol_to_curve=10**9, protocol_fee=9_500_000,
            creator_fee=3_000_000, tokens=3 * 10**13, with_event=True,
        ),
        "pump_sell": lambda: shapes.pump_fun_sell(
            wallet=wallet, mint=mint, tokens=10**13, sol_from_curve=3 * 10**8,
            protocol_fee=2_850_000, creator_fee=900_000, close_ata=True, tx_type="UNKNOWN",
        ),
        "pumpswap_buy": lambda: shapes.pumpswap_buy(
            wallet=wallet, mint=mint, quote_in=10**10, protocol_fee=10**7, creator_fee=10**7,
            bot_fee=10**8, tokens=10**13,
        ),
        "jupiter": lambda: shapes.jupiter_route_buy(
            wallet=wallet, mint=mint, sol_in=10**9, usdc_mid=150_000_000, tokens=10**9
        ),
        "raydium_unknown": lambda: shapes.raydium_buy(
            wallet=wallet, mint=mint, sol_in=10**6, tip=10**4, tokens=3 * 10**6,
            standing_wsol=True, tx_type="UNKNOWN", with_event=False,
        ),
    }  # fmt: skip
    return builders[name](), wallet


@pytest.mark.parametrize("index", range(18))
def test_mutated_real_payloads_never_raise(index: int) -> None:
    payload, wallet = _real(index)
    rng = random.Random(1000 + index)
    for _ in range(MUTATIONS_PER_PAYLOAD):
        check(classify_swap(mutate(payload, rng), wallet))


@pytest.mark.parametrize(
    "name", ["pump_buy", "pump_sell", "pumpswap_buy", "jupiter", "raydium_unknown"]
)
def test_mutated_built_payloads_never_raise(name: str) -> None:
    payload, wallet = _built(name)
    rng = random.Random(name)
    for _ in range(MUTATIONS_PER_PAYLOAD):
        check(classify_swap(mutate(payload, rng), wallet))


def test_random_json_values_never_raise() -> None:
    rng = random.Random(7)

    def value(depth: int) -> Any:
        if depth > 3 or rng.random() < 0.4:
            return rng.choice(JUNK)
        if rng.random() < 0.5:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        keys = KEYS
        return {rng.choice(keys): value(depth + 1) for _ in range(rng.randint(0, 6))}

    for _ in range(2_000):
        check(classify_swap(value(0), rng.choice(["", "abc", address("w")])))
