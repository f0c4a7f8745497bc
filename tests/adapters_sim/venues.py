"""Venue clients aimed at a running simulation, their waits recorded on a manual clock.

Why a builder: each test wants the real clients exactly as production builds them (same
paths, limits, retry policy, breaker thresholds), changed in one way only: where they
point (the simulator's endpoints) and how they wait (Timekeeper.sleep, never for real).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx

from tests.adapters.conftest import GENEROUS, Timekeeper
from walltrack.adapters.birdeye import BirdeyeClient
from walltrack.adapters.dexscreener import DexScreenerClient
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.price_fallback import FallbackPriceSource
from walltrack.adapters.resilience import MetricsRegistry, RateLimit
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.sim.harness import Simulation

type Limits = Mapping[str, RateLimit] | RateLimit


class SimVenues:
    """Builds each venue client against `sim`; all share one metrics registry."""

    def __init__(self, sim: Simulation, time: Timekeeper, http: httpx.AsyncClient) -> None:
        self.sim = sim
        self.time = time
        self.http = http
        self.registry = MetricsRegistry()

    def helius(
        self, *, limits: Limits = GENEROUS, timeout_s: float = 5.0, seed: int = 7
    ) -> HeliusClient:
        """The Helius REST client with the simulator's API key."""
        endpoints = self.sim.endpoints
        return HeliusClient(
            api_key=endpoints.helius_api_key,
            base_url=endpoints.helius_base_url,
            client=self.http,
            guard=self.time.guard("helius", limits, seed=seed),
            registry=self.registry,
            timeout_s=timeout_s,
        )

    def rpc(
        self,
        urls: Sequence[str] | None = None,
        *,
        limits: Limits = GENEROUS,
        timeout_s: float = 5.0,
        seed: int = 7,
    ) -> SolanaRpcClient:
        """The RPC client over the simulator's providers (rpc-0, rpc-1), in that order."""
        chosen = list(urls or self.sim.endpoints.rpc_urls)
        guards = [
            self.time.guard(f"solana_rpc#{index}", limits, seed=seed + index)
            for index in range(len(chosen))
        ]
        return SolanaRpcClient(
            chosen, client=self.http, guards=guards, registry=self.registry, timeout_s=timeout_s
        )

    def jupiter(
        self, *, limits: Limits = GENEROUS, timeout_s: float = 5.0, seed: int = 7
    ) -> JupiterClient:
        """The Jupiter swap and price client."""
        return JupiterClient(
            base_url=self.sim.endpoints.jupiter_base_url,
            api_key="sim-jupiter-key",
            client=self.http,
            guard=self.time.guard("jupiter", limits, seed=seed),
            registry=self.registry,
            quote_timeout_s=timeout_s,
            swap_timeout_s=timeout_s,
        )

    def dexscreener(
        self, *, limits: Limits = GENEROUS, timeout_s: float = 5.0, seed: int = 7
    ) -> DexScreenerClient:
        """The DexScreener client."""
        return DexScreenerClient(
            base_url=self.sim.endpoints.dexscreener_base_url,
            client=self.http,
            guard=self.time.guard("dexscreener", limits, seed=seed),
            registry=self.registry,
            timeout_s=timeout_s,
        )

    def birdeye(
        self, *, limits: Limits = GENEROUS, timeout_s: float = 5.0, seed: int = 7
    ) -> BirdeyeClient:
        """The Birdeye price client."""
        return BirdeyeClient(
            api_key="sim-birdeye-key",
            base_url=self.sim.endpoints.birdeye_base_url,
            client=self.http,
            guard=self.time.guard("birdeye", limits, seed=seed),
            registry=self.registry,
            timeout_s=timeout_s,
        )

    def prices(self, dexscreener: DexScreenerClient, birdeye: BirdeyeClient) -> FallbackPriceSource:
        """DexScreener first, Birdeye when it cannot answer (the declared fallback)."""
        source = FallbackPriceSource(dexscreener, birdeye)
        self.registry.register(source.metrics)
        return source
