"""GET /metrics: valid Prometheus text that counts what happened."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from tests.runtime.kit import Fault, Get, Journal, ask, probe_spec, running_tree, tell
from tests.webhook.kit import (
    CONTROL_TOKEN,
    RecordingSink,
    post,
    real_payloads,
    webhook_client,
)
from walltrack.adapters.resilience.metrics import MetricsRegistry, VenueMetrics
from walltrack.adapters.webhook.control_api import make_app
from walltrack.adapters.webhook.metrics_api import MAX_NAMED_CHILDREN, write_tree
from walltrack.adapters.webhook.prometheus import TextWriter
from walltrack.commands._process import RuntimeControl
from walltrack.domain.tree import ActorInfo, ActorKind, ActorState, TreeSnapshot

type Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(page: str) -> tuple[Samples, dict[str, str]]:
    """Every sample by (name, labels), and every family's type (the parser is strict)."""
    samples: Samples = {}
    types: dict[str, str] = {}
    for family in text_string_to_metric_families(page):
        types[family.name] = family.type
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples, types


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


async def test_metrics_count_requests_events_and_stage_latencies() -> None:
    payloads = real_payloads()
    buy, sell = payloads["11"], payloads["12"]
    venues = MetricsRegistry()
    jupiter = venues.register(VenueMetrics("jupiter"))
    jupiter.bind_breaker_state(lambda: "open")
    jupiter.request_started()
    jupiter.retry_scheduled(0.5)
    jupiter.rate_limit_waited(0.25)
    async with webhook_client(
        sink=RecordingSink(), tracked=[buy["feePayer"]], venue_metrics=venues
    ) as client:
        assert (await post(client, [buy], {"Authorization": "nope"}))[0] == 401
        assert (await post(client, b"{"))[0] == 400
        assert (await post(client, [buy, {"signature": 1}, payloads["08"]]))[0] == 200
        assert (await post(client, [buy, sell]))[0] == 200
        response = await client.get("/metrics")
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        samples, types = parse(await response.text())

    assert value(samples, "walltrack_webhook_requests_total", status="200") == 2
    assert value(samples, "walltrack_webhook_requests_total", status="400") == 1
    assert value(samples, "walltrack_webhook_requests_total", status="401") == 1
    assert value(samples, "walltrack_webhook_unauthorised_total", check="authorization") == 1
    assert value(samples, "walltrack_webhook_unauthorised_total", check="signature") == 0
    assert value(samples, "walltrack_webhook_bad_requests_total", reason="invalid_json") == 1
    assert value(samples, "walltrack_webhook_events_received_total") == 5
    assert value(samples, "walltrack_webhook_events_accepted_total") == 3
    assert value(samples, "walltrack_webhook_events_duplicate_total", layer="memory") == 1
    assert value(samples, "walltrack_webhook_events_rejected_total", reason="signature") == 1
    assert value(samples, "walltrack_webhook_swaps_observed_total", side="buy") == 1
    assert value(samples, "walltrack_webhook_swaps_observed_total", side="sell") == 1
    # 08 is a SOL transfer of another wallet: not tracked, so not classified at all.
    assert ("walltrack_webhook_tracked_not_swaps_total", frozenset()) not in samples
    assert types["walltrack_webhook_stage_seconds"] == "histogram"
    # Authorised POSTs were read and authenticated (3); the two valid bodies went through
    # every later stage; every POST has a total.
    expected = {"auth": 3, "read": 3, "parse": 2, "validation": 2, "dedupe": 2}
    expected |= {"classify": 2, "handoff": 2, "total": 4}
    for stage, count in expected.items():
        assert value(samples, "walltrack_webhook_stage_seconds_count", stage=stage) == count
        inf = value(samples, "walltrack_webhook_stage_seconds_bucket", stage=stage, le="+Inf")
        assert inf == count, stage
    assert value(samples, "walltrack_venue_breaker_state", venue="jupiter", state="open") == 1
    assert value(samples, "walltrack_venue_breaker_state", venue="jupiter", state="closed") == 0
    assert value(samples, "walltrack_venue_retries_total", venue="jupiter") == 1
    assert value(samples, "walltrack_venue_rate_limit_waits_total", venue="jupiter") == 1
    assert value(samples, "walltrack_venue_rate_limit_wait_seconds_total", venue="jupiter") == 0.25
    assert value(samples, "walltrack_tree_ready") == 1


async def test_metrics_show_restarts_and_mailboxes_of_a_running_tree() -> None:
    journal = Journal()
    with running_tree([probe_spec("scorer", journal)]) as runtime:
        tell(runtime, "scorer", Fault())
        assert ask(runtime, "scorer", Get()) == []  # a reply proves the restart happened
        control = RuntimeControl(runtime)
        app = make_app(control, runtime.services.clock, CONTROL_TOKEN)
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            samples, _ = parse(await (await client.get("/metrics")).text())
    assert value(samples, "walltrack_actor_restarts_total", actor="scorer") == 1
    assert value(samples, "walltrack_actor_restarts_total", actor="root") == 0
    assert value(samples, "walltrack_actor_mailbox_depth", actor="scorer") == 0
    assert value(samples, "walltrack_tree_actors", state="running") == 2
    assert value(samples, "walltrack_tree_ready") == 0  # never marked ready
    assert not any(name.startswith("walltrack_webhook_") for name, _ in samples)


def _actor(name: str, parent: str | None, mailbox: int = 0, restarts: int = 0) -> ActorInfo:
    return ActorInfo(
        name=name,
        parent=parent,
        kind=ActorKind.WORKER,
        state=ActorState.RUNNING,
        restarts=restarts,
        last_error=None,
        mailbox_depth=mailbox,
        uptime_s=1.0,
        messages_handled=0,
        incarnation=1,
    )


def test_a_supervisor_with_many_children_is_summarised_not_listed() -> None:
    wallets = [
        _actor(f"wallet:{i}", "wallets", mailbox=i % 5, restarts=i % 2)
        for i in range(MAX_NAMED_CHILDREN + 1)
    ]
    snapshot = TreeSnapshot(
        actors=(_actor("root", None), _actor("wallets", "root"), *wallets),
        quarantined=(),
        inactive_count=1000,
    )
    out = TextWriter()
    write_tree(out, snapshot, ready=True)
    samples, _ = parse(out.text())
    actors = {dict(labels).get("actor") for name, labels in samples if "actor" in dict(labels)}
    assert actors == {"root", "wallets"}
    assert value(samples, "walltrack_actor_family_size", supervisor="wallets") == 33
    assert value(samples, "walltrack_actor_family_restarts_total", supervisor="wallets") == 16
    mailbox = "walltrack_actor_family_mailbox_depth"
    assert value(samples, mailbox, supervisor="wallets", stat="max") == 4
    assert value(samples, mailbox, supervisor="wallets", stat="sum") == sum(
        i % 5 for i in range(33)
    )
    assert value(samples, "walltrack_tree_actors", state="inactive") == 1000


def test_label_values_are_escaped() -> None:
    out = TextWriter()
    out.family("x_total", "counter", 'odd "help"\nline')
    out.sample("x_total", {"reason": 'a"b\\c\nd'}, 3)
    samples: Any = parse(out.text())[0]
    assert value(samples, "x_total", reason='a"b\\c\nd') == 3
