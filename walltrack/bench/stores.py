"""`walltrack bench stores`: PostgreSQL latencies, graph throughput, embedded start-up.

Why a private embedded server in a temporary directory: the figures must never depend on
(or touch) an operator's data, and they measure the zero-setup default a newcomer gets,
with its real durability settings (fsync on; snapshot writes use asynchronous commit, as
in production).

PostgreSQL figures (targets in the README):
- pg_hot_read_p99_ms: wallet profile by address through WalletRepository.get, 10,000
  wallets with profiles, 5,000 random reads (target <= 2);
- pg_signal_insert_p99_ms: SignalRepository.insert of scored signals with their factor
  breakdown, one transaction each (target <= 5);
- snapshot_write_p99_ms: PostgresSnapshotStore.save of a ~1 KB actor state (target <= 5);
- pg_embedded_start_s: empty data directory -> initdb, start, database created, healthy;
- bench_noise_p99_ms: p99 of a ~30 µs pure-Python loop just before, to tell machine
  contention (other processes on the same cores) apart from store latency;
- embedded_start_s: both embedded servers (PostgreSQL and the ArcadeDB graph) started in
  parallel from empty data directories until both are healthy (target <= 6); when the
  graph part is unavailable this is the PostgreSQL figure alone.
The graph figures come from walltrack.bench._graph.graph_metrics().
"""

from __future__ import annotations

import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from walltrack.bench import Metrics

_SEED = 20_261_122
_T0 = datetime(2026, 11, 22, tzinfo=UTC)
_WALLETS = 10_000
_READS = 5_000
_SIGNALS = 2_000
_SNAPSHOTS = 2_000
_SCHEMA = "walltrack_paper"


def run() -> Metrics:
    """Measure the PostgreSQL figures, then the graph ones, then both servers together."""
    metrics: Metrics = {}
    with tempfile.TemporaryDirectory(prefix="walltrack-bench-pg-") as scratch:
        metrics |= _postgres_metrics(Path(scratch))
    graph = _graph_metrics()
    metrics |= graph
    if graph:
        metrics["embedded_start_s"] = round(_parallel_start_s(), 3)
    else:
        metrics["embedded_start_s"] = metrics["pg_embedded_start_s"]
    return metrics


def _postgres_metrics(root: Path) -> Metrics:
    from walltrack.adapters.postgres.database import Database  # noqa: PLC0415
    from walltrack.adapters.postgres.embedded import EmbeddedPostgres  # noqa: PLC0415
    from walltrack.adapters.postgres.migrate import prepare_schema  # noqa: PLC0415

    server = EmbeddedPostgres(root / "data")
    started = time.perf_counter()
    dsn = server.start()
    cold_start_s = time.perf_counter() - started
    try:
        started = time.perf_counter()
        prepare_schema(dsn, _SCHEMA)
        migrate_s = time.perf_counter() - started
        with Database(dsn, schema=_SCHEMA, min_size=2, max_size=4) as db:
            rng = random.Random(_SEED)
            addresses = _seed_wallets(db, rng)
            noise = _p99_ms(_timed(lambda: sum(range(2000)), 3000))
            hot_read = _p99_ms(_hot_reads(db, addresses, rng))
            signal_insert = _p99_ms(_signal_inserts(db, addresses, rng))
            snapshot_write = _p99_ms(_snapshot_writes(db, rng))
        server.stop()
        started = time.perf_counter()
        server.start()
        restart_s = time.perf_counter() - started
    finally:
        server.stop()
    return {
        "pg_hot_read_p99_ms": hot_read,
        "pg_signal_insert_p99_ms": signal_insert,
        "snapshot_write_p99_ms": snapshot_write,
        "pg_embedded_start_s": round(cold_start_s, 3),
        "pg_embedded_restart_s": round(restart_s, 3),
        "pg_migrate_s": round(migrate_s, 3),
        "bench_noise_p99_ms": noise,
    }


def _seed_wallets(db: Any, rng: random.Random) -> list[str]:
    addresses = [f"BenchWallet{i:06d}{rng.getrandbits(64):016x}" for i in range(_WALLETS)]
    rows = [
        (
            address,
            _T0,
            _T0,
            rng.randrange(1, 400),
            rng.random(),
            rng.randrange(-(10**11), 10**11),
            rng.random(),
            [rng.randrange(24) for _ in range(3)],
        )
        for address in addresses
    ]

    def insert(conn: Any) -> None:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO wallets (address, status_changed_at, discovered_at, trade_count,"
                " win_rate, total_pnl_lamports, score, preferred_hours, status)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'watchlisted')",
                rows,
            )

    db.write(insert)
    # Steady state, as autovacuum leaves a live table: hint bits set, statistics fresh.
    # Without it the first read of each freshly loaded page also writes WAL (checksums).
    db.read(lambda conn: conn.execute("VACUUM (ANALYZE) wallets"))
    return addresses


