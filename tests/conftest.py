"""Session-wide test setup: logging goes through WallTrack's own configuration."""

from __future__ import annotations

import sys

from walltrack.config import LogFormat
from walltrack.logging import configure_logging

# Plain, redacted tracebacks (never structlog's default rich output with local variables).
configure_logging("INFO", LogFormat.CONSOLE, sys.stderr)
