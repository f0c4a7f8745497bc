"""The Solana RPC client against a loopback fake node: every method, errors, rotation."""

from __future__ import annotations

import base64

import httpx
import pytest
from solders.keypair import Keypair
from solders.transaction import VersionedTransaction

from tests.adapters.canned_rest import unsigned_swap_transaction
from tests.adapters.canned_rpc import (
    BLOCKHASH,
    MINT,
    OWNER,
    TOKEN_2022,
    TOKEN_ACCOUNT,
    TOKEN_PROGRAM,
    RpcWorld,
    new_address,
    new_signature,
    token_account_json,
    transaction_json,
)
from tests.adapters.conftest import Timekeeper
from tests.adapters.fake_venue import FakeVenue
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.errors import (
    RateLimitedError,
    RejectedByVenueError,
    UpstreamError,
    UpstreamTimeoutError,
    VenueUnavailableError,
)


@pytest.fixture
def world(fake: FakeVenue) -> RpcWorld:
    rpc_world = RpcWorld()
    rpc_world.install(fake)
    return rpc_world


def make_client(
    time: Timekeeper, http: httpx.AsyncClient, *urls: str, timeout_s: float = 2.0
) -> SolanaRpcClient:
    guards = [time.guard(f"solana_rpc#{i}") for i in range(len(urls))]
    first = guards[0]
    return SolanaRpcClient(
        list(urls), client=http, guards=guards, retry=first.retry, timeout_s=timeout_s
    )


async def test_get_balance_parses_context_value(fake, world, time, http) -> None:
    world.balances[OWNER] = 4821337560
    rpc = make_client(time, http, fake.base_url)
    assert await rpc.get_balance(OWNER) == 4821337560
    request = fake.hits("getBalance")[0]
    assert request.body["params"] == [OWNER, {"commitment": "confirmed"}]


async def test_signature_paging_before_and_until(fake, world, time, http) -> None:
    wallet = new_address()
    signatures = world.add_signatures(wallet, 25)  # oldest first
    rpc = make_client(time, http, fake.base_url)
    pages = [page async for page in rpc.iter_signatures_for_address(wallet, page_size=10)]
    assert [len(p) for p in pages] == [10, 10, 5]
    flat = [info.signature for page in pages for info in page]
    assert flat == list(reversed(signatures))
    assert fake.hits("getSignaturesForAddress")[1].body["params"][1]["before"] == flat[9]
    newer = await rpc.get_signatures_for_address(wallet, until=signatures[20])
    assert [i.signature for i in newer] == list(reversed(signatures[21:]))
    assert newer[0].block_time is not None
    assert newer[0].succeeded


async def test_signature_error_is_kept_as_compact_json(fake, world, time, http) -> None:
    wallet = new_address()
    world.add_signatures(wallet, 1)
    world.signatures[wallet][0]["err"] = {"InstructionError": [3, {"Custom": 6001}]}
    rpc = make_client(time, http, fake.base_url)
    (info,) = await rpc.get_signatures_for_address(wallet)
    assert info.err == '{"InstructionError":[3,{"Custom":6001}]}'
    assert not info.succeeded


async def test_get_transaction_resolves_v0_keys_and_balances(fake, world, time, http) -> None:
    signature = new_signature()
    world.transactions[signature] = transaction_json(signature, 352114876)
    rpc = make_client(time, http, fake.base_url)
    tx = await rpc.get_transaction(signature)
    assert tx is not None
    assert tx.version == "0"
    assert tx.fee == 105000
    assert tx.err is None
    assert tx.account_keys[0] == OWNER
    assert len(tx.account_keys) == 5
    assert tx.native_change(OWNER) == 4569193280 - 4821337560
    (balance,) = tx.post_token_balances
    assert (balance.mint, balance.owner, balance.amount, balance.decimals) == (
        MINT,
        OWNER,
        589731221468,
        6,
    )
    assert await rpc.get_transaction(new_signature()) is None


