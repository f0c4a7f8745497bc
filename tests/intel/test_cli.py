"""`walltrack discover tokens|wallets` and `walltrack profile` against the simulator and a
real PostgreSQL, in-process, exactly as an operator runs them (settings from WALLTRACK_*)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.intel.kit import still
from walltrack.cli import main
from walltrack.sim.thread import SimulationThread


@pytest.fixture
def sim(pg_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SimulationThread]:
    with SimulationThread(still(warmup_s=1800.0)) as running:
        for name, value in running.endpoints.as_env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("WALLTRACK_PG_DSN", pg_dsn)
        monkeypatch.setenv("WALLTRACK_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("WALLTRACK_LOG_LEVEL", "WARNING")
        yield running


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    assert "[" in captured.err  # the progress bar
    result: dict[str, Any] = json.loads(captured.out.strip().splitlines()[-1])
    return result


@pytest.mark.timeout(300)
def test_discover_and_profile_commands(
    sim: SimulationThread, capsys: pytest.CaptureFixture[str]
) -> None:
    truth = sim.call(lambda s: s.ground_truth())
    mint = truth["tokens"][0]["mint"]
    tokens = run(capsys, "discover", "tokens", "--mint", mint)
    (added,) = tokens["added"]
    assert added["mint"] == mint
    assert "failed" in added["safety"]
    wallets = run(capsys, "discover", "wallets", "--mint", mint)
    assert wallets["tokens"] == 1
    assert wallets["found"]
    assert wallets["profiles"]["profiled"] == len(wallets["found"])
    smart = max(truth["smart_wallets"], key=lambda w: w["buys"])["address"]
    profile = run(capsys, "profile", smart, "--pin")
    assert profile["wallet"] == smart
    assert profile["pinned"] is True
    assert profile["status"] == "watchlisted"  # pinned: watched whatever its metrics
    assert isinstance(profile["trades"], int)
    assert profile["trades"] > 0
