"""`walltrack bench pipeline`: the webhook edge, the decision path and the tracked-set scale.

Issue 5, item 20. Three measurements, each in its own module:
- `_ingest`: webhook deliveries per second through the real receiver, against a bare
  aiohttp handler under the same load generator (a separate process), single and batched;
- `_decision`: webhook received -> entry order submitted, under 500 events/s of background
  load, and again under a light load (the path's own latency, without queueing);
- `_wallet_scale`: the largest tracked-wallet set held with virtual wallet actors, and the
  RSS at that size (run in a child process, so the RSS is that tree's alone).
Targets are in the README; no timing is asserted here or in tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from walltrack.bench import Metrics

WALLET_SCALE_TIMEOUT_S = 900.0


def wallet_scale(extra_args: tuple[str, ...] = ()) -> dict[str, float | int]:
    """`max_tracked_wallets` and `rss_mb`, measured in a fresh child process."""
    command = [sys.executable, "-m", "walltrack.bench._wallet_scale", *extra_args]
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        command, capture_output=True, text=True, timeout=WALLET_SCALE_TIMEOUT_S, check=False
    )
    if done.returncode != 0:
        msg = f"the wallet-scale measurement failed: {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    report: dict[str, float | int] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def run() -> Metrics:
    """Every pipeline figure: the wallet scale (its own process), ingest, then decision."""
    from walltrack.bench._decision import measure_decision  # noqa: PLC0415 - heavy import
    from walltrack.bench._ingest import measure_ingest  # noqa: PLC0415
    from walltrack.config import LogFormat  # noqa: PLC0415
    from walltrack.logging import configure_logging  # noqa: PLC0415

    scale = wallet_scale()
    with open(os.devnull, "w", encoding="utf-8") as quiet:
        configure_logging("ERROR", LogFormat.JSON, quiet)
        ingest = measure_ingest()
        decision = measure_decision()
    return {
        **ingest,
        **decision,
        "max_tracked_wallets": scale["max_tracked_wallets"],
        "rss_mb": scale["rss_mb"],
    }
