"""Structured logging, configured once: JSON in production, readable on a TTY.

Why: every line must be machine-parseable and carry the correlation id of the message being
handled, and no secret may ever reach the output, not even inside a formatted exception.
The redaction processor runs last, over the final strings, so nothing slips around it.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable, MutableMapping
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from walltrack.config import LogFormat

REDACTED = "[REDACTED]"
SECRET_KEY_PATTERN = re.compile(
    r"(authorization|api[_-]?key|secret|password|passwd|private[_-]?key|keypair|token|"
    r"dsn|hmac|cookie|credential)",
    re.IGNORECASE,
)
_INLINE_PATTERNS = (
    # "Authorization: Bearer xyz", "authorization='xyz'", "api-key=xyz" in URLs and reprs
    re.compile(
        r"(?i)((?:authorization|x-api-key|api[_-]?key|token|secret|password)"
        r"['\"]?\s*[:=]\s*['\"]?)(?:bearer\s+)?[^\s'\",&}]+"
    ),
    # credentials inside URLs and DSNs: scheme://user:password@host
    re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^:/\s@]+:)[^@\s]+(?=@)"),
)


class SecretRegistry:
    """Exact secret values known to the process; any occurrence in a log line is masked."""

    def __init__(self) -> None:
        self._values: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def register(self, values: Iterable[str | None]) -> None:
        """Remember secret values (short values are ignored: they would mask real words)."""
        fresh = {value for value in values if value and len(value) >= 6}
        with self._lock:
            self._values = self._values | fresh

    def mask(self, text: str) -> str:
        """`text` with every known secret and every secret-shaped fragment replaced."""
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        for pattern in _INLINE_PATTERNS:
            text = pattern.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
        return text


SECRETS = SecretRegistry()


def _redact_value(key: str, value: Any) -> Any:
    if SECRET_KEY_PATTERN.search(key) and value is not None:
        return REDACTED
    if isinstance(value, str):
        return SECRETS.mask(value)
    if isinstance(value, MutableMapping):
        return {str(k): _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, item) for item in value]
    if isinstance(value, int | float | bool):
        return value
    return SECRETS.mask(repr(value))


def redact_secrets(_logger: WrappedLogger, _name: str, event_dict: EventDict) -> EventDict:
    """structlog processor: mask secret-named fields and secret values everywhere."""
    return {key: _redact_value(key, value) for key, value in event_dict.items()}


def _processors(render_json: bool) -> list[Processor]:
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_secrets,
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if render_json
        else structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
    )
    return [*shared, renderer]


def configure_logging(
    level: str = "INFO",
    log_format: LogFormat = LogFormat.AUTO,
    stream: TextIO | None = None,
    secrets: Iterable[str | None] = (),
) -> None:
    """Configure structlog and the stdlib root logger once for the whole process."""
    out = stream if stream is not None else sys.stdout
    render_json = log_format is LogFormat.JSON or (
        log_format is LogFormat.AUTO and not out.isatty()
    )
    SECRETS.register(secrets)
    structlog.configure(
        processors=_processors(render_json),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
    # Third-party libraries (pykka, aiohttp, neo4j) log through stdlib: route them too.
    handler = logging.StreamHandler(out)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *_processors(render_json),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def bind_correlation(correlation_id: str | None) -> None:
    """Bind the correlation id of the message being handled on this thread."""
    if correlation_id is None:
        structlog.contextvars.unbind_contextvars("correlation_id")
    else:
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A logger bound to a component name."""
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(component=name)
    return logger
