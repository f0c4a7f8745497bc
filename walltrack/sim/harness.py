"""Starting the whole offline world from Python: `async with start_simulation(...) as sim`.

Why one entry point: the pipeline, the demo, the benchmarks and the tests all need the
same thing — a seeded world, its clock, and every fake venue on loopback with its URL —
and must shut it all down cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from walltrack.clock import ManualClock, SimClock
from walltrack.sim.events import TransferEvent
from walltrack.sim.ground_truth import ground_truth, write_ground_truth
from walltrack.sim.params import MarketParams
from walltrack.sim.runner import SimRunner
from walltrack.sim.servers.birdeye import birdeye_app
from walltrack.sim.servers.context import ApiKeys, SimServices
from walltrack.sim.servers.control import control_app
from walltrack.sim.servers.dexscreener import dexscreener_app
from walltrack.sim.servers.faults import FaultBoard, FaultInjector
from walltrack.sim.servers.helius import helius_app
from walltrack.sim.servers.http import VenueServer
from walltrack.sim.servers.jupiter import jupiter_app
from walltrack.sim.servers.rpc import rpc_app
from walltrack.sim.servers.webhooks import WebhookPusher, WebhookRegistry
from walltrack.sim.world import DEFAULT_START, World

SIM_HELIUS_KEY = "sim-helius-key"


@dataclass(frozen=True, slots=True, kw_only=True)
class SimConfig:
    """How to run the world. `speed=None` runs as fast as possible; `autorun=False` leaves
    time still until `Simulation.advance()` is called (deterministic tests)."""

    seed: int = 1
    speed: float | None = 60.0
    autorun: bool = True
    warmup_s: float = 0.0
    duration_s: float | None = None
    retention_s: float | None = 4 * 3600.0
    start: datetime = DEFAULT_START
    params: MarketParams = field(default_factory=MarketParams)
    api_keys: ApiKeys = field(default_factory=ApiKeys)
    rpc_providers: int = 2
    blockhash_valid_slots: int = 150
    webhook_delay_s: tuple[float, float] = (0.5, 3.0)
    webhook_retry_interval_s: float = 60.0
    webhook_timeout_s: float = 10.0
    webhook_batch_max: int = 1
    webhook_duplicate_rate: float = 0.01
    tick_s: float = 0.02
    host: str = "127.0.0.1"


@dataclass(frozen=True, slots=True, kw_only=True)
class SimEndpoints:
    """Base URLs of the fake venues (no trailing slash)."""

    helius_base_url: str
    helius_api_key: str
    rpc_urls: tuple[str, ...]
    jupiter_base_url: str
    dexscreener_base_url: str
    birdeye_base_url: str
    control_url: str

    def as_env(self) -> dict[str, str]:
        """The WALLTRACK_* variables that point WallTrack at this world."""
        return {
            "WALLTRACK_HELIUS_BASE_URL": self.helius_base_url,
            "WALLTRACK_HELIUS_API_KEY": self.helius_api_key,
            "WALLTRACK_RPC_URLS": ",".join(self.rpc_urls),
            "WALLTRACK_JUPITER_BASE_URL": self.jupiter_base_url,
            "WALLTRACK_DEXSCREENER_BASE_URL": self.dexscreener_base_url,
            "WALLTRACK_BIRDEYE_BASE_URL": self.birdeye_base_url,
        }

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view (what `walltrack sim` prints)."""
        return {
            "helius": self.helius_base_url,
            "helius_api_key": self.helius_api_key,
            "rpc": list(self.rpc_urls),
            "jupiter": self.jupiter_base_url,
            "dexscreener": self.dexscreener_base_url,
            "birdeye": self.birdeye_base_url,
            "control": self.control_url,
        }