async def test_token_accounts_ask_both_token_programs(fake, world, time, http) -> None:
    other_mint = new_address()
    world.token_accounts[OWNER] = [
        (
            TOKEN_PROGRAM,
            token_account_json(TOKEN_ACCOUNT, MINT, OWNER, 589731221468, TOKEN_PROGRAM),
        ),
        (TOKEN_2022, token_account_json(new_address(), other_mint, OWNER, 5, TOKEN_2022)),
    ]
    rpc = make_client(time, http, fake.base_url)
    accounts = await rpc.get_token_accounts_by_owner(OWNER)
    assert {(a.mint, a.amount, a.program_id) for a in accounts} == {
        (MINT, 589731221468, TOKEN_PROGRAM),
        (other_mint, 5, TOKEN_2022),
    }
    only = await rpc.get_token_accounts_by_owner(OWNER, mint=MINT)
    assert [a.address for a in only] == [TOKEN_ACCOUNT]


async def test_account_info_decodes_mint_authorities(fake, world, time, http) -> None:
    rpc = make_client(time, http, fake.base_url)
    info = await rpc.get_account_info(MINT)
    assert info is not None
    assert info.mint is not None
    assert info.parsed_type == "mint"
    assert info.owner == TOKEN_PROGRAM
    assert info.mint.mint_authority is None
    assert info.mint.freeze_authority is None
    assert info.mint.supply == 999999843223100
    assert info.mint.decimals == 6
    assert await rpc.get_account_info(new_address()) is None


async def test_largest_accounts_and_blockhash(fake, world, time, http) -> None:
    rpc = make_client(time, http, fake.base_url)
    holders = await rpc.get_token_largest_accounts(MINT)
    assert [h.amount for h in holders] == [206900000000000, 589731221468]
    blockhash = await rpc.get_latest_blockhash()
    assert blockhash.blockhash == BLOCKHASH
    assert blockhash.last_valid_block_height == 330502217
    assert blockhash.slot > 0


def signed_transfer(keypair: Keypair) -> str:
    unsigned = VersionedTransaction.from_bytes(
        base64.b64decode(unsigned_swap_transaction(str(keypair.pubkey())))
    )
    return base64.b64encode(bytes(VersionedTransaction(unsigned.message, [keypair]))).decode()


async def test_send_simulate_and_status(fake, world, time, http) -> None:
    rpc = make_client(time, http, fake.base_url)
    keypair = Keypair()
    transaction = signed_transfer(keypair)
    simulation = await rpc.simulate_transaction(transaction)
    assert simulation.succeeded
    assert simulation.units_consumed == 98511
    assert simulation.logs
    signature = await rpc.send_transaction(transaction)
    config = fake.hits("sendTransaction")[0].body["params"][1]
    assert config["encoding"] == "base64"
    assert config["maxRetries"] == 0
    unknown = new_signature()
    statuses = await rpc.get_signature_statuses([signature, unknown])
    assert statuses[1] is None
    assert statuses[0] is not None
    assert statuses[0].signature == signature
    assert statuses[0].confirmation_status == "confirmed"
    assert statuses[0].err is None


async def test_bad_signature_is_rejected_not_retried(fake, world, time, http) -> None:
    rpc = make_client(time, http, fake.base_url)
    unsigned = unsigned_swap_transaction(str(Keypair().pubkey()))
    with pytest.raises(RejectedByVenueError) as caught:
        await rpc.send_transaction(unsigned)
    assert caught.value.code == "SignatureVerificationFailure"
    assert len(fake.hits("sendTransaction")) == 1
    assert time.sleeps == []


async def test_preflight_slippage_maps_to_a_named_rejection(fake, world, time, http) -> None:
    data = {"err": {"InstructionError": [3, {"Custom": 6001}]}, "logs": ["Program log: slippage"]}
    fake.inject(
        "rpc_error", where="sendTransaction", code=-32002, message="simulation failed", data=data
    )
    rpc = make_client(time, http, fake.base_url)
    with pytest.raises(RejectedByVenueError) as caught:
        await rpc.send_transaction(signed_transfer(Keypair()))
    assert caught.value.code == "SlippageToleranceExceeded"


