"""Fault injection per venue, switchable while the servers run.

Why per venue and scripted: adapter tests need both realistic random failure rates and
exact sequences ("fail the next two calls with 503, then answer"), and they must be able
to take a venue down for a while and watch a breaker open and a fallback take over.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from aiohttp import web

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
type ErrorBody = Callable[[int], web.Response]
type Outcome = tuple[Literal["ok", "status", "timeout", "reset"], int]

_LOG_LIMIT = 10_000


@dataclass(slots=True)
class FaultSettings:
    """Rates are probabilities per request (or per webhook delivery)."""

    latency_s: float = 0.0
    jitter_s: float = 0.0
    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_timeout: float = 0.0
    timeout_s: float = 30.0
    drop_rate: float = 0.0
    duplicate_rate: float = 0.0
    rate_limit_per_s: float | None = None
    down_style: Literal["503", "reset"] = "503"


class FaultInjector:
    """The fault state of one venue. Random draws come from a seeded stream of its own."""

    def __init__(self, venue: str, seed: int) -> None:
        self.venue = venue
        self.settings = FaultSettings()
        self._rng = random.Random(f"{seed}:faults:{venue}")
        self._script: deque[int] = deque()
        self._down_until: float | None = None
        self._window: deque[float] = deque()
        self.requests = 0
        self.injected: Counter[str] = Counter()
        self.log: deque[tuple[float, str, str]] = deque(maxlen=_LOG_LIMIT)

    # -- control ------------------------------------------------------------------------
    def configure(self, **changes: Any) -> None:
        """Change settings by name (unknown names raise ValueError)."""
        known = {f.name for f in fields(FaultSettings)}
        unknown = set(changes) - known
        if unknown:
            msg = f"unknown fault settings: {sorted(unknown)}"
            raise ValueError(msg)
        for name, value in changes.items():
            setattr(self.settings, name, value)

    def reset(self) -> None:
        """Back to a healthy venue; counters and log are kept."""
        self.settings = FaultSettings()
        self._script.clear()
        self._down_until = None

    def fail_next(self, count: int = 1, status: int = 503) -> None:
        """The next `count` requests answer `status` (0 means: hang until timeout)."""
        self._script.extend([status] * count)

    def timeout_next(self, count: int = 1) -> None:
        """The next `count` requests hang for `timeout_s` (clients time out)."""
        self.fail_next(count, 0)

    def go_down(self, seconds: float | None = None) -> None:
        """Take the venue down for `seconds` of real time, or until `come_up()`."""
        self._down_until = float("inf") if seconds is None else time.monotonic() + seconds

    def come_up(self) -> None:
        """End an outage now."""
        self._down_until = None

    @property
    def is_down(self) -> bool:
        """Whether the venue is in an outage right now."""
        return self._down_until is not None and time.monotonic() < self._down_until

    def state(self) -> dict[str, Any]:
        """Settings, outage and counters, JSON-ready (for the control API)."""
        return {
            "venue": self.venue,
            "settings": asdict(self.settings),
            "down": self.is_down,
            "scripted": list(self._script),
            "requests": self.requests,
            "injected": dict(self.injected),
        }

    # -- decisions ----------------------------------------------------------------------
    def latency(self) -> float:
        """Added latency for this request, in seconds."""
        s = self.settings
        return s.latency_s + (self._rng.uniform(0.0, s.jitter_s) if s.jitter_s else 0.0)

    def chance(self, rate: float) -> bool:
        """A seeded draw that is true with probability `rate`."""
        return rate > 0.0 and self._rng.random() < rate

    def decide(self, method: str, path: str) -> Outcome:
        """What happens to one request: served, an error status, a hang or a reset."""
        now = time.monotonic()
        self.requests += 1
        self.log.append((now, method, path))
        s = self.settings
        if self.is_down:
            self.injected["down"] += 1
            return ("reset", 0) if s.down_style == "reset" else ("status", 503)
        if self._script:
            status = self._script.popleft()
            self.injected[f"scripted_{status or 'timeout'}"] += 1
            return ("timeout", 0) if status == 0 else ("status", status)
        if s.rate_limit_per_s is not None and self._over_limit(now, s.rate_limit_per_s):
            self.injected["rate_limited"] += 1
            return ("status", 429)
        return self._random_outcome()

    def _over_limit(self, now: float, limit: float) -> bool:
        window = self._window
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= limit:
            return True
        window.append(now)
        return False

    def _random_outcome(self) -> Outcome:
        s = self.settings
        if self.chance(s.rate_429):
            self.injected["429"] += 1
            return ("status", 429)
        if self.chance(s.rate_5xx):
            self.injected["5xx"] += 1
            return ("status", self._rng.choice((500, 502, 503)))
        if self.chance(s.rate_timeout):
            self.injected["timeout"] += 1
            return ("timeout", 0)
        return ("ok", 0)

    def ratelimit_headers(self) -> dict[str, str]:
        """`x-ratelimit-*` headers as Jupiter sends them (only with a configured limit)."""
        limit = self.settings.rate_limit_per_s
        if limit is None:
            return {}
        remaining = int(limit) - len(self._window)
        reset = int(time.time()) + 1
        return {
            "x-ratelimit-remaining": str(remaining),
            "x-ratelimit-current": str(len(self._window)),
            "x-ratelimit-reset": str(reset),
        }


def fault_middleware(
    injector: FaultInjector, error_body: ErrorBody, *, ratelimit_headers: bool = False
) -> Any:
    """An aiohttp middleware applying `injector` before every handler."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        kind, status = injector.decide(request.method, request.path)
        if kind == "reset":
            transport = request.transport
            if transport is not None:
                transport.abort()
            raise asyncio.CancelledError
        if kind == "timeout":
            await asyncio.sleep(injector.settings.timeout_s)
            return error_body(504)
        delay = injector.latency()
        if delay > 0:
            # The request has arrived whole; only the venue is slow. A client that gives up
            # meanwhile does not undo it: a sendTransaction still lands, as on a real node.
            if request.can_read_body:
                await request.read()
            await asyncio.sleep(delay)
        response = error_body(status) if kind == "status" else await handler(request)
        if ratelimit_headers:
            response.headers.update(injector.ratelimit_headers())
        if kind == "status" and status == 429:
            response.headers.setdefault("Retry-After", "1")
        return response

    return middleware


class FaultBoard(dict[str, FaultInjector]):
    """All venues' injectors by name ("helius", "webhook", "rpc-0", "jupiter", ...)."""

    def reset_all(self) -> None:
        """Heal every venue."""
        for injector in self.values():
            injector.reset()
