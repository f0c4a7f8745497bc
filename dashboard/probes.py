"""Health probes over the ports: venue breakers and rate limits, the stores' readiness.

Why probes: the status bar and the System page show services the dashboard does not own;
each probe turns one port's plain values into `ServiceHealth` lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from walltrack.dashboard_ports import ServiceHealth
from walltrack.ports import MetricsSource

SHOWN_COUNTERS = ("requests", "failures", "retries", "rate_limit_waits", "breaker_opened")


class VenueHealth:
    """One line per venue of a metrics registry: its breaker state and counters."""

    def __init__(self, metrics: MetricsSource) -> None:
        self._metrics = metrics

    def health(self) -> Sequence[ServiceHealth]:
        venues: dict[str, Any] = self._metrics.snapshot()
        lines = []
        for name, values in sorted(venues.items()):
            state = str(values.get("breaker_state", "unknown"))
            lines.append(
                ServiceHealth(
                    name=f"venue {name}",
                    healthy=state == "closed",
                    detail=f"breaker {state}",
                    extra={key: values.get(key, 0) for key in SHOWN_COUNTERS},
                )
            )
        return lines
