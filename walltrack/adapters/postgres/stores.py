"""Every PostgreSQL repository on one pool: what `supervisors/wiring.py` opens per mode."""

from __future__ import annotations

from dataclasses import dataclass

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.migrate import MigrationReport, prepare_schema
from walltrack.adapters.postgres.repositories.actor_snapshots import PostgresSnapshotStore
from walltrack.adapters.postgres.repositories.alerts import AlertRepository
from walltrack.adapters.postgres.repositories.circuit_breaker_events import (
    CircuitBreakerEventRepository,
)
from walltrack.adapters.postgres.repositories.config import ConfigRepository
from walltrack.adapters.postgres.repositories.exit_strategies import ExitStrategyRepository
from walltrack.adapters.postgres.repositories.fills import FillRepository
from walltrack.adapters.postgres.repositories.orders import OrderRepository
from walltrack.adapters.postgres.repositories.positions import PositionRepository
from walltrack.adapters.postgres.repositories.signals import SignalRepository
from walltrack.adapters.postgres.repositories.tokens import TokenRepository
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.adapters.postgres.repositories.webhook_events import WebhookEventRepository
from walltrack.adapters.postgres.snapshot_upgrades import SnapshotUpgrades


@dataclass(frozen=True, slots=True, kw_only=True)
class PostgresStores:
    """The pool and one instance of each repository, all bound to one mode's schema."""

    db: Database
    migrations: MigrationReport | None
    wallets: WalletRepository
    tokens: TokenRepository
    signals: SignalRepository
    positions: PositionRepository
    orders: OrderRepository
    fills: FillRepository
    exit_strategies: ExitStrategyRepository
    config: ConfigRepository
    circuit_breaker_events: CircuitBreakerEventRepository
    snapshots: PostgresSnapshotStore
    webhook_events: WebhookEventRepository
    alerts: AlertRepository

    @classmethod
    def open(
        cls,
        dsn: str,
        *,
        schema: str,
        migrate: bool = True,
        upgrades: SnapshotUpgrades | None = None,
        max_size: int = 10,
    ) -> PostgresStores:
        """Migrate `schema` (unless told not to), open the pool, build the repositories."""
        report = prepare_schema(dsn, schema) if migrate else None
        db = Database(dsn, schema=schema, max_size=max_size).open()
        return cls(
            db=db,
            migrations=report,
            wallets=WalletRepository(db),
            tokens=TokenRepository(db),
            signals=SignalRepository(db),
            positions=PositionRepository(db),
            orders=OrderRepository(db),
            fills=FillRepository(db),
            exit_strategies=ExitStrategyRepository(db),
            config=ConfigRepository(db),
            circuit_breaker_events=CircuitBreakerEventRepository(db),
            snapshots=PostgresSnapshotStore(db, upgrades=upgrades),
            webhook_events=WebhookEventRepository(db),
            alerts=AlertRepository(db),
        )

    def close(self) -> None:
        """Close the pool."""
        self.db.close()
