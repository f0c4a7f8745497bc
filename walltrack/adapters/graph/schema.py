"""Create the graph's named constraints and indexes, and check they are there.

Why at start-up and idempotent: MERGE on a property without an index scans every node
(O(n) per row on ArcadeDB), so the uniqueness constraints (which bring their indexes) must
exist before the first write. `IF NOT EXISTS` makes a restart a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass

from walltrack.adapters.graph import queries
from walltrack.adapters.graph.client import GraphClient


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaStatus:
    """Which of the expected constraints and indexes the database lacks."""

    missing_constraints: tuple[str, ...]
    missing_indexes: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """True when nothing is missing."""
        return not self.missing_constraints and not self.missing_indexes


def ensure_schema(client: GraphClient) -> None:
    """Create every constraint and index that does not exist yet."""
    for statement in queries.SCHEMA_STATEMENTS:
        client.write(statement)


def schema_status(client: GraphClient) -> SchemaStatus:
    """Compare the server's constraints and indexes with the ones the project needs."""
    constraints = {str(row.get("name")) for row in client.read(queries.SHOW_CONSTRAINTS)}
    indexes = {str(row.get("name")) for row in client.read(queries.SHOW_INDEXES)}
    return SchemaStatus(
        missing_constraints=tuple(n for n in queries.CONSTRAINT_NAMES if n not in constraints),
        missing_indexes=tuple(n for n in queries.INDEX_NAMES if n not in indexes),
    )
