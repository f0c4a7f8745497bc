"""Canned REST venues in their exact wire formats: Helius, Jupiter, DexScreener, Birdeye.

Written from the field lists in ../shared/reference/api-formats.md; the Jupiter swap
returns a real unsigned v0 transaction built with solders for the requesting wallet.
"""

from __future__ import annotations

import base64
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from solders.compute_budget import set_compute_unit_limit, set_compute_unit_price
from solders.hash import Hash
from solders.message import MessageV0
from solders.null_signer import NullSigner
from solders.pubkey import Pubkey
from solders.system_program import TransferParams, transfer
from solders.transaction import VersionedTransaction

from tests.adapters.canned_rpc import BLOCKHASH, MINT, SLOT, new_signature
from tests.adapters.fake_venue import FakeVenue, Recorded

SOL = "So11111111111111111111111111111111111111112"
PAIR = "673CuzREz7aLPkRHXVtRXXroGpNJ6mgyfuVu6dnmoKb6"
NO_ROUTE_MINT = "NoRoute1111111111111111111111111111111111111"
BAD_AMOUNT = 13


# --- Helius ------------------------------------------------------------------------------


def enhanced_tx(signature: str, slot: int, wallet: str) -> dict[str, Any]:
    """An abridged enhanced transaction (pump.fun buy shape, §1.5)."""
    return {
        "description": "",
        "type": "SWAP",
        "source": "PUMP_FUN",
        "fee": 105000,
        "feePayer": wallet,
        "signature": signature,
        "slot": slot,
        "timestamp": 1761312456 - (SLOT - slot),
        "nativeTransfers": [
            {"fromUserAccount": wallet, "toUserAccount": PAIR, "amount": 1481481481}
        ],
        "tokenTransfers": [
            {
                "fromUserAccount": PAIR,
                "toUserAccount": wallet,
                "fromTokenAccount": "3V49D6VDAB1btiwdxGkow3BFCbPkDAoWyPBM2AMmXGDA",
                "toTokenAccount": "5u7GskJ2Vhf1oYRmYkDef9bXQMVpEf1mrzg2y6VWH6W7",
                "tokenAmount": 22799468.784327,
                "mint": MINT,
                "tokenStandard": "Fungible",
            }
        ],
        "accountData": [
            {"account": wallet, "nativeBalanceChange": -1502144280, "tokenBalanceChanges": []}
        ],
        "transactionError": None,
        "instructions": [],
        "events": {},
    }


