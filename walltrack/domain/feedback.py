"""What a closed copy trade teaches: the source wallet's score, and which factors predict PnL.

Wallet score after each closed trade (domain-rules.md, Feedback): a win adds
min(0.02 + 0.01 x |pnl%| / 10, 0.10), a loss takes min(0.03 + 0.015 x |pnl%| / 10, 0.15),
clamped to [0, 1]; below 0.30 the wallet is flagged. A trade is a win above
`win_min_pnl_ratio` (0: any profit).

Factor accuracy: for each factor the running sums of (factor value, PnL ratio) give its
Pearson correlation with PnL, and the hit rate of "factor >= 0.5" predicting a win. After
`suggest_after_trades` (100) trades, weights proportional to the positive correlations are
blended 0.7 suggested + 0.3 current and offered to the operator — never applied here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from walltrack.domain.params.scoring import FactorWeights
from walltrack.domain.params.wallets import FeedbackParams

FACTORS: tuple[str, ...] = ("wallet", "cluster", "token", "context")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreUpdate:
    """A wallet score before and after one closed trade."""

    old_score: float
    new_score: float
    delta: float
    won: bool
    pnl_ratio: float
    flagged: bool  # the new score is below `flag_below`


def pnl_ratio(pnl_lamports: int, cost_lamports: int) -> float:
    """PnL as a share of what the position cost (0 when it cost nothing)."""
    return pnl_lamports / cost_lamports if cost_lamports > 0 else 0.0


def apply_trade_feedback(score: float, ratio: float, params: FeedbackParams) -> ScoreUpdate:
    """The wallet score after a copied trade that closed at PnL ratio `ratio` (0.5 = +50 %)."""
    won = ratio > params.win_min_pnl_ratio
    tens_of_percent = abs(ratio) * 100 / 10
    if won:
        delta = min(params.win_base + params.win_per_10pct * tens_of_percent, params.win_cap)
    else:
        delta = -min(params.loss_base + params.loss_per_10pct * tens_of_percent, params.loss_cap)
    new = min(1.0, max(0.0, score + delta))
    return ScoreUpdate(
        old_score=score,
        new_score=new,
        delta=new - score,
        won=won,
        pnl_ratio=ratio,
        flagged=new < params.flag_below,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class FactorStats:
    """Running sums for one factor against the PnL ratio of the trades it scored."""

    n: int = 0
    sum_x: float = 0.0
    sum_y: float = 0.0
    sum_xx: float = 0.0
    sum_yy: float = 0.0
    sum_xy: float = 0.0
    hits: int = 0  # factor >= 0.5 and won, or factor < 0.5 and lost

    def add(self, x: float, y: float, won: bool) -> FactorStats:
        """One more trade scored `x` by this factor that ended at PnL ratio `y`."""
        hit = (x >= 0.5) == won
        return FactorStats(
            n=self.n + 1,
            sum_x=self.sum_x + x,
            sum_y=self.sum_y + y,
            sum_xx=self.sum_xx + x * x,
            sum_yy=self.sum_yy + y * y,
            sum_xy=self.sum_xy + x * y,
            hits=self.hits + int(hit),
        )

    @property
    def accuracy(self) -> float | None:
        """Share of trades where the factor's verdict matched the outcome."""
        return self.hits / self.n if self.n else None

    @property
    def correlation(self) -> float | None:
        """Pearson correlation of the factor with PnL (None without variation)."""
        n = self.n
        if n < 2:
            return None
        cov = n * self.sum_xy - self.sum_x * self.sum_y
        var_x = n * self.sum_xx - self.sum_x**2
        var_y = n * self.sum_yy - self.sum_y**2
        if var_x <= 1e-12 or var_y <= 1e-12:
            return None
        return max(-1.0, min(1.0, cov / math.sqrt(var_x * var_y)))


@dataclass(frozen=True, slots=True, kw_only=True)
class FactorAccuracy:
    """Per-factor statistics over every closed trade since tracking began."""

    wallet: FactorStats = FactorStats()
    cluster: FactorStats = FactorStats()
    token: FactorStats = FactorStats()
    context: FactorStats = FactorStats()

    @property
    def trades(self) -> int:
        """How many closed trades were recorded."""
        return self.wallet.n

    def stats(self, factor: str) -> FactorStats:
        """The statistics of one of `FACTORS`."""
        value: FactorStats = getattr(self, factor)
        return value

    def record(
        self,
        *,
        wallet: float,
        cluster: float,
        token: float,
        context: float,
        ratio: float,
        won: bool,
    ) -> FactorAccuracy:
        """One closed trade: the factor values of its signal and its PnL ratio."""
        values = {"wallet": wallet, "cluster": cluster, "token": token, "context": context}
        return replace(
            self, **{name: self.stats(name).add(values[name], ratio, won) for name in FACTORS}
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class WeightSuggestion:
    """New factor weights for the operator to review; nothing applies them automatically."""

    trades: int
    correlations: tuple[tuple[str, float | None], ...]
    suggested: FactorWeights  # from the correlations alone
    blended: FactorWeights  # 0.7 suggested + 0.3 current: what the operator may apply


def _weights(values: dict[str, float]) -> FactorWeights:
    """Rounded to 4 decimals, the last one taking the rounding so they sum to 1."""
    wallet, cluster, token = (round(values[name], 4) for name in ("wallet", "cluster", "token"))
    return FactorWeights(
        wallet=wallet,
        cluster=cluster,
        token=token,
        context=max(0.0, 1.0 - wallet - cluster - token),
    )


def suggest_weights(
    accuracy: FactorAccuracy, current: FactorWeights, params: FeedbackParams
) -> WeightSuggestion | None:
    """A suggestion once enough trades exist and some factor correlates positively."""
    if accuracy.trades < params.suggest_after_trades:
        return None
    correlations = {name: accuracy.stats(name).correlation for name in FACTORS}
    positive = {name: max(0.0, c or 0.0) for name, c in correlations.items()}
    total = sum(positive.values())
    if total <= 0:
        return None
    suggested = {name: value / total for name, value in positive.items()}
    blend = params.suggestion_blend
    blended = {
        name: blend * suggested[name] + (1 - blend) * getattr(current, name) for name in FACTORS
    }
    return WeightSuggestion(
        trades=accuracy.trades,
        correlations=tuple(correlations.items()),
        suggested=_weights(suggested),
        blended=_weights(blended),
    )
