"""The whole process against the simulator: real PostgreSQL and graph, a still world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.kit import EndToEnd
from tests.integration.graph_fixtures import *  # noqa: F403
from tests.integration.graph_fixtures import GraphTestServer
from tests.integration.pg_fixtures import *  # noqa: F403
from tests.sim.conftest import still_config
from walltrack.sim.thread import SimulationThread


@pytest.fixture
def sim() -> Iterator[SimulationThread]:
    """A world that moves only when a test trades in it, five minutes old."""
    with SimulationThread(still_config(warmup_s=300.0)) as running:
        yield running


@pytest.fixture
def e2e(
    sim: SimulationThread,
    pg_dsn: str,
    graph_server: GraphTestServer,
    graph_database: str,
    tmp_path: Path,
) -> EndToEnd:
    """This test's world and stores, and a launcher of WallTrack processes on them."""
    return EndToEnd(sim, pg_dsn, graph_server, graph_database, tmp_path)
