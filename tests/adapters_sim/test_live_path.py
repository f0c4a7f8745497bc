"""The live trading path end to end against the simulator: Jupiter quote -> swap -> sign
with solders -> sendTransaction through the fake RPC -> getSignatureStatuses confirmed ->
the enhanced transaction from the fake Helius, classified as the expected buy (and sell).
Refusals on the way come back as RejectedByVenueError with the venue's own code.
"""

from __future__ import annotations

import asyncio

import pytest
from solders.keypair import Keypair

from tests.adapters_sim.conftest import HookedTime
from tests.adapters_sim.venues import SimVenues
from tests.sim.conftest import still_config
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.jupiter_execution import (
    keypair_from_secret,
    send_signed_transaction,
    sign_and_send,
    sign_swap_transaction,
    verify_signed,
)
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.domain.swaps import Side, Swap, classify_swap
from walltrack.domain.venues import Quote, SignedTransaction
from walltrack.errors import ConfigurationError, InvalidInputError, RejectedByVenueError
from walltrack.sim.constants import ATA_RENT, BASE_FEE, WSOL_MINT
from walltrack.sim.events import ChainEvent, SwapEvent
from walltrack.sim.harness import Simulation, start_simulation
from walltrack.sim.servers.context import ApiKeys
from walltrack.sim.tokens import SimToken

SOL = 10**9
PRIORITY_FEE = 100_000


def _curve_token(sim: Simulation) -> SimToken:
    return next(t for t in reversed(sim.world.market.token_list) if t.pool is None)


async def _signed(jupiter: JupiterClient, keypair: Keypair, quote: Quote) -> SignedTransaction:
    swap = await jupiter.swap(
        quote,
        user_public_key=str(keypair.pubkey()),
        prioritization_fee_lamports=PRIORITY_FEE,
    )
    assert swap.prioritization_fee_lamports == PRIORITY_FEE
    return sign_swap_transaction(swap, keypair)


async def test_a_buy_and_a_sell_on_the_bonding_curve(sim: Simulation, venues: SimVenues) -> None:
    token = _curve_token(sim)
    await _buy_then_sell(sim, venues, token)
    assert token.pool is None


async def test_a_buy_and_a_sell_in_a_graduated_tokens_pool(
    old_sim: Simulation, old_venues: SimVenues
) -> None:
    token = next(t for t in old_sim.world.market.token_list if t.pool is not None)
    await _buy_then_sell(old_sim, old_venues, token)


