"""The fake Solana JSON-RPC node (api-formats.md §5): reads, sends and statuses.

Why one handler with a method table: JSON-RPC is one POST endpoint with batches; each
method is a small function of the shared world, so adding one never touches the others.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from aiohttp import web
from solders.pubkey import Pubkey

from walltrack.sim.base58 import b58decode
from walltrack.sim.constants import API_VERSION
from walltrack.sim.history import UnknownSignatureError, page
from walltrack.sim.servers.context import SimServices
from walltrack.sim.servers.faults import FaultInjector, fault_middleware
from walltrack.sim.servers.rpc_accounts import (
    account_info,
    largest_accounts,
    token_accounts_by_owner,
)
from walltrack.sim.settlement import RpcError, simulation_value

type Params = list[Any]
type Method = Callable[[SimServices, Params], Any]

FINALIZED_AFTER_SLOTS = 32


def _error_body(status: int) -> web.Response:
    if status == 429:
        error = {"code": -32429, "message": "rate limited"}
    else:
        error = {"code": -32603, "message": f"upstream error (HTTP {status})"}
    body = {"jsonrpc": "2.0", "error": error, "id": None}
    return web.json_response(body, status=status)


def _context(services: SimServices, value: Any) -> dict[str, Any]:
    return {"context": {"apiVersion": API_VERSION, "slot": services.world.slot}, "value": value}


def _arg(params: Params, index: int, kind: type | tuple[type, ...], name: str) -> Any:
    if len(params) <= index or not isinstance(params[index], kind):
        raise RpcError(-32602, f"Invalid params: missing or invalid {name}")
    return params[index]


def _config(params: Params, index: int) -> dict[str, Any]:
    value = params[index] if len(params) > index else None
    return value if isinstance(value, dict) else {}


def _pubkey(params: Params, index: int = 0) -> str:
    text = _arg(params, index, str, "pubkey")
    try:
        Pubkey.from_string(text)
    except ValueError:
        raise RpcError(-32602, f"Invalid param: Invalid pubkey {text!r}") from None
    return str(text)


# -- reads ------------------------------------------------------------------------------
def get_balance(s: SimServices, params: Params) -> Any:
    return _context(s, s.world.market.ledger.lamports(_pubkey(params)))


def get_latest_blockhash(s: SimServices, params: Params) -> Any:
    blockhash, last_valid = s.latest_blockhash()
    return _context(s, {"blockhash": blockhash, "lastValidBlockHeight": last_valid})


def get_signatures_for_address(s: SimServices, params: Params) -> Any:
    address = _pubkey(params)
    config = _config(params, 1)
    limit = config.get("limit", 1000)
    if not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise RpcError(-32602, "Invalid limit; max 1000")
    try:
        events = page(
            s.world.market,
            address,
            before=config.get("before"),
            until=config.get("until"),
            limit=limit,
        )
    except UnknownSignatureError:
        raise RpcError(-32602, "Invalid param: before/until is not a known signature") from None
    slot = s.world.slot
    return [
        {
            "signature": e.signature,
            "slot": e.slot,
            "err": None,
            "memo": None,
            "blockTime": e.timestamp,
            "confirmationStatus": "finalized"
            if slot - e.slot >= FINALIZED_AFTER_SLOTS
            else "confirmed",
        }
        for e in events
    ]


def get_transaction(s: SimServices, params: Params) -> Any:
    signature = _arg(params, 0, str, "signature")
    config = _config(params, 1)
    if "maxSupportedTransactionVersion" not in config:
        raise RpcError(
            -32015,
            "Transaction version (0) is not supported by the requesting "
            "client. Please try the request again with the following configuration "
            'parameter: "maxSupportedTransactionVersion": 0',
        )
    event = s.world.market.find(signature)
    if event is None:
        return None
    return s.transactions.render(event, s.world.blockhash(event.slot - 1))


def get_token_accounts_by_owner(s: SimServices, params: Params) -> Any:
    owner = _pubkey(params)
    selector = _config(params, 1)
    if not selector.get("mint") and not selector.get("programId"):
        raise RpcError(-32602, "Invalid params: expected mint or programId filter")
    encoding = _config(params, 2).get("encoding", "base64")
    value = token_accounts_by_owner(
        s, owner, selector.get("mint"), selector.get("programId"), encoding
    )
    return _context(s, value)


def get_account_info(s: SimServices, params: Params) -> Any:
    encoding = _config(params, 1).get("encoding", "base64")
    return _context(s, account_info(s, _pubkey(params), encoding))


def get_token_largest_accounts(s: SimServices, params: Params) -> Any:
    value = largest_accounts(s, _pubkey(params))
    if value is None:
        raise RpcError(-32602, "Invalid param: not a Token mint")
    return _context(s, value)


def get_token_supply(s: SimServices, params: Params) -> Any:
    mint = _pubkey(params)
    if mint not in s.world.market.tokens:
        raise RpcError(-32602, "Invalid param: not a Token mint")
    return _context(
        s,
        {
            "amount": "1000000000000000",
            "decimals": 6,
            "uiAmount": 1_000_000_000.0,
            "uiAmountString": "1000000000",
        },
    )


def get_signature_statuses(s: SimServices, params: Params) -> Any:
    signatures = _arg(params, 0, list, "signatures")
    if len(signatures) > 256:
        raise RpcError(-32602, "Too many inputs provided; max 256")
    slot = s.world.slot
    statuses: list[Any] = []
    for signature in signatures:
        event = s.world.market.find(signature) if isinstance(signature, str) else None
        if event is None:
            failed = s.failed.get(signature) if isinstance(signature, str) else None
            statuses.append(
                None
                if failed is None
                else {
                    "slot": failed[0],
                    "confirmations": 0,
                    "err": failed[1],
                    "status": {"Err": failed[1]},
                    "confirmationStatus": "confirmed",
                }
            )
            continue
        age = slot - event.slot
        final = age >= FINALIZED_AFTER_SLOTS
        statuses.append(
            {
                "slot": event.slot,
                "confirmations": None if final else max(age, 0),
                "err": None,
                "status": {"Ok": None},
                "confirmationStatus": "finalized" if final else "confirmed",
            }
        )
    return _context(s, statuses)


# -- writes -----------------------------------------------------------------------------
def _raw_transaction(params: Params, config: dict[str, Any]) -> bytes:
    text = _arg(params, 0, str, "transaction")
    try:
        if config.get("encoding", "base58") == "base64":
            return base64.b64decode(text, validate=True)
        return b58decode(text)
    except ValueError:
        raise RpcError(-32602, "invalid transaction: bad encoding") from None


def send_transaction(s: SimServices, params: Params) -> Any:
    config = _config(params, 1)
    plan = s.settlement.decode(_raw_transaction(params, config))
    if config.get("skipPreflight"):
        if plan.signature in s.world.market.by_signature:
            return plan.signature
        try:
            s.settlement.check(plan, verify_signatures=True, check_blockhash=True)
        except RpcError as error:
            if error.code == -32003:
                raise
            err = error.data.get("err") if isinstance(error.data, dict) else None
            s.failed.setdefault(plan.signature, (s.world.slot, err))
            return plan.signature  # landed, but failed on chain
    else:
        s.settlement.check(plan, verify_signatures=True, check_blockhash=True)
    s.settlement.apply(plan)
    return plan.signature


def simulate_transaction(s: SimServices, params: Params) -> Any:
    config = _config(params, 1)
    plan = s.settlement.decode(_raw_transaction(params, config))
    replace = bool(config.get("replaceRecentBlockhash"))
    try:
        s.settlement.check(
            plan, verify_signatures=bool(config.get("sigVerify")), check_blockhash=not replace
        )
    except RpcError as error:
        if error.code != -32002:
            raise
        return _context(s, error.data)
    value = simulation_value(None, s.settlement.simulation_logs(plan))
    if replace:
        blockhash, last_valid = s.latest_blockhash()
        value["replacementBlockhash"] = {"blockhash": blockhash, "lastValidBlockHeight": last_valid}
    return _context(s, value)


def request_airdrop(s: SimServices, params: Params) -> Any:
    address = _pubkey(params)
    lamports = _arg(params, 1, int, "lamports")
    if lamports <= 0:
        raise RpcError(-32602, "Invalid params: lamports must be positive")
    return s.world.airdrop(address, lamports).signature


METHODS: dict[str, Method] = {
    "getBalance": get_balance,
    "getLatestBlockhash": get_latest_blockhash,
    "getSignaturesForAddress": get_signatures_for_address,
    "getTransaction": get_transaction,
    "getTokenAccountsByOwner": get_token_accounts_by_owner,
    "getAccountInfo": get_account_info,
    "getTokenLargestAccounts": get_token_largest_accounts,
    "getTokenSupply": get_token_supply,
    "getSignatureStatuses": get_signature_statuses,
    "sendTransaction": send_transaction,
    "simulateTransaction": simulate_transaction,
    "requestAirdrop": request_airdrop,
    "getSlot": lambda s, _: s.world.slot,
    "getBlockHeight": lambda s, _: s.world.block_height,
    "getHealth": lambda s, _: "ok",
    "getVersion": lambda s, _: {"solana-core": API_VERSION, "feature-set": 3_294_202_862},
    "getMinimumBalanceForRentExemption": lambda s, p: 890_880 + 6_960 * int(p[0] if p else 0),
}


def _answer(services: SimServices, request: Any) -> dict[str, Any]:
    if not isinstance(request, dict) or request.get("jsonrpc") != "2.0" or "method" not in request:
        return {
            "jsonrpc": "2.0",
            "error": {"code": -32600, "message": "Invalid request"},
            "id": request.get("id") if isinstance(request, dict) else None,
        }
    request_id = request.get("id")
    method = METHODS.get(request["method"])
    if method is None:
        return {
            "jsonrpc": "2.0",
            "error": {"code": -32601, "message": "Method not found"},
            "id": request_id,
        }
    params = request.get("params", [])
    try:
        result = method(services, params if isinstance(params, list) else [params])
    except RpcError as error:
        body: dict[str, Any] = {"code": error.code, "message": error.message}
        if error.data is not None:
            body["data"] = error.data
        return {"jsonrpc": "2.0", "error": body, "id": request_id}
    return {"jsonrpc": "2.0", "result": result, "id": request_id}


def rpc_app(services: SimServices, injector: FaultInjector) -> web.Application:
    """The JSON-RPC app: POST any path (e.g. `/` or `/?api-key=...`)."""

    async def handle(request: web.Request) -> web.Response:
        try:
            payload = json.loads(await request.read())
        except ValueError:
            error = {"code": -32700, "message": "Parse error"}
            return web.json_response({"jsonrpc": "2.0", "error": error, "id": None})
        if isinstance(payload, list):
            if not payload:
                return web.json_response(
                    {
                        "jsonrpc": "2.0",
                        "error": {"code": -32600, "message": "Invalid request"},
                        "id": None,
                    }
                )
            return web.json_response([_answer(services, item) for item in payload])
        return web.json_response(_answer(services, payload))

    app = web.Application(middlewares=[fault_middleware(injector, _error_body)])
    app.router.add_post("/{tail:.*}", handle)
    return app
