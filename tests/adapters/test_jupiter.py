"""Jupiter quote/swap/price against a loopback fake; errors mapped; solders signing verifies."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

import pytest
from solders.keypair import Keypair
from solders.transaction import VersionedTransaction

from tests.adapters.canned_rest import BAD_AMOUNT, MINT, NO_ROUTE_MINT, SOL, JupiterWorld
from tests.adapters.canned_rpc import RpcWorld
from tests.adapters.fake_venue import FakeVenue
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.jupiter_execution import (
    keypair_from_secret,
    sign_and_send,
    sign_swap_transaction,
    verify_signed,
)
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.domain.venues import SwapTransaction
from walltrack.errors import (
    ConfigurationError,
    InvalidInputError,
    RateLimitedError,
    RejectedByVenueError,
    UpstreamError,
)

API_KEY = "jup-test-key"


@pytest.fixture
def world(fake: FakeVenue) -> JupiterWorld:
    fake.required_headers = {"x-api-key": API_KEY}
    jupiter_world = JupiterWorld()
    jupiter_world.install(fake)
    return jupiter_world


@pytest.fixture
def jupiter(fake, world, time, http) -> JupiterClient:
    return JupiterClient(
        base_url=fake.base_url, api_key=API_KEY, client=http, guard=time.guard("jupiter")
    )


async def test_quote_parses_amounts_and_keeps_the_raw_response(fake, jupiter) -> None:
    quote = await jupiter.quote(
        input_mint=SOL, output_mint=MINT, amount=250_000_000, slippage_bps=1500
    )
    assert quote.in_amount == 250_000_000
    assert quote.out_amount == 250_000_000 * 2358
    assert quote.other_amount_threshold == quote.out_amount * 8500 // 10000
    assert quote.price_impact_pct == Decimal("0.0089")
    assert quote.route[0].label == "Pump.fun Amm"
    assert quote.route[0].percent == 100
    assert json.loads(quote.raw_json)["swapUsdValue"] == "42.5"
    request = fake.hits("/swap/v1/quote")[0]
    assert request.query["slippageBps"] == "1500"
    assert request.query["restrictIntermediateTokens"] == "true"
    assert request.headers["x-api-key"] == API_KEY


async def test_swap_sends_the_quote_back_unchanged(jupiter, world) -> None:
    quote = await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=1_000)
    user = Keypair()
    swap = await jupiter.swap(
        quote, user_public_key=str(user.pubkey()), prioritization_fee_lamports=100_000
    )
    assert swap.last_valid_block_height == 330502367
    assert swap.compute_unit_limit == 187000
    body = world.swaps[0]
    assert body["quoteResponse"] == json.loads(quote.raw_json)
    assert body["userPublicKey"] == str(user.pubkey())
    assert body["prioritizationFeeLamports"] == 100_000


async def test_signed_swap_transaction_verifies(jupiter) -> None:
    user = Keypair()
    quote = await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=1_000)
    swap = await jupiter.swap(quote, user_public_key=str(user.pubkey()))
    unsigned = VersionedTransaction.from_bytes(base64.b64decode(swap.transaction_base64))
    assert unsigned.verify_with_results() == [False]  # Jupiter leaves the slot zeroed
    signed = sign_swap_transaction(swap, user)
    decoded = VersionedTransaction.from_bytes(base64.b64decode(signed.transaction_base64))
    assert decoded.verify_with_results() == [True]
    assert verify_signed(signed)
    assert str(decoded.signatures[0]) == signed.signature
    assert decoded.message == unsigned.message


async def test_sign_and_send_through_the_rpc(fake, fake2, jupiter, time, http) -> None:
    rpc_world = RpcWorld()
    rpc_world.install(fake2)
    rpc = SolanaRpcClient([fake2.base_url], client=http, guards=[time.guard("solana_rpc#0")])
    user = Keypair()
    quote = await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=1_000)
    swap = await jupiter.swap(quote, user_public_key=str(user.pubkey()))
    signed = await sign_and_send(swap, user, rpc)
    assert signed.signature in rpc_world.landed
    (status,) = await rpc.get_signature_statuses([signed.signature])
    assert status is not None
    assert status.confirmation_status == "confirmed"


async def test_signing_with_the_wrong_wallet_is_refused(jupiter) -> None:
    quote = await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=1_000)
    swap = await jupiter.swap(quote, user_public_key=str(Keypair().pubkey()))
    with pytest.raises(InvalidInputError, match="must be signed by"):
        sign_swap_transaction(swap, Keypair())


def test_garbage_transaction_is_a_malformed_response() -> None:
    swap = SwapTransaction(
        transaction_base64=base64.b64encode(b"nope").decode(), last_valid_block_height=1
    )
    with pytest.raises(UpstreamError):
        sign_swap_transaction(swap, Keypair())


async def test_no_route_maps_to_a_rejection_with_jupiters_code(jupiter, time) -> None:
    with pytest.raises(RejectedByVenueError) as caught:
        await jupiter.quote(input_mint=SOL, output_mint=NO_ROUTE_MINT, amount=1_000)
    assert caught.value.code == "COULD_NOT_FIND_ANY_ROUTE"
    assert time.sleeps == []


async def test_a_400_without_code_is_not_no_route(jupiter) -> None:
    with pytest.raises(RejectedByVenueError) as caught:
        await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=BAD_AMOUNT)
    assert caught.value.code == "BAD_REQUEST"


async def test_simulation_error_in_swap_is_a_rejection(fake, jupiter) -> None:
    quote = await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=1_000)
    fake.inject(
        "status",
        where="/swap/v1/swap",
        status=200,
        body={
            "swapTransaction": "",
            "lastValidBlockHeight": 1,
            "simulationError": {"errorCode": "TRANSACTION_ERROR", "error": "slippage"},
        },
    )
    with pytest.raises(RejectedByVenueError) as caught:
        await jupiter.swap(quote, user_public_key=str(Keypair().pubkey()))
    assert caught.value.code == "TRANSACTION_ERROR"


async def test_429_is_rate_limited_and_retried(fake, jupiter, time) -> None:
    fake.inject(
        "status", where="/swap/v1/quote", status=429, times=1, body={"error": "Too many requests"}
    )
    quote = await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=1_000)
    assert quote.in_amount == 1_000
    assert len(time.sleeps) == 1
    fake.inject("status", where="/swap/v1/quote", status=429, times=4)
    with pytest.raises(RateLimitedError):
        await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=1_000)


async def test_5xx_is_an_upstream_error(fake, jupiter) -> None:
    fake.inject("status", where="/swap/v1/quote", status=502, times=4)
    with pytest.raises(UpstreamError) as caught:
        await jupiter.quote(input_mint=SOL, output_mint=MINT, amount=1_000)
    assert type(caught.value) is UpstreamError


async def test_bad_api_key_is_a_configuration_error(fake, world, time, http) -> None:
    client = JupiterClient(
        base_url=fake.base_url, api_key="wrong", client=http, guard=time.guard("jupiter")
    )
    with pytest.raises(ConfigurationError) as caught:
        await client.quote(input_mint=SOL, output_mint=MINT, amount=1_000)
    assert caught.value.variable == "WALLTRACK_JUPITER_API_KEY"


async def test_prices_are_decimal_and_missing_tokens_absent(fake, jupiter) -> None:
    unknown = str(Keypair().pubkey())
    prices = await jupiter.prices([SOL, MINT, unknown])
    assert prices[MINT].price_usd == Decimal("0.00007159")
    assert prices[SOL].liquidity_usd == Decimal("621679197.67")
    assert unknown not in prices
    assert await jupiter.price(unknown) is None
    assert fake.hits("/price/v3")[0].query["ids"] == f"{SOL},{MINT},{unknown}"


def test_keypair_from_base58_and_json_array() -> None:
    keypair = Keypair()
    assert keypair_from_secret(str(keypair)).pubkey() == keypair.pubkey()
    assert keypair_from_secret(json.dumps(list(bytes(keypair)))).pubkey() == keypair.pubkey()
    with pytest.raises(ConfigurationError) as caught:
        keypair_from_secret("not-a-key-secret-value")
    assert "not-a-key-secret-value" not in str(caught.value)