def _timed(action: Callable[[], object], count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return timings


def _hot_reads(db: Any, addresses: list[str], rng: random.Random) -> list[float]:
    from walltrack.adapters.postgres.repositories.wallets import WalletRepository  # noqa: PLC0415

    wallets = WalletRepository(db)
    _timed(lambda: wallets.get(rng.choice(addresses)), 300)  # warm-up: pool, prepared plan
    return _timed(lambda: wallets.get(rng.choice(addresses)), _READS)


def _signal_inserts(db: Any, addresses: list[str], rng: random.Random) -> list[float]:
    from walltrack.adapters.postgres.repositories.signals import SignalRepository  # noqa: PLC0415
    from walltrack.domain.records import SignalDecision, SignalRecord, TradeSide  # noqa: PLC0415

    signals = SignalRepository(db)

    def one() -> None:
        score = rng.random()
        traded = score >= 0.7
        signals.insert(
            SignalRecord(
                signal_id=uuid4(),
                correlation_id=uuid4(),
                wallet_address=rng.choice(addresses),
                token_mint=f"BenchMint{rng.randrange(500):04d}",
                side=TradeSide.BUY,
                tx_signature=f"sig{rng.getrandbits(128):032x}",
                amount_lamports=rng.randrange(10**7, 10**10),
                observed_at=_T0,
                scored_at=_T0 + timedelta(milliseconds=30),
                score=score,
                wallet_factor=rng.random(),
                cluster_factor=rng.random(),
                token_factor=rng.random(),
                context_factor=rng.random(),
                factors={
                    "wallet": {"win_rate": rng.random(), "pnl_norm": rng.random()},
                    "token": {"liquidity_usd": str(rng.randrange(1000, 10**6))},
                    "cluster": {"members_buying": rng.randrange(4)},
                },
                decision=SignalDecision.TRADE if traded else SignalDecision.SKIP,
                skip_reason=None if traded else "score_below_threshold",
            )
        )

    _timed(one, 100)
    return _timed(one, _SIGNALS)


def _snapshot_writes(db: Any, rng: random.Random) -> list[float]:
    from walltrack.adapters.postgres.repositories.actor_snapshots import (  # noqa: PLC0415
        PostgresSnapshotStore,
    )
    from walltrack.ports import Snapshot  # noqa: PLC0415

    store = PostgresSnapshotStore(db)
    clock = [_T0]

    def one() -> None:
        clock[0] += timedelta(milliseconds=1)
        store.save(
            Snapshot(
                actor_id=f"wallet:{rng.randrange(500)}",
                kind="wallet",
                schema_version=1,
                state={
                    "balance_lamports": rng.randrange(10**12),
                    "open_tokens": [f"Mint{rng.randrange(10**6)}" for _ in range(8)],
                    "recent_trades": [
                        {"token": f"Mint{i}", "pnl_lamports": rng.randrange(-(10**9), 10**9)}
                        for i in range(10)
                    ],
                },
                updated_at=clock[0],
            )
        )

    _timed(one, 100)
    return _timed(one, _SNAPSHOTS)


def _p99_ms(timings: list[float]) -> float:
    return round(statistics.quantiles(timings, n=100)[98] * 1000, 3)


def _graph_metrics() -> dict[str, float]:
    try:
        from walltrack.bench._graph import graph_metrics  # noqa: PLC0415
    except ImportError:
        return {}
    return graph_metrics()


def _parallel_start_s() -> float:
    """Both servers from empty data directories, started together, until both healthy."""
    from walltrack.adapters.graph.embedded import EmbeddedGraphServer  # noqa: PLC0415
    from walltrack.adapters.postgres.embedded import EmbeddedPostgres  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="walltrack-bench-both-") as scratch:
        root = Path(scratch)
        postgres = EmbeddedPostgres(root / "data")  # <data_dir>/pg, as WallTrack lays it out
        graph = EmbeddedGraphServer(root / "data")  # <data_dir>/graph
        errors: list[BaseException] = []

        def start_postgres() -> None:
            try:
                postgres.start()
            except BaseException as error:  # reported below, after both finished
                errors.append(error)

        started = time.perf_counter()
        thread = threading.Thread(target=start_postgres, name="bench-pg-start")
        thread.start()
        try:
            graph.start()
        finally:
            thread.join()
        elapsed = time.perf_counter() - started
        graph.stop()
        postgres.stop()
        if errors:
            raise errors[0]
    return elapsed
