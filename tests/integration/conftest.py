"""Fixtures for the integration tests: real PostgreSQL and graph servers."""

from tests.integration.graph_fixtures import *  # noqa: F403
from tests.integration.pg_fixtures import *  # noqa: F403
