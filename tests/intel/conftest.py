"""Real PostgreSQL for the intelligence job tests (the simulator is started per test)."""

from tests.integration.pg_fixtures import *  # noqa: F403
