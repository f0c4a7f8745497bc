"""The venue clients of the signal path, built from the settings on one event loop.

Why together: every client must live on the loop it first ran on (httpx), they share the
metrics registry /metrics renders, and they close together after the tree stopped. What
is optional is said here once: without a Birdeye key, prices come from DexScreener alone;
without a Helius API key, the RPC backfill of missed webhooks is off (logged, not hidden).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from walltrack.adapters.birdeye import DEFAULT_BIRDEYE_RATE_LIMIT, BirdeyeClient
from walltrack.adapters.dexscreener import DEXSCREENER_LIMITS, DexScreenerClient
from walltrack.adapters.dexscreener import VENUE as DEXSCREENER_VENUE
from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.helius import HELIUS_RATE_LIMIT, HeliusClient
from walltrack.adapters.helius import VENUE as HELIUS_VENUE
from walltrack.adapters.resilience import RateLimit
from walltrack.adapters.resilience.guard import build_guard
from walltrack.adapters.resilience.metrics import MetricsRegistry
from walltrack.adapters.solana_rpc import DEFAULT_RPC_RATE_LIMIT, SolanaRpcClient
from walltrack.adapters.swap_backfill import PolledSwaps
from walltrack.config import Settings
from walltrack.logging import get_logger

_log = get_logger("venues")
CLOSE_TIMEOUT_S = 5.0


@dataclass(slots=True, kw_only=True)
class VenueClients:
    """The signal path's venues and the loop they run on."""

    runner: AsyncRunner
    metrics: MetricsRegistry
    dexscreener: DexScreenerClient
    birdeye: BirdeyeClient | None
    helius: HeliusClient | None
    rpc: SolanaRpcClient
    recent_swaps: PolledSwaps | None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The loop the clients run on."""
        return self.runner.loop

    @property
    def prices(self) -> BirdeyeClient | None:
        """The price source for bonding-curve liquidity (None: DexScreener data only)."""
        return self.birdeye

    def close(self) -> None:
        """Release every client's connections (the runner itself belongs to trading)."""
        closers = [self.dexscreener.aclose, self.rpc.aclose]
        closers += [c.aclose for c in (self.birdeye, self.helius) if c is not None]
        for close in closers:
            try:
                self.runner.run(close, CLOSE_TIMEOUT_S)
            except Exception as error:  # closing must go on with the next one
                _log.warning("venue_close_failed", error=type(error).__name__)


def scaled(limit: RateLimit, scale: float) -> RateLimit:
    """`limit` with `scale` times the requests in the same window.

    Why: the demo's simulator compresses time by its speed; scaling the quotas by the same
    factor gives the demo the quota per market-minute production has (the simulator's
    venues themselves enforce none). Production runs at scale 1.
    """
    burst = None if limit.burst is None else max(1, round(limit.burst * scale))
    return RateLimit(limit=max(1, round(limit.limit * scale)), window_s=limit.window_s, burst=burst)


def open_venue_clients(
    settings: Settings, runner: AsyncRunner, metrics: MetricsRegistry, *, rate_scale: float = 1.0
) -> VenueClients:
    """The clients the settings configure (no request is made yet)."""
    birdeye_key = settings.birdeye_api_key
    birdeye = (
        None
        if birdeye_key is None
        else BirdeyeClient(
            api_key=birdeye_key.get_secret_value(),
            base_url=settings.birdeye_base_url,
            registry=metrics,
            rate_limit=scaled(DEFAULT_BIRDEYE_RATE_LIMIT, rate_scale),
        )
    )
    helius_key = settings.helius_api_key
    helius = (
        None
        if helius_key is None
        else HeliusClient(
            api_key=helius_key.get_secret_value(),
            base_url=settings.helius_base_url,
            registry=metrics,
            guard=build_guard(HELIUS_VENUE, scaled(HELIUS_RATE_LIMIT, rate_scale)),
        )
    )
    rpc = SolanaRpcClient(
        list(settings.rpc_urls),
        registry=metrics,
        rate_limit=scaled(DEFAULT_RPC_RATE_LIMIT, rate_scale),
    )
    dex_limits = {bucket: scaled(limit, rate_scale) for bucket, limit in DEXSCREENER_LIMITS.items()}
    if helius is None:
        _log.warning("backfill_disabled", reason="WALLTRACK_HELIUS_API_KEY is not set")
    return VenueClients(
        runner=runner,
        metrics=metrics,
        dexscreener=DexScreenerClient(
            base_url=settings.dexscreener_base_url,
            registry=metrics,
            guard=build_guard(DEXSCREENER_VENUE, dex_limits),
        ),
        birdeye=birdeye,
        helius=helius,
        rpc=rpc,
        recent_swaps=None if helius is None else PolledSwaps(rpc, helius.parse_transactions),
    )
