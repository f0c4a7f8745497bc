"""The graph's line in `walltrack doctor`: reachable, version, schema, round-trip latency.

Why a report that never raises: the doctor must describe a broken store, not crash on
it. Failures become `reachable=False` with the reason, already free of secrets (the
taxonomy errors never carry the password).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from walltrack.adapters.graph import queries
from walltrack.adapters.graph.client import GraphClient
from walltrack.adapters.graph.schema import schema_status
from walltrack.errors import WallTrackError

_PINGS = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphDoctorReport:
    """What the doctor prints for the graph store."""

    reachable: bool
    database: str
    version: str | None = None
    missing_constraints: tuple[str, ...] = ()
    missing_indexes: tuple[str, ...] = ()
    round_trip_ms: float | None = None
    problem: str | None = None

    @property
    def healthy(self) -> bool:
        """Reachable and with every constraint and index in place."""
        return self.reachable and not self.missing_constraints and not self.missing_indexes


def graph_doctor_report(client: GraphClient) -> GraphDoctorReport:
    """Probe the graph server behind `client` and describe what was found."""
    try:
        version = client.server_agent()
        status = schema_status(client)
        timings = []
        for _ in range(_PINGS):
            started = time.perf_counter()
            client.read(queries.PING)
            timings.append((time.perf_counter() - started) * 1000)
    except WallTrackError as error:
        return GraphDoctorReport(reachable=False, database=client.database, problem=str(error))
    return GraphDoctorReport(
        reachable=True,
        database=client.database,
        version=version,
        missing_constraints=status.missing_constraints,
        missing_indexes=status.missing_indexes,
        round_trip_ms=round(sorted(timings)[len(timings) // 2], 3),
    )
