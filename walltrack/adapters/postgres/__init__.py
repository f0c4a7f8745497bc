"""PostgreSQL adapter: one sync pool, versioned migrations per mode schema, repositories
returning frozen records, snapshots (write-behind), hot config, the embedded server."""

from walltrack.adapters.postgres.config_listener import ConfigListener
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.doctor import PgDoctorReport, check_postgres
from walltrack.adapters.postgres.embedded import EmbeddedPostgres
from walltrack.adapters.postgres.migrate import prepare_schema
from walltrack.adapters.postgres.repositories.actor_snapshots import PostgresSnapshotStore
from walltrack.adapters.postgres.schema import schema_for
from walltrack.adapters.postgres.snapshot_upgrades import SnapshotUpgrades
from walltrack.adapters.postgres.stores import PostgresStores
from walltrack.adapters.postgres.write_behind import WriteBehindSnapshotStore

__all__ = [
    "ConfigListener",
    "Database",
    "EmbeddedPostgres",
    "PgDoctorReport",
    "PostgresSnapshotStore",
    "PostgresStores",
    "SnapshotUpgrades",
    "WriteBehindSnapshotStore",
    "check_postgres",
    "prepare_schema",
    "schema_for",
]