async def _buy_then_sell(sim: Simulation, venues: SimVenues, token: SimToken) -> None:
    """Quote, swap, sign, simulate, send, confirm, classify; then the same to sell it all."""
    keypair = keypair_from_secret(str(Keypair.from_seed(bytes(range(32)))))  # as configured
    user = str(keypair.pubkey())
    sim.fund(user, 5 * SOL)
    jupiter, rpc, helius = venues.jupiter(), venues.rpc(), venues.helius()
    ledger = sim.world.market.ledger
    gross = 250_000_000

    quote = await jupiter.quote(
        input_mint=WSOL_MINT, output_mint=token.mint, amount=gross, slippage_bps=100
    )
    assert (quote.in_amount, quote.slippage_bps) == (gross, 100)
    assert quote.other_amount_threshold == quote.out_amount * 9_900 // 10_000
    assert quote.route[0].amm_key == token.trading_address
    signed = await _signed(jupiter, keypair, quote)
    assert verify_signed(signed)

    simulated = await rpc.simulate_transaction(signed.transaction_base64, sig_verify=True)
    assert simulated.err is None
    assert simulated.logs

    signature = await send_signed_transaction(rpc, signed)
    assert signature == signed.signature
    (status,) = await rpc.get_signature_statuses([signature])
    assert status is not None
    assert (status.confirmation_status, status.err) == ("confirmed", None)
    assert ledger.tokens(user, token.mint) == quote.out_amount
    assert ledger.lamports(user) == 5 * SOL - gross - BASE_FEE - PRIORITY_FEE - ATA_RENT
    assert await rpc.get_balance(user) == ledger.lamports(user)

    (enhanced,) = await helius.parse_transactions([signature])
    bought = classify_swap(enhanced, user)
    assert isinstance(bought, Swap), bought
    assert (bought.side, bought.token_mint, bought.venue) == (Side.BUY, token.mint, "JUPITER")
    assert (bought.token_amount, bought.token_decimals) == (quote.out_amount, 6)
    assert bought.sol_lamports == gross  # venue fees in, network fee and ATA rent out
    assert bought.network_fee_lamports == BASE_FEE + PRIORITY_FEE
    assert (bought.signature, bought.fee_payer) == (signature, user)
    newest = await helius.transactions_for_address(user, limit=1)
    assert newest[0]["signature"] == signature

    sell_quote = await jupiter.quote(
        input_mint=token.mint, output_mint=WSOL_MINT, amount=quote.out_amount, slippage_bps=100
    )
    before = ledger.lamports(user)
    sell = await jupiter.swap(
        sell_quote, user_public_key=user, prioritization_fee_lamports=PRIORITY_FEE
    )
    sold_signature = (await sign_and_send(sell, keypair, rpc)).signature
    assert ledger.tokens(user, token.mint) == 0
    assert ledger.lamports(user) == before + sell_quote.out_amount - BASE_FEE - PRIORITY_FEE
    (enhanced_sell,) = await helius.parse_transactions([sold_signature])
    sold = classify_swap(enhanced_sell, user)
    assert isinstance(sold, Swap), sold
    assert (sold.side, sold.token_amount) == (Side.SELL, quote.out_amount)
    assert sold.sol_lamports == sell_quote.out_amount


async def test_node_and_router_refusals_carry_their_codes(
    sim: Simulation, venues: SimVenues
) -> None:
    keypair = Keypair.from_seed(bytes([9] * 32))
    user = str(keypair.pubkey())
    token = _curve_token(sim)
    jupiter, rpc = venues.jupiter(), venues.rpc()

    with pytest.raises(RejectedByVenueError) as unknown:
        await jupiter.quote(input_mint=WSOL_MINT, output_mint=user, amount=SOL)
    assert unknown.value.code == "TOKEN_NOT_TRADABLE"
    with pytest.raises(RejectedByVenueError) as circular:
        await jupiter.quote(input_mint=token.mint, output_mint=token.mint, amount=SOL)
    assert circular.value.code == "CIRCULAR_ARBITRAGE_IS_DISABLED"

    quote = await jupiter.quote(input_mint=WSOL_MINT, output_mint=token.mint, amount=SOL)
    signed = await _signed(jupiter, keypair, quote)
    with pytest.raises(RejectedByVenueError) as broke:
        await send_signed_transaction(rpc, signed)
    assert broke.value.code == "InsufficientFundsForFee"

    sim.fund(user, 3 * SOL)
    other = sim.world.keys.wallet("trader", 1)
    sim.world.market.ledger.credit(other, 100 * SOL)
    sim.world.market.buy(sim.world.now, other, token.mint, 20 * SOL, priority_fee=0)
    with pytest.raises(RejectedByVenueError) as slipped:
        await send_signed_transaction(rpc, signed)
    assert slipped.value.code == "SlippageToleranceExceeded"

    fresh = await _signed(
        jupiter,
        keypair,
        await jupiter.quote(input_mint=WSOL_MINT, output_mint=token.mint, amount=SOL),
    )
    await sim.advance(61.0)
    with pytest.raises(RejectedByVenueError) as expired:
        await send_signed_transaction(rpc, fresh)
    assert expired.value.code == "BlockhashNotFound"

    landed = await _signed(
        jupiter,
        keypair,
        await jupiter.quote(input_mint=WSOL_MINT, output_mint=token.mint, amount=SOL),
    )
    held = sim.world.market.ledger.tokens(user, token.mint)
    assert await send_signed_transaction(rpc, landed) == landed.signature
    # Sent again (a restart resending what it signed): the node says "already processed";
    # the transaction is on chain, so the client reports its signature, not a refusal.
    assert await send_signed_transaction(rpc, landed) == landed.signature
    event = sim.world.market.find(landed.signature)
    assert isinstance(event, SwapEvent)
    assert sim.world.market.ledger.tokens(user, token.mint) == held + event.tokens  # once

    stranger = Keypair.from_seed(bytes([3] * 32))
    swap = await jupiter.swap(quote, user_public_key=user)
    with pytest.raises(InvalidInputError):
        sign_swap_transaction(swap, stranger)
    # Refusals are answers: they never count against a venue's health.
    assert jupiter.guard.metrics.count("failures") == 0
    assert sum(p.guard.metrics.count("failures") for p in rpc.providers) == 0