@pytest.mark.parametrize(
    ("code", "message", "error_type"),
    [
        (-32429, "rate limited", RateLimitedError),
        (-32005, "Node is behind by 42 slots", RateLimitedError),
        (-32004, "Block not available", UpstreamError),
    ],
)
async def test_temporary_rpc_errors_are_retried(
    fake, world, time, http, code, message, error_type
) -> None:
    fake.inject("rpc_error", where="getBalance", times=2, code=code, message=message)
    world.balances[OWNER] = 7
    rpc = make_client(time, http, fake.base_url)
    assert await rpc.get_balance(OWNER) == 7
    assert len(time.sleeps) == 2
    assert len(fake.hits("getBalance")) == 3
    fake.inject("rpc_error", where="getBalance", times=4, code=code, message=message)
    with pytest.raises(error_type):
        await rpc.get_balance(OWNER)


async def test_http_429_maps_to_rate_limited(fake, world, time, http) -> None:
    rpc = make_client(time, http, fake.base_url)
    body = {"jsonrpc": "2.0", "error": {"code": -32429, "message": "rate limited"}}
    fake.inject("status", where="getBalance", times=4, status=429, body=body)
    with pytest.raises(RateLimitedError):
        await rpc.get_balance(OWNER)
    assert rpc.providers[0].guard.metrics.count("rate_limited_responses") == 4


async def test_hung_node_maps_to_timeout(fake, world, time, http) -> None:
    rpc = make_client(time, http, fake.base_url, timeout_s=0.2)
    fake.inject("hang", where="getBalance", times=4)
    with pytest.raises(UpstreamTimeoutError):
        await rpc.get_balance(OWNER)
    assert rpc.providers[0].guard.metrics.count("timeouts") == 4


async def test_credits_exhausted_is_not_a_rate_limit(fake, world, time, http) -> None:
    fake.inject("rpc_error", where="getBalance", times=4, code=-32429, message="max usage reached")
    rpc = make_client(time, http, fake.base_url)
    with pytest.raises(UpstreamError) as caught:
        await rpc.get_balance(OWNER)
    assert not isinstance(caught.value, RateLimitedError)
    assert "credits exhausted" in str(caught.value)


async def test_rotation_to_the_next_provider_without_backoff(
    fake, fake2, world, time, http
) -> None:
    world.install(fake2)
    world.balances[OWNER] = 99
    rpc = make_client(time, http, fake.base_url, fake2.base_url)
    fake.down = True
    assert await rpc.get_balance(OWNER) == 99
    assert rpc.current_provider == "solana_rpc#1"
    assert time.sleeps == []  # rotation is immediate; backoff only after a failed round
    assert rpc.metrics.count("rotations") == 1
    assert await rpc.get_balance(OWNER) == 99
    assert len(fake.hits("getBalance")) == 1
    assert len(fake2.hits("getBalance")) == 2


async def test_all_providers_down_backs_off_then_fails(fake, fake2, world, time, http) -> None:
    world.install(fake2)
    fake.down = fake2.down = True
    rpc = make_client(time, http, fake.base_url, fake2.base_url)
    with pytest.raises(UpstreamError):
        await rpc.get_balance(OWNER)
    assert len(time.sleeps) == 3  # one backoff per failed round, 4 rounds
    assert len(fake.hits()) + len(fake2.hits()) == 8


async def test_open_provider_breaker_is_skipped(fake, fake2, world, time, http) -> None:
    world.install(fake2)
    world.balances[OWNER] = 5
    rpc = make_client(time, http, fake.base_url, fake2.base_url)
    for _ in range(5):
        rpc.providers[0].guard.breaker.record_failure()
    assert await rpc.get_balance(OWNER) == 5
    assert fake.hits() == []
    assert rpc.providers[0].guard.metrics.count("fast_failures") == 1
    for _ in range(5):
        rpc.providers[1].guard.breaker.record_failure()
    with pytest.raises(VenueUnavailableError):
        await rpc.get_balance(OWNER)


async def test_provider_url_with_key_in_query(fake, world, time, http) -> None:
    secret = "rpc-secret-key"
    fake.required_query = {"api-key": secret}
    world.balances[OWNER] = 3
    rpc = make_client(time, http, f"{fake.base_url}/?api-key={secret}")
    assert await rpc.get_balance(OWNER) == 3
    fake.down = True
    with pytest.raises(UpstreamError) as caught:
        await rpc.get_balance(OWNER)
    assert secret not in str(caught.value)