@dataclass
class HeliusWorld:
    """Webhooks and per-address enhanced histories (newest first)."""

    webhooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add_history(self, address: str, count: int) -> list[str]:
        """Prepend `count` transactions; returns their signatures, oldest first."""
        items = self.history.setdefault(address, [])
        slot = items[0]["slot"] if items else SLOT - 5000
        added = []
        for _ in range(count):
            slot += 1
            signature = new_signature()
            items.insert(0, enhanced_tx(signature, slot, address))
            added.append(signature)
        return added

    def install(self, fake: FakeVenue) -> None:
        """Register the Helius REST routes."""
        fake.route("GET", r"/v0/webhooks", lambda r, m: list(self.webhooks.values()))
        fake.route("POST", r"/v0/webhooks", self._create)
        fake.route("GET", r"/v0/webhooks/(?P<id>[^/]+)", self._get)
        fake.route("PUT", r"/v0/webhooks/(?P<id>[^/]+)", self._edit)
        fake.route("DELETE", r"/v0/webhooks/(?P<id>[^/]+)", self._delete)
        fake.route("GET", r"/v0/addresses/(?P<a>[^/]+)/transactions", self._by_address)
        fake.route("POST", r"/v0/transactions", self._parse)

    def _create(self, request: Recorded, _: Any) -> Any:
        if not request.body.get("accountAddresses"):
            return 400, {
                "jsonrpc": "2.0",
                "error": {"code": -32602, "message": "Invalid params"},
                "id": "1",
            }
        hook = {
            "webhookID": str(uuid.uuid4()),
            "wallet": "6yEJof6rM1VV393QgERAt6WXpnFhJ89HeLedgzgB7m4v",
            "active": True,
        }
        hook.update(request.body)
        self.webhooks[hook["webhookID"]] = hook
        return hook

    def _get(self, _: Recorded, match: Any) -> Any:
        hook = self.webhooks.get(match["id"])
        return (
            hook
            if hook
            else (
                404,
                {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Not found"}, "id": "1"},
            )
        )

    def _edit(self, request: Recorded, match: Any) -> Any:
        hook = self.webhooks[match["id"]]
        hook.update(request.body)
        return hook

    def _delete(self, _: Recorded, match: Any) -> Any:
        self.webhooks.pop(match["id"])
        return {"message": "deleted"}

    def _by_address(self, request: Recorded, match: Any) -> Any:
        items = self.history.get(match["a"], [])
        names = [item["signature"] for item in items]
        before, until = request.query.get("before"), request.query.get("until")
        start = names.index(before) + 1 if before in names else 0
        stop = names.index(until) if until in names else len(names)
        return items[start:stop][: int(request.query.get("limit", "100"))]

    def _parse(self, request: Recorded, _: Any) -> Any:
        known = {item["signature"]: item for items in self.history.values() for item in items}
        return [known[s] for s in request.body["transactions"] if s in known]


# --- Jupiter ----------------------------------------------------------------------------


def quote_json(input_mint: str, output_mint: str, amount: int, slippage_bps: int) -> dict[str, Any]:
    """A /quote response (§2.3) with extra fields Jupiter wants passed back unchanged."""
    out = amount * 2358
    return {
        "inputMint": input_mint,
        "inAmount": str(amount),
        "outputMint": output_mint,
        "outAmount": str(out),
        "otherAmountThreshold": str(out * (10000 - slippage_bps) // 10000),
        "swapMode": "ExactIn",
        "slippageBps": slippage_bps,
        "platformFee": None,
        "priceImpactPct": "0.0089",
        "routePlan": [
            {
                "swapInfo": {
                    "ammKey": PAIR,
                    "label": "Pump.fun Amm",
                    "inputMint": input_mint,
                    "outputMint": output_mint,
                    "inAmount": str(amount),
                    "outAmount": str(out),
                    "feeAmount": "625000",
                    "feeMint": SOL,
                },
                "percent": 100,
            }
        ],
        "contextSlot": SLOT,
        "timeTaken": 0.0134,
        "swapUsdValue": "42.5",
    }


def unsigned_swap_transaction(user: str) -> str:
    """A real unsigned v0 transaction paying from `user` (zeroed signature slot), base64."""
    payer = Pubkey.from_string(user)
    instructions = [
        set_compute_unit_limit(187000),
        set_compute_unit_price(534759),
        transfer(TransferParams(from_pubkey=payer, to_pubkey=Pubkey.from_string(PAIR), lamports=1)),
    ]
    message = MessageV0.try_compile(payer, instructions, [], Hash.from_string(BLOCKHASH))
    return base64.b64encode(bytes(VersionedTransaction(message, [NullSigner(payer)]))).decode()


@dataclass
class JupiterWorld:
    """Quote, swap and price routes; special mints and amounts trigger Jupiter's errors."""

    swaps: list[dict[str, Any]] = field(default_factory=list)

    def install(self, fake: FakeVenue) -> None:
        """Register /swap/v1/quote, /swap/v1/swap and /price/v3."""
        fake.route("GET", r"/swap/v1/quote", self._quote)
        fake.route("POST", r"/swap/v1/swap", self._swap)
        fake.route("GET", r"/price/v3", self._prices)

    def _quote(self, request: Recorded, _: Any) -> Any:
        q = request.query
        if q["outputMint"] == NO_ROUTE_MINT:
            return 400, {
                "error": "Could not find any route",
                "errorCode": "COULD_NOT_FIND_ANY_ROUTE",
            }
        if int(q["amount"]) == BAD_AMOUNT:
            return 400, {"error": "Invalid amount"}
        return quote_json(
            q["inputMint"], q["outputMint"], int(q["amount"]), int(q.get("slippageBps", 50))
        )

    def _swap(self, request: Recorded, _: Any) -> Any:
        self.swaps.append(request.body)
        return {
            "swapTransaction": unsigned_swap_transaction(request.body["userPublicKey"]),
            "lastValidBlockHeight": 330502367,
            "prioritizationFeeLamports": 100000,
            "computeUnitLimit": 187000,
            "prioritizationType": {"computeBudget": {"microLamports": 534759}},
            "dynamicSlippageReport": None,
            "simulationError": None,
        }

    def _prices(self, request: Recorded, _: Any) -> Any:
        known = {
            SOL: {
                "createdAt": "2024-06-05T08:55:25.527Z",
                "liquidity": 621679197.67,
                "usdPrice": 170.02,
                "blockId": 352114860,
                "decimals": 9,
                "priceChange24h": 1.29,
            },
            MINT: {
                "createdAt": "2025-10-24T12:30:11.000Z",
                "liquidity": 29876.12,
                "usdPrice": 0.00007159,
                "blockId": 352114858,
                "decimals": 6,
                "priceChange24h": 312.4,
            },
        }
        return {mint: known[mint] for mint in request.query["ids"].split(",") if mint in known}


# --- DexScreener and Birdeye -----------------------------------------------------------


def pair_json(
    base: str,
    *,
    pair: str = PAIR,
    liquidity: float | None = 29876.12,
    price_usd: str = "0.00007159",
) -> dict[str, Any]:
    """A Pair object (§3.1); `liquidity=None` drops the optional block like pump.fun curves."""
    data: dict[str, Any] = {
        "chainId": "solana",
        "dexId": "pumpswap",
        "url": f"https://dexscreener.com/solana/{pair.lower()}",
        "pairAddress": pair,
        "baseToken": {"address": base, "name": "Gorbo the Frog", "symbol": "GORBO"},
        "quoteToken": {"address": SOL, "name": "Wrapped SOL", "symbol": "SOL"},
        "priceNative": "0.0000004211",
        "priceUsd": price_usd,
        "txns": {"m5": {"buys": 41, "sells": 29}, "h24": {"buys": 4120, "sells": 3302}},
        "volume": {"h24": 918233.41, "m5": 6102.33},
        "priceChange": {"h1": -8.4, "h24": 312.4},
        "fdv": 71590,
        "marketCap": 71590,
        "pairCreatedAt": 1761309011000,
        "labels": ["CPMM"],
        "boosts": {"active": 10},
    }
    if liquidity is not None:
        data["liquidity"] = {"usd": liquidity, "base": 208312455, "quote": 87.91}
    return data


def profile_json(chain: str, token: str, *, boost: bool) -> dict[str, Any]:
    """A TokenProfile, or a TokenBoost when `boost`."""
    data: dict[str, Any] = {
        "url": f"https://dexscreener.com/{chain}/{token}",
        "chainId": chain,
        "tokenAddress": token,
        "icon": "https://cdn.dexscreener.com/cms/images/3b1c9e2f7a",
        "header": None,
        "description": "The frog that gorbs.",
        "links": [
            {"label": "Website", "url": "https://gorbo.fun"},
            {"type": "twitter", "url": "https://x.com/gorbofrog"},
        ],
    }
    if boost:
        data.update({"amount": 10, "totalAmount": 40})
    return data


@dataclass
class MarketWorld:
    """DexScreener pairs and profiles; Birdeye prices."""

    pairs: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {MINT: [pair_json(MINT)]}
    )
    birdeye_prices: dict[str, float] = field(default_factory=lambda: {MINT: 0.00007159})
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def install_dexscreener(self, fake: FakeVenue) -> None:
        """Register the DexScreener routes."""
        profiles = [
            profile_json("solana", MINT, boost=False),
            profile_json("ethereum", "0xabc", boost=False),
        ]
        boosts = [
            profile_json("solana", MINT, boost=True),
            profile_json("base", "0xdef", boost=True),
        ]
        fake.route("GET", r"/token-profiles/latest/v1", lambda r, m: profiles)
        fake.route("GET", r"/token-boosts/latest/v1", lambda r, m: boosts)
        fake.route("GET", r"/token-boosts/top/v1", lambda r, m: boosts[:1])
        fake.route(
            "GET", r"/token-pairs/v1/solana/(?P<t>[^/]+)", lambda r, m: self.pairs.get(m["t"], [])
        )
        fake.route("GET", r"/tokens/v1/solana/(?P<t>[^/]+)", self._tokens)
        fake.route("GET", r"/latest/dex/search", self._search)
        fake.route("GET", r"/latest/dex/pairs/solana/(?P<p>[^/]+)", self._pair)

    def _tokens(self, _: Recorded, match: Any) -> Any:
        return [p for mint in match["t"].split(",") for p in self.pairs.get(mint, [])]

    def _search(self, request: Recorded, _: Any) -> Any:
        found = [
            p
            for ps in self.pairs.values()
            for p in ps
            if request.query["q"].upper() in p["baseToken"]["symbol"]
        ]
        return {"schemaVersion": "1.0.0", "pairs": found}

    def _pair(self, _: Recorded, match: Any) -> Any:
        found = [p for ps in self.pairs.values() for p in ps if p["pairAddress"] == match["p"]]
        return {"schemaVersion": "1.0.0", "pairs": found or None}

    def install_birdeye(self, fake: FakeVenue) -> None:
        """Register Birdeye's /defi/price."""
        fake.route("GET", r"/defi/price", self._birdeye)

    def _birdeye(self, request: Recorded, _: Any) -> Any:
        value = self.birdeye_prices.get(request.query["address"])
        if value is None:
            return {"success": False, "message": "Not found"}
        return {
            "success": True,
            "data": {
                "isScaledUiToken": False,
                "value": value,
                "updateUnixTime": 1761312450,
                "updateHumanTime": "2025-10-24T13:27:30",
                "priceChange24h": 312.4,
                "priceInNative": 0.0000004211,
                "liquidity": 29876.12,
            },
        }
