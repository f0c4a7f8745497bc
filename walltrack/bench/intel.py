"""`walltrack bench intel`: profiling speed from stored history and a 10k-wallet rebuild.

Targets (README): profile_wallets_per_s >= 200, cluster_rebuild_10k_s <= 10. Both run on
private embedded stores (PostgreSQL, ArcadeDB over Bolt) in a temporary directory; how
each figure is taken is in `_intel_profiles.py` and `_intel_clusters.py`.
"""

from __future__ import annotations


def run() -> dict[str, float | int]:
    """Both measurements, one after the other (heavy imports here)."""
    from walltrack.bench._intel_clusters import cluster_rebuild_metrics  # noqa: PLC0415
    from walltrack.bench._intel_profiles import profile_metrics  # noqa: PLC0415

    return {**profile_metrics(), **cluster_rebuild_metrics()}
