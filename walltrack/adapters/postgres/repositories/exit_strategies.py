"""Exit strategies: the five seeded presets plus any the operator defines.

Why edits write config_history too: the operator reads every runtime change (parameters
and strategies) in one history; the strategy, its history row (old -> new definition,
path `exit_strategies.<name>`) and nothing else are written in one transaction.
"""

from __future__ import annotations

from walltrack.adapters.postgres.database import Conn, Database
from walltrack.adapters.postgres.rows import Row, jsonb
from walltrack.domain.params import ExitStrategy, parse_exit_strategy
from walltrack.domain.params.parsing import to_json
from walltrack.domain.records import ExitStrategyRecord
from walltrack.errors import InvalidInputError

_GET = "SELECT * FROM exit_strategies WHERE name = %(name)s"
_ALL = "SELECT * FROM exit_strategies ORDER BY is_preset DESC, name"

_SAVE = """
INSERT INTO exit_strategies (name, definition, is_preset)
VALUES (%(name)s, %(definition)s, false)
ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition
RETURNING *
"""

_LOCK = "SELECT definition FROM exit_strategies WHERE name = %(name)s FOR UPDATE"

_HISTORY = """
INSERT INTO config_history (section, path, old_value, new_value, version, changed_by)
SELECT 'exit_strategies', %(path)s, %(old)s, %(new)s, count(*) + 1, %(changed_by)s
FROM config_history WHERE path = %(path)s
"""

_DELETE = "DELETE FROM exit_strategies WHERE name = %(name)s AND NOT is_preset RETURNING name"


def _record(row: Row) -> ExitStrategyRecord:
    strategy = parse_exit_strategy(row["definition"], f"exit_strategies.{row['name']}")
    return ExitStrategyRecord(
        strategy=strategy, is_preset=bool(row["is_preset"]), updated_at=row["updated_at"]
    )


class ExitStrategyRepository:
    """Exit strategies stored as validated JSONB definitions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str) -> ExitStrategyRecord | None:
        """One strategy by name."""
        row = self._db.read(lambda c: c.execute(_GET, {"name": name}).fetchone())
        return None if row is None else _record(row)

    def all(self) -> list[ExitStrategyRecord]:
        """Presets first, then the operator's strategies, by name."""
        return [_record(r) for r in self._db.read(lambda c: c.execute(_ALL).fetchall())]

    def save(self, strategy: ExitStrategy) -> ExitStrategyRecord:
        """Create or edit a strategy (presets may be tuned too); validated before writing."""
        definition = to_json(strategy)
        parse_exit_strategy(definition, f"exit_strategies.{strategy.name}")
        params = {"name": strategy.name, "definition": jsonb(definition)}
        row = self._db.write(lambda c: c.execute(_SAVE, params).fetchone())
        assert row is not None
        return _record(row)

    def edit(self, strategy: ExitStrategy, changed_by: str) -> ExitStrategyRecord:
        """Create or edit a strategy and record the change in config_history, atomically.

        Validated before anything is written (InvalidParameterError names each field).
        """
        definition = to_json(strategy)
        parse_exit_strategy(definition, f"exit_strategies.{strategy.name}")
        params = {"name": strategy.name, "definition": jsonb(definition)}

        def work(conn: Conn) -> Row:
            locked = conn.execute(_LOCK, {"name": strategy.name}).fetchone()
            row = conn.execute(_SAVE, params).fetchone()
            assert row is not None
            conn.execute(
                _HISTORY,
                {
                    "path": f"exit_strategies.{strategy.name}",
                    "old": jsonb(locked["definition"]) if locked else None,
                    "new": jsonb(definition),
                    "changed_by": changed_by,
                },
            )
            return row

        return _record(self._db.write(work, idempotent=False))

    def delete(self, name: str) -> None:
        """Remove an operator strategy; presets cannot be deleted."""
        row = self._db.write(lambda c: c.execute(_DELETE, {"name": name}).fetchone())
        if row is None:
            raise InvalidInputError(f"exit strategy {name!r} is a preset or does not exist")
