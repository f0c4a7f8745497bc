"""The eval's end-of-run value: open positions sold on paper at the market's quotes.

Against the simulator's Jupiter on loopback: what a position still holding tokens is worth
is the paper executor's own fill (the sell quote of the exact amount, 1 % off, the network
fee), a token nobody quotes is worth nothing, and a run's PnL is realised PnL plus that
value less the cost of what is still held.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

import pytest

from tests.intel.kit import still
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.postgres.run_summary import RunPosition, RunSummary
from walltrack.commands.eval import run_figures
from walltrack.eval.liquidation import Liquidation, liquidate, unrealised_pnl_lamports
from walltrack.eval.paper import PaperResult
from walltrack.execution_ports import WSOL_MINT
from walltrack.sim.thread import SimulationThread

SOL = 10**9


def position(pid: str, mint: str, **values: object) -> RunPosition:
    fields: dict[str, object] = {
        "position_id": pid,
        "wallet": "W1",
        "token_mint": mint,
        "state": "open",
        "entry_lamports": SOL,
        "token_amount": 1000,
        "remaining_amount": 1000,
        "proceeds_lamports": 0,
        "closed_pnl_lamports": None,
        **values,
    }
    return RunPosition(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def market() -> Iterator[tuple[SimulationThread, str, int]]:
    """A still world, a live token of it and an amount of it a buyer of 0.5 SOL would hold."""
    with SimulationThread(still(seed=5, warmup_s=1200.0)) as sim:
        mints = sim.call(
            lambda s: [t.mint for t in s.world.market.token_list if t.rugged_t is None]
        )

        async def bought(mint: str) -> int:
            client = JupiterClient(base_url=sim.endpoints.jupiter_base_url)
            quote = await client.quote(input_mint=WSOL_MINT, output_mint=mint, amount=SOL // 2)
            return quote.out_amount

        yield sim, mints[-1], asyncio.run(bought(mints[-1]))


def test_an_open_position_is_worth_the_paper_fill_of_selling_it(
    market: tuple[SimulationThread, str, int],
) -> None:
    sim, mint, amount = market
    jupiter = JupiterClient(base_url=sim.endpoints.jupiter_base_url)
    held = position("p1", mint, token_amount=amount * 2, remaining_amount=amount)
    closed = position("p2", "ClosedMint", state="closed", remaining_amount=0, closed_pnl_lamports=5)
    runner = AsyncRunner("test-liquidation")
    try:
        sold = liquidate(jupiter, [held, closed], runner)
        quote = runner.run(
            lambda: jupiter.quote(input_mint=mint, output_mint=WSOL_MINT, amount=amount), 10.0
        )
    finally:
        runner.close()
    kept = int((Decimal(quote.out_amount) * Decimal("0.99")).to_integral_value(ROUND_FLOOR))
    assert sold.values == {"p1": kept - 5_000}  # the closed one is not sold again
    assert sold.unpriced == 0
    assert 0 < sold.value_lamports < SOL // 2  # selling back costs the fees both ways


def test_a_token_nobody_quotes_is_worth_nothing(market: tuple[SimulationThread, str, int]) -> None:
    sim, _, _ = market
    jupiter = JupiterClient(base_url=sim.endpoints.jupiter_base_url)
    unknown = position("p1", "So1111111111111111111111111111111111111111x")
    runner = AsyncRunner("test-liquidation")
    try:
        sold = liquidate(jupiter, [unknown], runner)
    finally:
        runner.close()
    assert (sold.values, sold.unpriced) == ({"p1": 0}, 1)
    assert unrealised_pnl_lamports([unknown], sold) == -SOL


def test_run_pnl_is_realised_plus_what_is_held_at_its_end_value() -> None:
    stop_loss = position(
        "a", "M1", state="closed", remaining_amount=0, proceeds_lamports=SOL // 2,
        closed_pnl_lamports=-SOL // 2,
    )  # fmt: skip
    # Two thirds sold for 2 SOL (cost 2/3 SOL); 1/3 held, worth 0.9 SOL now.
    ladder = position(
        "b", "M2", wallet="W2", state="partial_exit", token_amount=300, remaining_amount=100,
        proceeds_lamports=2 * SOL,
    )  # fmt: skip
    untouched = position("c", "M3", wallet="W2")  # worth 0.25 SOL now
    summary = RunSummary(
        signals=3, traded_signals=3, positions=3, closed_positions=1, wins=0,
        closed_pnl_lamports=-SOL // 2, partial_pnl_lamports=2 * SOL - 666_666_666,
        partially_sold=1, breaker_events=0,
    )  # fmt: skip
    result = PaperResult(
        summary=summary,
        positions=(stop_loss, ladder, untouched),
        liquidation=Liquidation(values={"b": 900_000_000, "c": 250_000_000}, unpriced=0),
    )

    assert ladder.sold_cost_lamports == 666_666_666
    assert ladder.remaining_cost_lamports == 333_333_334
    assert ladder.realised_pnl_lamports == 2 * SOL - 666_666_666
    assert result.realised_pnl_lamports == -SOL // 2 + 2 * SOL - 666_666_666
    unrealised = (900_000_000 - 333_333_334) + (250_000_000 - SOL)
    assert result.pnl_lamports == result.realised_pnl_lamports + unrealised
    assert result.pnl_by_wallet() == {
        "W1": -SOL // 2,
        "W2": 2 * SOL - 666_666_666 + unrealised,
    }
    assert sum(result.pnl_by_wallet().values()) == result.pnl_lamports


def test_the_report_gives_total_realised_and_per_wallet_pnl_in_sol() -> None:
    held = position("a", "M1", wallet="W1")
    summary = RunSummary(
        signals=4, traded_signals=2, positions=1, closed_positions=0, wins=0,
        closed_pnl_lamports=0, partial_pnl_lamports=0, partially_sold=0, breaker_events=0,
    )  # fmt: skip
    worth = Liquidation(values={"a": 1_250_000_000}, unpriced=0)

    figures = run_figures(
        "paper", PaperResult(summary=summary, positions=(held,), liquidation=worth)
    )

    assert figures["paper_pnl_sol"] == 0.25
    assert figures["paper_realised_pnl_sol"] == 0.0
    assert figures["paper_open_value_sol"] == 1.25
    assert (figures["paper_positions_open"], figures["paper_signals"]) == (1, 4)
    assert figures["paper_wallet_pnl_sol"] == {"W1": 0.25}
    assert run_figures("oracle", None)["oracle_pnl_sol"] == 0.0
