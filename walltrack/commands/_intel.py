"""Running an intelligence job in the CLI's own process, with a progress bar.

Why in-process: `walltrack discover ...` and `walltrack profile ...` are operator actions
that must work whether or not the tree runs. They open the configured PostgreSQL (or
the embedded one: the running tree's if there is one, else started for the command),
build the venue clients from the settings, run one job on one event loop and draw each
`IntelJobProgressed` as a bar on stderr. The runtime parameters are the stored ones.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from supervisors.embedded_servers import live_endpoint
from supervisors.wiring import schema_of
from walltrack.adapters.dexscreener import DexScreenerClient
from walltrack.adapters.helius import HeliusClient
from walltrack.adapters.intel.jobs import IntelJobs, IntelVenues, build_jobs
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.embedded import EmbeddedPostgres
from walltrack.adapters.postgres.migrate import prepare_schema
from walltrack.adapters.postgres.repositories.config import ConfigRepository
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.clock import LiveClock
from walltrack.config import Settings
from walltrack.domain.messages.intel import IntelJobProgressed
from walltrack.domain.params import RuntimeParams
from walltrack.errors import ConfigurationError

BAR_WIDTH = 30


class ProgressBar:
    """Draws the latest progress of a job on one terminal line."""

    def __init__(self, stream: Any = None) -> None:
        self._stream = stream or sys.stderr
        self._drawn = False

    def __call__(self, event: Any) -> None:
        if not isinstance(event, IntelJobProgressed):
            return
        filled = int(event.fraction * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        count = f"{event.done}/{event.total}" if event.total else "..."
        phase = event.phase if len(event.phase) <= 60 else event.phase[:57] + "..."
        self._stream.write(f"\r{event.job:10} [{bar}] {count:>9} {phase:60}")
        self._drawn = True
        if event.finished:
            self._stream.write("\n")
            self._drawn = False
        self._stream.flush()

    def close(self) -> None:
        """End the line if a run was interrupted."""
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()


@contextmanager
def open_database(settings: Settings) -> Iterator[Database]:
    """The configured PostgreSQL, the running tree's embedded one, or one started now."""
    server: EmbeddedPostgres | None = None
    if settings.pg_dsn is not None:
        dsn = settings.pg_dsn.get_secret_value()
    elif (endpoint := live_endpoint(settings.data_dir, "postgres")) is not None:
        dsn = str(endpoint["dsn"])
    else:
        server = EmbeddedPostgres(settings.data_dir)
        dsn = server.start()
    schema = schema_of(settings)
    try:
        prepare_schema(dsn, schema)
        db = Database(dsn, schema=schema, max_size=4).open()
        try:
            yield db
        finally:
            db.close()
    finally:
        if server is not None:
            server.stop()


def stored_params(db: Database) -> RuntimeParams:
    """The runtime parameters in force (the config table)."""
    return ConfigRepository(db).load_params()


async def _with_jobs[T](
    settings: Settings,
    db: Database,
    params: RuntimeParams,
    work: Callable[[IntelJobs], Awaitable[T]],
    bar: ProgressBar,
) -> T:
    async with httpx.AsyncClient(timeout=httpx.Timeout(15.0)) as http:
        key = settings.helius_api_key
        helius = HeliusClient(
            api_key=key.get_secret_value() if key is not None else "",
            base_url=settings.helius_base_url,
            client=http,
        )
        venues = IntelVenues(
            feeds=DexScreenerClient(base_url=settings.dexscreener_base_url, client=http),
            history=helius,
            rpc=SolanaRpcClient(settings.rpc_urls, client=http),
        )
        jobs = build_jobs(db, venues, params=lambda: params, now=LiveClock().now, publish=bar)
        return await work(jobs)


def run_job[T](
    settings: Settings, work: Callable[[IntelJobs], Awaitable[T]], *, needs_helius: bool
) -> T:
    """Open the stores, run `work` on the jobs with a progress bar, close everything."""
    if needs_helius and settings.helius_api_key is None:
        raise ConfigurationError("WALLTRACK_HELIUS_API_KEY", "needed to read transaction history")
    bar = ProgressBar()
    try:
        with open_database(settings) as db:
            return asyncio.run(_with_jobs(settings, db, stored_params(db), work, bar))
    finally:
        bar.close()
