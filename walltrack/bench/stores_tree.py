"""`walltrack bench stores_tree`: the StoresSupervisor with its embedded servers, timed.

What an operator waits for, in a private temporary data directory:
- tree_cold_start_s: empty data dir -> both servers initialised and healthy, migrations
  applied, graph schema created, config listener up (what `runtime.start()` waits for);
- tree_warm_start_s: the same on the data the first run left (a restart of WallTrack);
- tree_stop_s: the ordered stop (snapshots flushed, listener, pool, graph, PostgreSQL);
- pg_kill_recovery_s / graph_kill_recovery_s: SIGKILL of the server process -> the stores
  connected again (health checks at the production period, 1 s: detection included).
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def run() -> dict[str, float | int]:
    """Start, stop, restart and kill the embedded stores under a tree; seconds each."""
    from walltrack.config import LogFormat  # noqa: PLC0415
    from walltrack.logging import configure_logging  # noqa: PLC0415

    configure_logging("WARNING", LogFormat.CONSOLE, sys.stderr)
    with tempfile.TemporaryDirectory(prefix="walltrack-bench-tree-") as data_dir:
        cold_start, _, stop = _start_and_stop(Path(data_dir), kill=None)
        warm_start, pg_recovery, _ = _start_and_stop(Path(data_dir), kill="postgres")
        _, graph_recovery, _ = _start_and_stop(Path(data_dir), kill="graph")
    return {
        "tree_cold_start_s": round(cold_start, 3),
        "tree_warm_start_s": round(warm_start, 3),
        "tree_stop_s": round(stop, 3),
        "pg_kill_recovery_s": round(pg_recovery, 3),
        "graph_kill_recovery_s": round(graph_recovery, 3),
    }


def _start_and_stop(data_dir: Path, kill: str | None) -> tuple[float, float, float]:
    """(start s, recovery s after killing `kill`'s server or 0, stop s)."""
    from supervisors.runtime import TreeRuntime  # noqa: PLC0415
    from supervisors.wiring import plan_stores, root_spec, tree_services  # noqa: PLC0415
    from walltrack.config import load_settings  # noqa: PLC0415
    from walltrack.domain.messages.stores import StoresConnected  # noqa: PLC0415

    settings = load_settings({"WALLTRACK_DATA_DIR": str(data_dir)})
    plan = plan_stores(settings)
    services = tree_services(settings, plan)
    reconnected = threading.Event()

    def listen(event: Any) -> None:
        if isinstance(event, StoresConnected) and event.incarnation > 1:
            reconnected.set()

    services.bus.listen(listen)
    runtime = TreeRuntime(
        services, root_spec(settings, plan, services), root_start_timeout_s=plan.start_budget_s
    )
    try:
        began = time.perf_counter()
        runtime.start()
        start_s = time.perf_counter() - began
        recovery_s = 0.0
        if kill is not None:
            server = next(s for s in plan.servers if s.store == kill)
            pid = server.pid
            if pid is None:
                msg = f"the {kill} server has no pid"
                raise RuntimeError(msg)
            began = time.perf_counter()
            os.kill(pid, signal.SIGKILL)
            if not reconnected.wait(120):
                msg = f"the stores did not reconnect after killing the {kill} server"
                raise RuntimeError(msg)
            recovery_s = time.perf_counter() - began
        began = time.perf_counter()
        runtime.shutdown(timeout=120)
        stop_s = time.perf_counter() - began
    finally:
        runtime.shutdown(timeout=120)
        plan.close()
    return start_s, recovery_s, stop_s
