"""The hidden script of a token: how the crowd will treat it (the ground truth of its fate).

Why a script and not a price path: prices move only through trades. The script sets the
crowd's appetite over time (a target multiple of the launch price and a trade rate); the
retail agents trade towards it, and the realised price is whatever those trades make it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Literal

type Fate = Literal["dud", "rug", "fade", "runner"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenScript:
    """Appetite of the crowd for one token, in seconds since launch (tau)."""

    fate: Fate
    peak_multiple: float
    peak_tau: float
    end_tau: float
    floor_multiple: float
    rug_tau: float | None
    rate: float
    buy_median_sol: float
    dev_buy_lamports: int
    insider_count: int
    dev_exit_tau: float | None
    profile_tau: float | None
    boost_amount: int
    freeze_authority: bool

    def target_multiple(self, tau: float) -> float:
        """The multiple of the launch price the crowd would pay at `tau` (log-linear)."""
        if tau <= self.peak_tau:
            share = max(tau, 0.0) / self.peak_tau
            return math.exp(share * math.log(self.peak_multiple))
        if tau >= self.end_tau:
            return self.floor_multiple
        share = (tau - self.peak_tau) / (self.end_tau - self.peak_tau)
        low, high = math.log(self.floor_multiple), math.log(self.peak_multiple)
        return math.exp(high + share * (low - high))

    def trade_rate(self, tau: float) -> float:
        """Retail trades per second at `tau`: ramps up to the peak, then dies out."""
        if tau >= self.end_tau:
            return 0.0
        if self.rug_tau is not None and tau > self.rug_tau:
            return self.rate * 0.8
        if tau <= self.peak_tau:
            return self.rate * (0.35 + 0.65 * tau / self.peak_tau)
        return self.rate * max(0.1, 1.0 - (tau - self.peak_tau) / (self.end_tau - self.peak_tau))


def _lamports(rng: random.Random, low_sol: float, high_sol: float) -> int:
    return int(rng.uniform(low_sol, high_sol) * 1e9)


def draw_script(rng: random.Random, fate: Fate) -> TokenScript:
    """A random script for `fate`; the ranges are assumptions (api-formats.md §6.3)."""
    rug_tau: float | None = None
    dev_exit: float | None = None
    if fate == "dud":
        peak_multiple, peak_tau = rng.uniform(1.3, 4.0), rng.uniform(30, 240)
        end_tau = peak_tau + rng.uniform(180, 900)
        floor, rate, median = 0.5, rng.uniform(0.15, 0.5), 0.25
        insiders = rng.choice((0, 0, 1, 2))
        dev_exit = peak_tau * rng.uniform(0.8, 1.5)
    elif fate == "rug":
        rug_tau = rng.uniform(60, 600)
        peak_multiple, peak_tau = rng.uniform(2.5, 8.0), rug_tau
        end_tau = rug_tau + rng.uniform(120, 400)
        floor, rate, median = 0.3, rng.uniform(0.5, 1.5), 0.35
        insiders = rng.randint(2, 5)
        dev_exit = rug_tau
    elif fate == "fade":
        peak_multiple, peak_tau = rng.uniform(18, 35), rng.uniform(300, 1200)
        end_tau = peak_tau + rng.uniform(900, 2400)
        floor, rate, median = peak_multiple * 0.08, rng.uniform(1.5, 3.0), 0.6
        insiders = rng.choice((0, 1, 2, 3))
        dev_exit = peak_tau * rng.uniform(1.0, 1.3)
    else:
        peak_multiple, peak_tau = rng.uniform(40, 200), rng.uniform(900, 3000)
        end_tau = peak_tau + rng.uniform(1800, 3600)
        floor, rate, median = peak_multiple * 0.2, rng.uniform(2.0, 4.0), 0.9
        insiders = rng.choice((0, 1, 2))
    promoted = fate in ("fade", "runner") or rng.random() < 0.3
    profile_tau = rng.uniform(20, min(peak_tau, 400)) if promoted else None
    boost = rng.choice((10, 30, 50, 100, 500)) if promoted and rng.random() < 0.5 else 0
    return TokenScript(
        fate=fate,
        peak_multiple=peak_multiple,
        peak_tau=peak_tau,
        end_tau=end_tau,
        floor_multiple=floor,
        rug_tau=rug_tau,
        rate=rate,
        buy_median_sol=median,
        dev_buy_lamports=_lamports(rng, 4.0, 10.0) if fate == "rug" else _lamports(rng, 0.3, 2.5),
        insider_count=insiders,
        dev_exit_tau=dev_exit,
        profile_tau=profile_tau,
        boost_amount=boost,
        freeze_authority=fate == "rug" and rng.random() < 0.15,
    )
