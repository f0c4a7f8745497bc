"""Real PostgreSQL (and the graph where needed) for the signal-path tests."""

from tests.integration.graph_fixtures import *  # noqa: F403
from tests.integration.pg_fixtures import *  # noqa: F403
