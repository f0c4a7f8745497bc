"""Session-wide test setup: logging goes through WallTrack's own configuration."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from walltrack.config import LogFormat
from walltrack.logging import configure_logging

SESSION_STREAM = sys.stderr


def _session_logging() -> None:
    # Plain, redacted tracebacks (never structlog's default rich output with local variables).
    configure_logging("INFO", LogFormat.CONSOLE, SESSION_STREAM)


_session_logging()


@pytest.fixture(autouse=True)
def _session_logging_restored() -> Iterator[None]:
    """A command run in-process configures logging on the stream it sees, which pytest
    captured and closes after the test; every later log line would then fail. Each test
    ends by restoring the session's configuration."""
    yield
    _session_logging()
