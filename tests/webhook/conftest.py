"""Fixtures for the webhook tests: real PostgreSQL (for the restart test) on loopback."""

from tests.integration.pg_fixtures import *  # noqa: F403