class Simulation:
    """A running world with its venues. Use only from the event loop that started it."""

    def __init__(
        self,
        *,
        config: SimConfig,
        world: World,
        runner: SimRunner,
        clock: SimClock | ManualClock,
        services: SimServices,
        faults: FaultBoard,
        registry: WebhookRegistry,
        pusher: WebhookPusher,
    ) -> None:
        self.config = config
        self.world = world
        self.runner = runner
        self.clock = clock
        self.services = services
        self.faults = faults
        self.webhooks = registry
        self.pusher = pusher
        self._endpoints: SimEndpoints | None = None

    @property
    def endpoints(self) -> SimEndpoints:
        """Base URLs of the venues (available once `start_simulation` has yielded)."""
        if self._endpoints is None:
            msg = "the venues are not listening yet"
            raise RuntimeError(msg)
        return self._endpoints

    def now(self) -> datetime:
        """Current simulated wall time."""
        return self.world.datetime_at(self.world.now)

    async def advance(self, seconds: float) -> None:
        """Manual mode only: move the world `seconds` forward."""
        if self.config.autorun:
            msg = "advance() is for autorun=False; the runner owns time otherwise"
            raise RuntimeError(msg)
        await self.runner.advance(seconds)

    async def wait_until(self, sim_seconds: float) -> None:
        """Wait for the world to reach `sim_seconds` (autorun modes)."""
        await self.runner.wait_until(sim_seconds)

    def add_webhook(
        self,
        url: str,
        *,
        auth_header: str | None = None,
        addresses: list[str] | tuple[str, ...] = (),
        transaction_types: tuple[str, ...] = ("ANY",),
    ) -> str:
        """Register a webhook directly (as POST /v0/webhooks would); returns its id."""
        hook = self.webhooks.create(
            {
                "webhookURL": url,
                "transactionTypes": list(transaction_types),
                "accountAddresses": list(addresses),
                "authHeader": auth_header,
                "webhookType": "enhanced",
            }
        )
        return hook.webhook_id

    def fund(self, address: str, lamports: int) -> TransferEvent:
        """Credit `address` now (a faucet transfer that lands on chain)."""
        return self.world.airdrop(address, lamports)

    def ground_truth(self) -> dict[str, Any]:
        """The ground truth as of now."""
        return ground_truth(self.world)

    def write_ground_truth(self, path: Path) -> None:
        """Write the ground truth as JSON."""
        write_ground_truth(self.world, path)

    def status(self) -> dict[str, Any]:
        """Time, size and endpoints (the control API's /status)."""
        return {
            "seed": self.world.seed,
            "sim_seconds": self.world.now,
            "time": self.now().isoformat(),
            "slot": self.world.slot,
            "events": self.world.market.next_seq,
            "tokens": len(self.world.market.token_list),
            "speed": self.config.speed,
            "webhooks": dict(self.pusher.stats),
            "endpoints": self._endpoints.as_dict() if self._endpoints else None,
        }


@contextlib.asynccontextmanager
async def start_simulation(config: SimConfig | None = None) -> AsyncIterator[Simulation]:
    """Build the world, start every venue on a free loopback port, run time, clean up."""
    config = config or SimConfig()
    world = World(config.seed, config.params, config.start, retention_s=config.retention_s)
    world.advance_to(config.warmup_s)
    fast = config.speed is None
    clock: SimClock | ManualClock
    origin = config.start + timedelta(seconds=config.warmup_s)
    clock = (
        ManualClock(origin) if fast or not config.autorun else SimClock(origin, config.speed or 1.0)
    )
    runner = SimRunner(
        world,
        clock,
        offset=config.warmup_s,
        fast=fast,
        tick_s=config.tick_s,
        until=None if config.duration_s is None else config.warmup_s + config.duration_s,
    )
    services = SimServices(
        world, api_keys=config.api_keys, blockhash_valid_slots=config.blockhash_valid_slots
    )
    names = [
        "helius",
        "webhook",
        "jupiter",
        "dexscreener",
        "birdeye",
        *(f"rpc-{i}" for i in range(config.rpc_providers)),
    ]
    faults = FaultBoard({name: FaultInjector(name, config.seed) for name in names})
    faults["webhook"].configure(duplicate_rate=config.webhook_duplicate_rate)
    registry = WebhookRegistry(config.seed, world.keys.wallet("helius-account", 0))
    speed = config.speed if config.speed else 0.0
    scale = (1.0 / speed) if speed else 0.0
    low, high = config.webhook_delay_s
    pusher = WebhookPusher(
        services,
        registry,
        faults["webhook"],
        retry_interval_s=config.webhook_retry_interval_s * scale,
        delay_s=(low * scale, high * scale),
        timeout_s=config.webhook_timeout_s,
        batch_max=config.webhook_batch_max,
    )
    sim = Simulation(
        config=config,
        world=world,
        runner=runner,
        clock=clock,
        services=services,
        faults=faults,
        registry=registry,
        pusher=pusher,
    )
    servers = {
        "helius": VenueServer(
            "helius", helius_app(services, registry, faults["helius"]), config.host
        ),
        "jupiter": VenueServer("jupiter", jupiter_app(services, faults["jupiter"]), config.host),
        "dexscreener": VenueServer(
            "dexscreener", dexscreener_app(services, faults["dexscreener"]), config.host
        ),
        "birdeye": VenueServer("birdeye", birdeye_app(services, faults["birdeye"]), config.host),
        "control": VenueServer("control", control_app(services, faults, sim.status), config.host),
    }
    for i in range(config.rpc_providers):
        servers[f"rpc-{i}"] = VenueServer(
            f"rpc-{i}", rpc_app(services, faults[f"rpc-{i}"]), config.host
        )
    task: asyncio.Task[None] | None = None
    try:
        urls = {name: await server.start() for name, server in servers.items()}
        sim._endpoints = SimEndpoints(
            helius_base_url=urls["helius"],
            helius_api_key=config.api_keys.helius or SIM_HELIUS_KEY,
            rpc_urls=tuple(urls[f"rpc-{i}"] for i in range(config.rpc_providers)),
            jupiter_base_url=urls["jupiter"],
            dexscreener_base_url=urls["dexscreener"],
            birdeye_base_url=urls["birdeye"],
            control_url=urls["control"],
        )
        await pusher.start()
        if config.autorun:
            task = asyncio.create_task(runner.run())
        yield sim
    finally:
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await pusher.stop()
        for server in servers.values():
            await server.stop()
