"""Display market data of simulated tokens: prices in USD, windows, DexScreener objects.

Why floats here and only here: these are what public market-data APIs publish (decimal
strings and JSON numbers for display), derived from the integer state of curves and pools.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from walltrack.sim.constants import WSOL_MINT
from walltrack.sim.tokens import SimToken

type Json = dict[str, Any]

WINDOWS = (("m5", 300.0), ("h1", 3600.0), ("h6", 21600.0), ("h24", 86400.0))
SUPPLY_TOKENS = 1_000_000_000


def decimal_text(value: float, significant: int = 4) -> str:
    """A plain (non-scientific) decimal string with `significant` digits: "0.0000004211"."""
    if value == 0 or not math.isfinite(value):
        return "0"
    digits = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{digits}f}"


def price_usd(token: SimToken, sol_usd: float) -> float:
    """USD per whole token."""
    return token.price() * sol_usd


def liquidity_usd(token: SimToken, sol_usd: float) -> float:
    """Both sides of the pool (or twice the curve's real SOL) in USD."""
    return 2.0 * token.reserves()[0] / 1e9 * sol_usd


def change_pct(token: SimToken, now: float, seconds: float) -> float | None:
    """Price change over the window in percent, or None without trades before it."""
    _, _, _, opening = token.stats.window(now, seconds)
    if opening is None or opening <= 0:
        return None
    return round((token.price() / opening - 1.0) * 100.0, 2)


def _ms(genesis_unix: int, t: float) -> int:
    return int((genesis_unix + t) * 1000)


def pair(token: SimToken, *, now: float, sol_usd: float, genesis_unix: int, on_curve: bool) -> Json:
    """A DexScreener Pair for the token's curve (`pumpfun`) or pool (`pumpswap`)."""
    live = on_curve == (token.pool is None)
    address = token.curve_address if on_curve else token.pool_address
    price = token.price() if live else token.curve.price()
    txns: Json = {}
    volume: Json = {}
    changes: Json = {}
    for name, seconds in WINDOWS:
        buys, sells, lamports, _ = token.stats.window(now, seconds) if live else (0, 0, 0, None)
        txns[name] = {"buys": buys, "sells": sells}
        volume[name] = round(lamports / 1e9 * sol_usd, 2)
        change = change_pct(token, now, seconds) if live else None
        if change is not None:
            changes[name] = change
    cap = round(price * sol_usd * SUPPLY_TOKENS, 2)
    created = token.launch_t if on_curve else (token.migrated_t or token.launch_t)
    body: Json = {
        "chainId": "solana",
        "dexId": "pumpfun" if on_curve else "pumpswap",
        "url": f"https://dexscreener.com/solana/{address.lower()}",
        "pairAddress": address,
        "baseToken": {"address": token.mint, "name": token.name, "symbol": token.symbol},
        "quoteToken": {"address": WSOL_MINT, "name": "Wrapped SOL", "symbol": "SOL"},
        "priceNative": decimal_text(price),
        "priceUsd": decimal_text(price * sol_usd),
        "txns": txns,
        "volume": volume,
        "priceChange": changes,
        "fdv": cap,
        "marketCap": cap,
        "pairCreatedAt": _ms(genesis_unix, created),
    }
    if not on_curve and token.pool is not None:
        body["liquidity"] = {
            "usd": round(liquidity_usd(token, sol_usd), 2),
            "base": round(token.pool.token_reserve / 1e6),
            "quote": round(token.pool.sol_reserve / 1e9, 4),
        }
    if token.script.profile_tau is not None and now >= token.launch_t + token.script.profile_tau:
        body["info"] = _info(token)
    if token.script.boost_amount:
        body["boosts"] = {"active": token.script.boost_amount}
    return body


def _info(token: SimToken) -> Json:
    slug = token.symbol.lower()
    return {
        "imageUrl": f"https://dd.dexscreener.com/ds-data/tokens/solana/{token.mint}.png",
        "websites": [{"label": "Website", "url": f"https://{slug}.fun"}],
        "socials": [{"type": "twitter", "url": f"https://x.com/{slug}onsol"}],
    }


def profile(token: SimToken, *, boosted: bool) -> Json:
    """A DexScreener TokenProfile (or TokenBoost when `boosted`)."""
    slug = token.symbol.lower()
    body: Json = {
        "url": f"https://dexscreener.com/solana/{token.mint}",
        "chainId": "solana",
        "tokenAddress": token.mint,
    }
    if boosted:
        body["amount"] = token.script.boost_amount
        body["totalAmount"] = token.script.boost_amount * (1 + token.index % 3)
    body.update(
        {
            "icon": f"https://cdn.dexscreener.com/cms/images/{token.mint[:10].lower()}",
            "header": f"https://cdn.dexscreener.com/cms/images/{token.mint[-10:].lower()}",
            "description": f"{token.name}: the {token.symbol} community coin.",
            "links": [
                {"label": "Website", "url": f"https://{slug}.fun"},
                {"type": "twitter", "url": f"https://x.com/{slug}onsol"},
            ],
        }
    )
    return body


def decoy_profile(index: int, *, boosted: bool) -> Json:
    """A profile from another chain: real feeds are cross-chain and must be filtered."""
    address = "0x" + hashlib.sha256(f"decoy:{index}".encode()).hexdigest()[:40]
    body: Json = {
        "url": f"https://dexscreener.com/base/{address}",
        "chainId": "base",
        "tokenAddress": address,
    }
    if boosted:
        body.update({"amount": 10, "totalAmount": 10})
    body.update({"icon": None, "header": None, "description": "Not on Solana.", "links": []})
    return body
