"""Starting the world: from asyncio, from a thread, as fast as possible, at a speed, and
as the `walltrack sim` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from walltrack.clock import ManualClock, SimClock
from walltrack.sim.harness import SimConfig, start_simulation
from walltrack.sim.thread import SimulationThread

REPO = Path(__file__).resolve().parents[2]


async def test_as_fast_as_possible_steps_a_manual_clock() -> None:
    async with start_simulation(SimConfig(seed=2, speed=None)) as sim:
        assert isinstance(sim.clock, ManualClock)
        await sim.wait_until(900.0)
        assert sim.world.now >= 900.0
        assert len(sim.world.market.token_list) > 10
        assert sim.clock.now() == sim.now()


async def test_a_speed_factor_runs_on_a_sim_clock() -> None:
    config = SimConfig(seed=2, speed=600.0, warmup_s=100.0)
    async with start_simulation(config) as sim:
        assert isinstance(sim.clock, SimClock)
        await sim.wait_until(160.0)
        lag = (sim.clock.now() - sim.now()).total_seconds()
        assert 0.0 <= lag < 600.0 * 2.0
        assert sim.world.now >= 160.0


def test_thread_wrapper_for_synchronous_callers() -> None:
    with SimulationThread(SimConfig(seed=4, speed=1200.0, warmup_s=60.0)) as runner:
        endpoints = runner.endpoints
        assert endpoints.as_env()["WALLTRACK_RPC_URLS"].count(",") == 1
        runner.wait_until(120.0)
        assert runner.call(lambda sim: sim.world.now) >= 120.0
        status = httpx.get(f"{endpoints.control_url}/status", timeout=10).json()
        assert status["seed"] == 4
        body = {"jsonrpc": "2.0", "id": 1, "method": "getHealth"}
        assert httpx.post(endpoints.rpc_urls[0], json=body, timeout=10).json()["result"] == "ok"


def test_the_sim_command_prints_its_endpoints(tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    command = [sys.executable, "-m", "walltrack.cli", "sim", "--seed", "3", "--speed", "max",
               "--duration", "2", "--json", "--ground-truth", str(truth),
               "--webhook-url", "http://127.0.0.1:9/nowhere"]  # fmt: skip
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        endpoints = json.loads(process.stdout.readline())
        status = httpx.get(f"{endpoints['control']}/status", timeout=10).json()
        assert status["seed"] == 3
        assert status["endpoints"] == endpoints
        assert process.wait(timeout=60) == 0
    assert json.loads(truth.read_text())["seed"] == 3
