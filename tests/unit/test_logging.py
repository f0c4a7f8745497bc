"""The redaction processor: no key, API key or Authorization value ever reaches the output."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest
import structlog
from solders.keypair import Keypair

from walltrack.config import LogFormat
from walltrack.logging import bind_correlation, configure_logging, get_logger


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    yield stream
    structlog.contextvars.clear_contextvars()
    configure_logging("INFO", LogFormat.CONSOLE, sys.stderr)  # back to the session's setup


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_secrets_never_reach_the_output_even_inside_exceptions(output: io.StringIO) -> None:
    private_key = str(Keypair())
    api_key = "hel-5f2c9a0e-api-key"
    bearer = "tok-a8f7e6d5c4b3"
    configure_logging("INFO", LogFormat.JSON, output, secrets=[private_key, api_key])
    log = get_logger("test")
    try:
        msg = f"signing with {private_key} failed; Authorization: Bearer {bearer}"
        raise RuntimeError(msg)
    except RuntimeError:
        log.exception(
            "swap_failed",
            url=f"https://api.helius.xyz/v0/webhooks?api-key={api_key}",
            headers={"Authorization": f"Bearer {bearer}", "Accept": "json"},
            keypair=private_key,
        )
    logging.getLogger("third.party").error("request with api-key=%s", api_key)
    text = output.getvalue()
    for secret in (private_key, api_key, bearer):
        assert secret not in text
    first, second = _lines(output)
    assert first["event"] == "swap_failed"
    assert "RuntimeError" in str(first["exception"])
    assert first["headers"] == {"Authorization": "[REDACTED]", "Accept": "json"}
    assert first["keypair"] == "[REDACTED]"
    assert "[REDACTED]" in str(second["event"])


def test_the_correlation_id_is_bound_per_thread(output: io.StringIO) -> None:
    configure_logging("INFO", LogFormat.JSON, output)
    bind_correlation("c-123")
    get_logger("test").info("handled")
    bind_correlation(None)
    get_logger("test").info("after")
    first, second = _lines(output)
    assert first["correlation_id"] == "c-123"
    assert "correlation_id" not in second


def test_console_format_is_readable(output: io.StringIO) -> None:
    configure_logging("INFO", LogFormat.CONSOLE, output)
    get_logger("test").info("started", actors=3)
    assert "started" in output.getvalue()
    assert "actors=3" in output.getvalue()
