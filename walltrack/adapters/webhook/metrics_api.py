"""GET /metrics: the webhook receiver, the supervisor tree and the venues, for Prometheus.

Why one page: an operator's Prometheus scrapes one endpoint and sees the whole process.
The tree snapshot is read on a worker thread (with many wallet actors it walks a large
registry) so scraping never stalls webhook deliveries. Per-actor series are kept for the
named actors; a supervisor with many children (the wallet actors, up to 100,000) is
summarised per supervisor instead, so the page does not grow with the tracked set.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from walltrack.adapters.webhook.app_keys import TREE, VENUE_METRICS, WEBHOOK_METRICS
from walltrack.adapters.webhook.prometheus import CONTENT_TYPE, TextWriter, write_gauge
from walltrack.domain.tree import ActorInfo, ActorState, TreeSnapshot

MAX_NAMED_CHILDREN = 32
"""A supervisor with more children than this is reported as one family, not per actor."""

_VENUE_COUNTERS = (
    "requests",
    "successes",
    "failures",
    "timeouts",
    "rate_limited_responses",
    "retries",
    "rate_limit_waits",
    "fast_failures",
    "breaker_opened",
    "fallbacks_used",
    "rotations",
)
_BREAKER_STATES = ("closed", "open", "half_open")


async def metrics(request: web.Request) -> web.Response:
    """The Prometheus text page."""
    out = TextWriter()
    webhook = request.app.get(WEBHOOK_METRICS)
    if webhook is not None:
        webhook.write(out)
    tree_control = request.app.get(TREE)
    if tree_control is not None:
        snapshot = await asyncio.to_thread(tree_control.tree)
        write_tree(out, snapshot, ready=tree_control.ready())
    venues = request.app.get(VENUE_METRICS)
    if venues is not None:
        write_venues(out, venues.snapshot())
    response = web.Response(body=out.text().encode("utf-8"))
    response.headers["Content-Type"] = CONTENT_TYPE
    return response


def write_tree(out: TextWriter, snapshot: TreeSnapshot, *, ready: bool) -> None:
    """Tree readiness, actor counts by state, restarts and mailbox depths."""
    write_gauge(out, "walltrack_tree_ready", "1 when stores and tree are up.", [({}, int(ready))])
    by_state = dict.fromkeys((state.value for state in ActorState), 0)
    for info in snapshot.actors:
        by_state[info.state.value] += 1
    by_state[ActorState.INACTIVE.value] += snapshot.inactive_count
    write_gauge(
        out,
        "walltrack_tree_actors",
        "Actor slots by lifecycle state (inactive = passivated virtual actors).",
        [({"state": state}, count) for state, count in by_state.items()],
    )
    write_gauge(
        out,
        "walltrack_tree_quarantined_messages",
        "Messages set aside after crashing their actor repeatedly.",
        [({}, len(snapshot.quarantined))],
    )
    named, families = _split_families(snapshot.actors)
    write_gauge(
        out,
        "walltrack_actor_restarts_total",
        "Restarts of each named actor slot.",
        [({"actor": info.name}, info.restarts) for info in named],
        kind="counter",
    )
    write_gauge(
        out,
        "walltrack_actor_mailbox_depth",
        "Messages waiting in each named actor's mailbox.",
        [({"actor": info.name}, info.mailbox_depth) for info in named],
    )
    write_gauge(
        out,
        "walltrack_actor_family_size",
        "Live children of a supervisor with many children.",
        [({"supervisor": name}, len(members)) for name, members in families.items()],
    )
    write_gauge(
        out,
        "walltrack_actor_family_restarts_total",
        "Restarts summed over the live children of a supervisor with many children.",
        [
            ({"supervisor": name}, sum(info.restarts for info in members))
            for name, members in families.items()
        ],
        kind="counter",
    )
    write_gauge(
        out,
        "walltrack_actor_family_mailbox_depth",
        "Mailbox depth over the children of a supervisor with many children (sum, max).",
        [
            sample
            for name, members in families.items()
            for sample in (
                ({"supervisor": name, "stat": "sum"}, sum(i.mailbox_depth for i in members)),
                ({"supervisor": name, "stat": "max"}, max(i.mailbox_depth for i in members)),
            )
        ],
    )


def _split_families(
    actors: tuple[ActorInfo, ...],
) -> tuple[list[ActorInfo], dict[str, list[ActorInfo]]]:
    children: dict[str | None, list[ActorInfo]] = defaultdict(list)
    for info in actors:
        children[info.parent].append(info)
    named: list[ActorInfo] = []
    families: dict[str, list[ActorInfo]] = {}
    for parent, members in children.items():
        if parent is not None and len(members) > MAX_NAMED_CHILDREN:
            families[parent] = members
        else:
            named.extend(members)
    named.sort(key=lambda info: info.name)
    return named, dict(sorted(families.items()))


def write_venues(out: TextWriter, venues: Mapping[str, Any]) -> None:
    """Breaker state, request outcomes, retries and rate-limit waits of every venue."""
    rows = [(name, snap) for name, snap in sorted(venues.items()) if isinstance(snap, Mapping)]
    write_gauge(
        out,
        "walltrack_venue_breaker_state",
        "1 for the venue circuit breaker's current state, 0 for the others.",
        [
            ({"venue": name, "state": state}, int(snap.get("breaker_state") == state))
            for name, snap in rows
            for state in _BREAKER_STATES
        ],
    )
    for counter in _VENUE_COUNTERS:
        write_gauge(
            out,
            f"walltrack_venue_{counter}_total",
            f"Venue {counter.replace('_', ' ')} so far.",
            [({"venue": name}, _number(snap.get(counter))) for name, snap in rows],
            kind="counter",
        )
    write_gauge(
        out,
        "walltrack_venue_rate_limit_wait_seconds_total",
        "Seconds requests waited for the venue's own rate limiter.",
        [({"venue": name}, _number(snap.get("rate_limit_wait_s"))) for name, snap in rows],
        kind="counter",
    )
    write_gauge(
        out,
        "walltrack_venue_last_retry_wait_seconds",
        "Backoff before the venue's latest retry.",
        [({"venue": name}, _number(snap.get("last_retry_wait_s"))) for name, snap in rows],
    )


def _number(value: object) -> float:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    return 0


def add_metrics_route(app: web.Application) -> None:
    """Register GET /metrics."""
    app.router.add_get("/metrics", metrics)
