"""`classify_per_s`: enhanced transactions classified per second, on the recorded payloads.

Why the real payloads and not the simulator's: they carry every shape the classifier must
survive (full, trimmed, typed TRANSFER/UNKNOWN, non-swaps), in their real sizes (3 to 64
accountData entries). They live outside the repo in ../shared/fixtures/helius-real; the
figure is meaningless without them, so a missing directory is an error, not a fallback.
Private module (leading underscore): the `market` bench reports this figure.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from walltrack.domain.swaps import classify_swap

REAL_PAYLOADS = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "helius-real"
).resolve()


def load_real_payloads(directory: Path = REAL_PAYLOADS) -> list[tuple[dict[str, Any], str]]:
    """(payload, wallet) pairs: every recorded payload, classified for its fee payer."""
    paths = sorted(directory.glob("*.json"))
    if not paths:
        msg = f"no recorded Helius payloads in {directory}"
        raise FileNotFoundError(msg)
    pairs: list[tuple[dict[str, Any], str]] = []
    for path in paths:
        payload: dict[str, Any] = json.loads(path.read_text())
        pairs.append((payload, str(payload["feePayer"])))
    return pairs


def classify_per_s(min_seconds: float = 2.0) -> float:
    """Classify the recorded payloads round-robin for at least `min_seconds`; rate per s."""
    pairs = load_real_payloads()
    for payload, wallet in pairs:  # warm-up: first calls pay for imports and caches
        classify_swap(payload, wallet)
    rounds = 0
    started = time.perf_counter()
    deadline = started + min_seconds
    while True:
        for _ in range(50):
            for payload, wallet in pairs:
                classify_swap(payload, wallet)
        rounds += 50
        now = time.perf_counter()
        if now >= deadline:
            return rounds * len(pairs) / (now - started)
