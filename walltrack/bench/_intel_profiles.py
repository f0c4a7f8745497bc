"""`profile_wallets_per_s`: wallets profiled per second from stored history, real PostgreSQL.

Setup (not timed): a seeded simulated hour; every swap rendered as the Helius enhanced
transaction it is on the wire and classified by the production classifier; each token's
buyers' order stored as wallet discovery stores it; the wallets recorded as discovered.
Timed, as a profiling run over all of them: read the traded tokens' buyers from
PostgreSQL once and rank them, then per wallet FIFO-pair its trades, compute the profile
(PnL in SOL, win rate, timing, consistency, hours, size, confidence, bot and flash-flip
flags) and store it.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from walltrack.adapters.intel.store import IntelStore
from walltrack.adapters.intel.token_history import TokenScan
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.embedded import EmbeddedPostgres
from walltrack.adapters.postgres.migrate import prepare_schema
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.params import default_params
from walltrack.domain.profiling import buyer_entries, profile_wallet
from walltrack.domain.swap_types import Side, Swap
from walltrack.domain.swaps import classify_swap
from walltrack.sim.enhanced_tx import EnhancedRenderer
from walltrack.sim.events import SwapEvent
from walltrack.sim.world import World

SCHEMA = "walltrack_paper"
WORLD_SECONDS = 3600.0
MAX_WALLETS = 1000
MIN_SWAPS = 4


def stored_histories(seed: int = 3) -> dict[str, list[Swap]]:
    """Up to MAX_WALLETS wallets' classified swaps from a simulated hour, oldest first."""
    world = World(seed)
    world.advance_to(WORLD_SECONDS)
    market = world.market
    renderer = EnhancedRenderer(market)
    by_wallet: defaultdict[str, list[SwapEvent]] = defaultdict(list)
    for seq in range(market.base_seq, market.next_seq):
        event = market.event(seq)
        if type(event) is SwapEvent:
            by_wallet[event.wallet].append(event)
    chosen = sorted(w for w, events in by_wallet.items() if len(events) >= MIN_SWAPS)
    histories: dict[str, list[Swap]] = {}
    for wallet in chosen[:MAX_WALLETS]:
        swaps = [classify_swap(renderer.render(e), wallet) for e in by_wallet[wallet]]
        histories[wallet] = [s for s in swaps if isinstance(s, Swap)]
    return histories


def _store_buyers(store: IntelStore, histories: dict[str, list[Swap]], at: datetime) -> None:
    first: defaultdict[str, dict[str, datetime]] = defaultdict(dict)
    for wallet, swaps in histories.items():
        for swap in swaps:
            if swap.side is Side.BUY:
                known = first[swap.token_mint].get(wallet)
                if known is None or swap.timestamp < known:
                    first[swap.token_mint][wallet] = swap.timestamp
    for mint, buyers in first.items():
        oldest = min(buyers.values())
        store.save_scan(
            TokenScan(
                mint=mint,
                swaps=(),
                launched_at=oldest,
                oldest_at=oldest,
                transactions=len(buyers),
                pages=1,
                reached_launch=True,
                first_buy_at=buyers,
                prices=(),
            ),
            at=at,
        )


def profile_metrics() -> dict[str, float | int]:
    """Profile every stored wallet once against a private embedded PostgreSQL."""
    histories = stored_histories()
    params = default_params()
    with tempfile.TemporaryDirectory(prefix="walltrack-bench-profiles-") as scratch:
        server = EmbeddedPostgres(Path(scratch))
        dsn = server.start()
        try:
            prepare_schema(dsn, SCHEMA)
            db = Database(dsn, schema=SCHEMA).open()
            try:
                store, wallets = IntelStore(db), WalletRepository(db)
                at = max(s.timestamp for swaps in histories.values() for s in swaps)
                _store_buyers(store, histories, at)
                for wallet in histories:
                    wallets.add_discovered(wallet, at=at)
                started = time.perf_counter()
                traded = {
                    s.token_mint
                    for swaps in histories.values()
                    for s in swaps
                    if s.side is Side.BUY
                }
                ranks = {m: buyer_entries(b) for m, b in store.first_buys(traded).items()}
                for wallet, swaps in histories.items():
                    mints = {s.token_mint for s in swaps if s.side is Side.BUY}
                    entries = {m: ranks[m][wallet] for m in mints if wallet in ranks.get(m, {})}
                    profile = profile_wallet(
                        swaps,
                        token_entries=entries,
                        params=params.profiling,
                        weights=params.scoring.wallet,
                    )
                    wallets.save_profile(wallet, profile, profiled_at=at)
                elapsed = time.perf_counter() - started
            finally:
                db.close()
        finally:
            server.stop()
    swaps_total = sum(len(s) for s in histories.values())
    return {
        "profile_wallets_per_s": round(len(histories) / elapsed, 1),
        "profile_wallets": len(histories),
        "profile_swaps": swaps_total,
    }
