"""Tunable knobs of the simulated market: population sizes, rates and fate weights.

Why a frozen value: a world is fully determined by (seed, params), so the same pair must
always give the same event stream; defaults aim at a busy but readable market.
"""

from __future__ import annotations

from dataclasses import dataclass

from walltrack.sim.fates import Fate


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketParams:
    """Everything that shapes a world besides its seed."""

    launch_interval_s: float = 25.0
    first_launch_s: float = 45.0
    fate_weights: tuple[tuple[Fate, float], ...] = (
        ("dud", 0.50),
        ("rug", 0.30),
        ("fade", 0.13),
        ("runner", 0.07),
    )
    retail_wallets: int = 1200
    retail_median_sol: float = 8.0
    smart_wallets: int = 10
    smart_skill: tuple[float, float] = (0.7, 0.95)
    clusters: int = 4
    cluster_size: tuple[int, int] = (3, 6)
    cluster_leader_skill: tuple[float, float] = (0.55, 0.9)
    follower_delay_s: tuple[float, float] = (1.0, 20.0)
    copy_farmers: int = 6
    copy_delay_s: tuple[float, float] = (4.0, 45.0)
    dev_wallets: int = 24
    snipers: int = 6
    sniper_share: float = 0.45
    flippers: int = 4
    flipper_share: float = 0.3
    exchanges: int = 3
    exchange_withdrawal_rate: float = 0.25
    fund_window_s: float = 40.0
    smart_funding_sol: tuple[float, float] = (40.0, 120.0)
    member_funding_sol: tuple[float, float] = (5.0, 30.0)
    sol_usd: float = 170.0