async def test_prices_and_the_api_key(sim: Simulation, venues: SimVenues) -> None:
    jupiter = venues.jupiter()
    market = sim.world.market
    mints = [t.mint for t in market.token_list]
    prices = await jupiter.prices([*mints, "1" * 44])
    assert set(prices) <= set(mints)
    assert prices
    assert all(p.price_usd is not None and p.price_usd > 0 for p in prices.values())

    async with start_simulation(
        still_config(warmup_s=60.0, api_keys=ApiKeys(jupiter="the-right-key"))
    ) as locked:
        good = JupiterClient(base_url=locked.endpoints.jupiter_base_url, api_key="the-right-key")
        bad = JupiterClient(base_url=locked.endpoints.jupiter_base_url, api_key="a-wrong-key")
        try:
            mint = locked.world.market.token_list[-1].mint
            assert (await good.quote(input_mint=WSOL_MINT, output_mint=mint, amount=SOL)).out_amount
            with pytest.raises(ConfigurationError) as refused:
                await bad.quote(input_mint=WSOL_MINT, output_mint=mint, amount=SOL)
            assert refused.value.variable == "WALLTRACK_JUPITER_API_KEY"
            assert "a-wrong-key" not in str(refused.value)
        finally:
            await good.aclose()
            await bad.aclose()


async def test_the_blockhash_moves_with_the_world(venues: SimVenues) -> None:
    rpc: SolanaRpcClient = venues.rpc()
    before = (await rpc.get_latest_blockhash()).blockhash
    await venues.sim.advance(2.0)
    assert (await rpc.get_latest_blockhash()).blockhash != before


async def test_a_send_whose_answer_was_lost_is_retried_and_reports_the_landed_signature(
    sim: Simulation, venues: SimVenues, time: HookedTime
) -> None:
    """The node executes the first send but the answer comes too late; the retry hears
    "already processed". The order must learn its signature, not a refusal, or it would
    buy a second time."""
    keypair = Keypair.from_seed(bytes([4] * 32))
    user = str(keypair.pubkey())
    sim.fund(user, 3 * SOL)
    token = _curve_token(sim)
    jupiter = venues.jupiter()
    rpc = venues.rpc(sim.endpoints.rpc_urls[:1], timeout_s=0.25)
    quote = await jupiter.quote(input_mint=WSOL_MINT, output_mint=token.mint, amount=SOL)
    signed = await _signed(jupiter, keypair, quote)

    landed = asyncio.Event()

    def watch(event: ChainEvent) -> None:
        if event.signature == signed.signature:
            landed.set()

    sim.world.market.listeners.append(watch)
    node = sim.faults["rpc-0"]
    node.configure(latency_s=0.6)  # executes after the client has given up

    async def node_recovers_after_landing() -> None:
        node.configure(latency_s=0.0)
        await landed.wait()

    time.during[1] = node_recovers_after_landing
    assert await send_signed_transaction(rpc, signed) == signed.signature
    assert rpc.providers[0].guard.metrics.count("timeouts") == 1
    assert sim.world.market.ledger.tokens(user, token.mint) == quote.out_amount  # bought once
