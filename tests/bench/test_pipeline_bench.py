"""`walltrack bench pipeline` at toy sizes: each measurement runs and reports sane figures.

No timing threshold is asserted here (targets live in the README and the bench itself):
these tests prove the measurements measure what they claim, e.g. that every swap posted
reached its destination, that probes became orders, that the tracked set was held.
"""

from __future__ import annotations

import pytest

from walltrack.bench import pipeline
from walltrack.bench._decision import DecisionResult, pooled_figures, run_decision
from walltrack.bench._ingest import measure_ingest
from walltrack.bench._wallet_scale import address


def test_wallet_scale_reports_the_largest_size_held_and_its_rss() -> None:
    report = pipeline.wallet_scale(("--sizes", "1500,3000", "--rounds", "1"))
    assert report["max_tracked_wallets"] == 3000
    assert 10 < report["rss_mb"] < 1_500
    assert report["wallet_activations"] == 2 * 1000  # one subset per size, each signalled


def test_wallet_addresses_are_distinct_base58() -> None:
    addresses = {address(i) for i in range(5000)}
    assert len(addresses) == 5000
    assert all(len(a) == 44 and "0" not in a and "l" not in a for a in addresses)


def test_ingest_reports_every_figure_from_one_short_round() -> None:
    figures = measure_ingest(rounds=1, duration_s=0.3)
    assert set(figures) == {
        "ingest_events_per_s",
        "bare_aiohttp_events_per_s",
        "ingest_ratio",
        "ingest_batched_events_per_s",
        "ingest_via_actors_events_per_s",
        "ingest_via_actors_ratio",
        "ingest_cpu_us_per_event",
        "bare_cpu_us_per_event",
        "ingest_via_actors_cpu_us_per_event",
        "ingest_cpu_ratio",
    }
    assert all(value > 0 for value in figures.values())
    expected = figures["ingest_events_per_s"] / figures["bare_aiohttp_events_per_s"]
    assert figures["ingest_ratio"] == pytest.approx(expected, abs=0.001)
    # No comparison of the two CPU figures: a 0.3 s round on a shared machine can put
    # either above the other (a timing claim belongs to the bench, not to a test).


@pytest.mark.timeout(600)
def test_decision_probes_become_orders_with_a_measured_latency() -> None:
    result = run_decision(probes=12, probe_every_s=0.1, background_rate=40.0)
    assert result.probes >= 10
    assert result.background_events > 0
    assert result.traded > 0  # strong records trade; the background is scored and skipped
    assert 0 < len(result.latencies_ms) <= result.traded
    assert all(0 < ms < 60_000 for ms in result.latencies_ms)


def _run(latencies_ms: list[float], refused: int = 0, depth: int = 1) -> DecisionResult:
    return DecisionResult(
        latencies_ms=latencies_ms,
        probes=len(latencies_ms),
        traded=len(latencies_ms),
        background_events=1000,
        background_refused=refused,
        backlog=("positions", depth),
    )


def test_pooled_runs_give_a_p99_that_is_not_one_hiccup() -> None:
    # Four runs of 15 probes: one 90 ms hiccup is the slowest, not the p99 of 60 probes.
    runs = [_run([5.0 + i for i in range(15)]) for _ in range(3)]
    runs.append(_run([5.0 + i for i in range(14)] + [90.0], refused=2, depth=7))
    figures = pooled_figures("decision", 500.0, runs)
    assert figures["decision_samples"] == 60
    assert figures["decision_runs"] == 4
    assert figures["decision_max_ms"] == 90.0
    assert figures["decision_p99_ms"] == 19.0  # the second slowest of 60 (nearest rank)
    assert figures["decision_p50_ms"] == 12.0
    assert figures["decision_background_refused"] == 2
    assert figures["decision_max_mailbox_depth"] == 7
    # One run alone: its p99 is its slowest probe.
    alone = pooled_figures("decision", 500.0, runs[3:])
    assert alone["decision_p99_ms"] == alone["decision_max_ms"] == 90.0


def test_a_run_without_a_traded_probe_is_an_error_not_a_figure() -> None:
    with pytest.raises(RuntimeError, match="traded no probe"):
        pooled_figures("decision", 500.0, [_run([5.0]), _run([])])
