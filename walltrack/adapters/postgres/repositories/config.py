"""Runtime configuration: one JSONB document per section, validated, versioned, audited.

Why the write path is one transaction: the new value, its version bump and its history row
must appear together or not at all; the table's trigger then NOTIFYs listeners at commit
(see ConfigListener), so actors only ever hear about committed, validated parameters.
"""

from __future__ import annotations

from typing import Any

from walltrack.adapters.postgres.database import Conn, Database
from walltrack.adapters.postgres.rows import from_row, jsonb
from walltrack.domain.params import RuntimeParams, params_to_json, parse_params, with_value
from walltrack.domain.records import ConfigChange, ConfigEntry

_ALL = "SELECT * FROM config ORDER BY section"
_LOCK_SECTION = "SELECT * FROM config WHERE section = %(section)s FOR UPDATE"

_UPSERT = """
INSERT INTO config (section, value, version, updated_by)
VALUES (%(section)s, %(value)s, 1, %(changed_by)s)
ON CONFLICT (section) DO UPDATE SET value = EXCLUDED.value,
    version = config.version + 1, updated_by = EXCLUDED.updated_by
RETURNING version
"""

_HISTORY = """
INSERT INTO config_history (section, path, old_value, new_value, version, changed_by)
VALUES (%(section)s, %(path)s, %(old)s, %(new)s, %(version)s, %(changed_by)s)
"""

_READ_HISTORY = """
SELECT * FROM config_history
WHERE (%(section)s::text IS NULL OR section = %(section)s)
ORDER BY change_id DESC LIMIT %(limit)s
"""


def read_params(conn: Conn) -> RuntimeParams:
    """Validate the whole stored configuration (also used by the listener's connection)."""
    rows = conn.execute(_ALL).fetchall()
    return parse_params({r["section"]: r["value"] for r in rows})


class ConfigRepository:
    """The config and config_history tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def load_params(self) -> RuntimeParams:
        """The validated runtime parameters (InvalidParameterError if the table is bad)."""
        return self._db.read(read_params)

    def entries(self) -> list[ConfigEntry]:
        """Every stored section with its version and last author."""
        rows = self._db.read(lambda c: c.execute(_ALL).fetchall())
        return [from_row(ConfigEntry, r) for r in rows]

    def update(self, path: str, value: Any, changed_by: str) -> RuntimeParams:
        """Set the parameter or section at `path` ("scoring.threshold", "risk").

        Validates the whole resulting configuration first: a bad value raises
        InvalidParameterError naming the parameter, and nothing is written. On success the
        section, its version and a history row are written in one transaction and
        listeners are notified at commit. Returns the new parameters.
        """
        section = path.split(".", 1)[0]

        def work(conn: Conn) -> RuntimeParams:
            locked = conn.execute(_LOCK_SECTION, {"section": section}).fetchone()
            document = {r["section"]: r["value"] for r in conn.execute(_ALL).fetchall()}
            params = parse_params(with_value(document, path, value))
            new_value = params_to_json(params)[section]
            version_row = conn.execute(
                _UPSERT,
                {"section": section, "value": jsonb(new_value), "changed_by": changed_by},
            ).fetchone()
            assert version_row is not None
            conn.execute(
                _HISTORY,
                {
                    "section": section,
                    "path": path,
                    "old": jsonb(locked["value"]) if locked else None,
                    "new": jsonb(new_value),
                    "version": version_row["version"],
                    "changed_by": changed_by,
                },
            )
            return params

        return self._db.write(work, idempotent=False)

    def history(self, *, section: str | None = None, limit: int = 50) -> list[ConfigChange]:
        """Latest changes first, optionally of one section."""
        params = {"section": section, "limit": limit}
        rows = self._db.read(lambda c: c.execute(_READ_HISTORY, params).fetchall())
        return [from_row(ConfigChange, r) for r in rows]
