"""The whole process against the simulator: real PostgreSQL and graph, a still world."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.graph_fixtures import *  # noqa: F403
from tests.integration.pg_fixtures import *  # noqa: F403
from tests.sim.conftest import still_config
from walltrack.sim.thread import SimulationThread


@pytest.fixture
def sim() -> Iterator[SimulationThread]:
    """A world that moves only when a test trades in it, five minutes old."""
    with SimulationThread(still_config(warmup_s=300.0)) as running:
        yield running
