"""The demo's world: the simulator, WallTrack pointed at it, its wallets on the watchlist.

Why the real paths: the demo is what an operator runs to see WallTrack work before giving
it keys, so everything goes over the wire formats the live venues speak: the wallets'
histories come from the simulator's Helius REST API and are profiled by the same rules as
production, the webhook is registered through Helius' webhook API and delivered by HTTP,
and orders are quoted by the fake Jupiter. Only the choice of wallets is a shortcut: the
simulator's known traders (smart wallets and cluster members) instead of discovery.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime

from pydantic import SecretStr

from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.adapters.webhook.helius_receiver import WEBHOOK_PATH
from walltrack.config import Mode, Settings
from walltrack.domain.params import RuntimeParams
from walltrack.domain.profiling import profile_wallet
from walltrack.domain.records.wallets import WalletStatus
from walltrack.domain.swaps import Swap, classify_swap
from walltrack.domain.venues import WebhookSpec
from walltrack.sim.harness import SimConfig, Simulation
from walltrack.sim.thread import SimulationThread

DEMO_DIR = "demo"
HISTORY_PAGES = 5
DEMO_THRESHOLD = 0.45
"""The demo's signal threshold (the reference's, for live trading, is 0.70).

Why lower: the simulated traders buy tokens minutes after launch, with a few thousand
dollars of liquidity and no holder data; the design's token factor scores such a token
0 (young-token penalty) and a solo wallet's cluster factor is 0.5, so their best signals
score about 0.5 and the demo would copy nothing at 0.70. The operator tunes weights and
threshold in the runtime config (dashboard or `walltrack config`); the demo does the same,
once, at start, and says so. `walltrack demo --threshold 0.70` runs the reference's."""


def start_world(seed: int, speed: float, warmup_s: float) -> SimulationThread:
    """The simulated market with every fake venue on loopback, `warmup_s` of history in."""
    return SimulationThread(SimConfig(seed=seed, speed=speed, warmup_s=warmup_s)).start(timeout=300)


def demo_settings(settings: Settings, sim: SimulationThread) -> Settings:
    """Paper mode on embedded stores in a fresh demo directory, venues at the simulator.

    The demo directory is wiped first: a world is rebuilt from its seed, so positions of a
    previous world would refer to tokens that no longer exist.
    """
    data_dir = settings.data_dir / DEMO_DIR
    shutil.rmtree(data_dir, ignore_errors=True)
    endpoints = sim.endpoints
    return settings.model_copy(
        update={
            "mode": Mode.PAPER,
            "data_dir": data_dir,
            "pg_dsn": None,
            "graph_uri": None,
            "keypair": None,
            "helius_base_url": endpoints.helius_base_url,
            "helius_api_key": SecretStr(endpoints.helius_api_key),
            "helius_webhook_secret": SecretStr(secrets.token_urlsafe(24)),
            "helius_webhook_hmac_secret": None,
            "webhook_public_url": (
                f"http://{settings.webhook_host}:{settings.webhook_port}{WEBHOOK_PATH}"
            ),
            "rpc_urls": endpoints.rpc_urls,
            "jupiter_base_url": endpoints.jupiter_base_url,
            "dexscreener_base_url": endpoints.dexscreener_base_url,
            "birdeye_base_url": endpoints.birdeye_base_url,
            "birdeye_api_key": SecretStr("sim-birdeye-key"),
        }
    )


def known_traders(sim: SimulationThread) -> list[str]:
    """The simulator's smart wallets and cluster members, sorted."""

    def read(simulation: Simulation) -> list[str]:
        roles = simulation.world.ctx.roles
        return sorted({*roles.smart, *(m for c in roles.clusters for m in c.members)})

    return sim.call(read)


@dataclass(frozen=True, slots=True, kw_only=True)
class SeededWallet:
    """A wallet put on the watchlist, with what its profile said."""

    address: str
    trades: int
    win_rate: float
    score: float


async def _history(helius: HeliusClient, wallet: str) -> list[Swap]:
    swaps: list[Swap] = []
    pages = helius.iter_transactions_for_address(wallet, max_pages=HISTORY_PAGES)
    async for page in pages:
        for tx in page:
            swap = classify_swap(dict(tx), wallet)
            if isinstance(swap, Swap):
                swaps.append(swap)
    return sorted(swaps, key=lambda s: (s.timestamp, s.slot, s.signature))


async def _profile_all(
    settings: Settings,
    stores: PostgresStores,
    wallets: list[str],
    *,
    params: RuntimeParams,
    now: datetime,
    webhook_url: str,
) -> list[SeededWallet]:
    key = settings.helius_api_key
    assert key is not None
    helius = HeliusClient(api_key=key.get_secret_value(), base_url=settings.helius_base_url)
    seeded: list[SeededWallet] = []
    try:
        for wallet in wallets:
            history = await _history(helius, wallet)
            profile = profile_wallet(
                history,
                token_entries={},
                params=params.profiling,
                weights=params.scoring.wallet,
            )
            repository = stores.wallets
            await asyncio.to_thread(repository.add_discovered, wallet, at=now)
            await asyncio.to_thread(repository.save_profile, wallet, profile, profiled_at=now)
            await asyncio.to_thread(repository.set_status, wallet, WalletStatus.PROFILED, at=now)
            await asyncio.to_thread(repository.set_status, wallet, WalletStatus.WATCHLISTED, at=now)
            seeded.append(
                SeededWallet(
                    address=wallet,
                    trades=profile.trade_count,
                    win_rate=profile.win_rate,
                    score=profile.score,
                )
            )
        await helius.create_webhook(
            WebhookSpec(
                webhook_url=webhook_url,
                account_addresses=tuple(wallets),
                auth_header=_secret(settings),
            )
        )
    finally:
        await helius.aclose()
    return seeded


def seed_watchlist(
    settings: Settings,
    stores: PostgresStores,
    wallets: list[str],
    *,
    params: RuntimeParams,
    now: datetime,
    http_base: str,
) -> list[SeededWallet]:
    """Profile `wallets` from their Helius history, watchlist them, point the webhook here."""
    webhook_url = f"{http_base}{WEBHOOK_PATH}"
    return asyncio.run(
        _profile_all(settings, stores, wallets, params=params, now=now, webhook_url=webhook_url)
    )


def apply_demo_threshold(stores: PostgresStores, threshold: float) -> RuntimeParams:
    """Set the signal threshold through the runtime config (validated, hot, in history)."""
    return stores.config.update("scoring.threshold", threshold, "walltrack demo")


def _secret(settings: Settings) -> str:
    secret = settings.helius_webhook_secret
    assert secret is not None
    return secret.get_secret_value()
