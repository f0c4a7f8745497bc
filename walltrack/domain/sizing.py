"""How many lamports a new position gets, or why it gets none.

Why pure: the same rules size paper, live and backtest positions from the balance each mode
really has (chain in live, paper ledger in paper), and they must be provable by tests.

size = (balance - reserve) x base_fraction x conviction x risk multiplier x (1 - drawdown
cut), clamped to [min_position_sol, max_position_sol], then cut down to the room every
portfolio limit leaves: the free balance above the reserve, total allocation (50 % of
equity), one token (25 %), one cluster (50 %). Equity is the free balance plus what open
positions hold. A position smaller than the minimum after the limits is skipped and the
binding limit is the reason. No position is opened in a token already held, beyond the
concurrent-position caps, or when the drawdown from the 30-day equity peak reaches the
blocking tier (20 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from walltrack.domain.params.trading import SizingParams

LAMPORTS_PER_SOL = 1_000_000_000


class SizingSkip(StrEnum):
    """Why no position is opened."""

    ALREADY_HOLDING_TOKEN = "already_holding_token"  # noqa: S105 (a reason, not a secret)
    MAX_POSITIONS = "max_positions"
    CLUSTER_POSITIONS = "cluster_positions"
    DRAWDOWN_BLOCKED = "drawdown_blocked"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    MAX_ALLOCATION = "max_allocation"
    TOKEN_CONCENTRATION = "token_concentration"  # noqa: S105 (a reason, not a secret)
    CLUSTER_CONCENTRATION = "cluster_concentration"


@dataclass(frozen=True, slots=True, kw_only=True)
class Exposure:
    """One open position as the portfolio limits see it: SOL committed to it."""

    token_mint: str
    cluster_id: str | None
    lamports: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Portfolio:
    """The capital a new position is sized from."""

    balance_lamports: int  # free SOL of the trading wallet (chain) or the paper ledger
    open_positions: tuple[Exposure, ...] = ()
    peak_equity_lamports: int = 0  # highest equity of the last `drawdown_peak_days`

    @property
    def allocated_lamports(self) -> int:
        """SOL held in open positions."""
        return sum(p.lamports for p in self.open_positions)

    @property
    def equity_lamports(self) -> int:
        """Free balance plus open positions."""
        return self.balance_lamports + self.allocated_lamports


@dataclass(frozen=True, slots=True, kw_only=True)
class SizingRequest:
    """The signal being sized."""

    token_mint: str
    cluster_id: str | None = None
    conviction_multiplier: float = 1.0  # 1.5 for high conviction
    risk_multiplier: float = 1.0  # circuit breaker's size reduction (loss streak: 0.5)


@dataclass(frozen=True, slots=True, kw_only=True)
class SizingDecision:
    """A size in lamports, or the reason there is none, with the figures behind it."""

    size_lamports: int | None
    skip_reason: SizingSkip | None
    equity_lamports: int
    drawdown: Decimal
    drawdown_cut: float
    wanted_lamports: int  # after multipliers and clamp, before the limits
    binding_limit: SizingSkip | None  # the limit that cut the size down, if any


def _fraction(value: float) -> Decimal:
    return Decimal(str(value))


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def drawdown(equity_lamports: int, peak_lamports: int) -> Decimal:
    """Fall of equity below its peak as an exact fraction (0 at or above the peak)."""
    if peak_lamports <= 0 or equity_lamports >= peak_lamports:
        return Decimal(0)
    return Decimal(peak_lamports - equity_lamports) / Decimal(peak_lamports)


def drawdown_cut(current: Decimal, params: SizingParams) -> float:
    """Size cut of the deepest tier reached (a tier applies from exactly its drawdown)."""
    cut = 0.0
    for tier in params.drawdown_tiers:
        if current >= _fraction(tier.drawdown):
            cut = max(cut, tier.size_cut)
    return cut


def size_position(
    request: SizingRequest, portfolio: Portfolio, params: SizingParams
) -> SizingDecision:
    """The size of a new position in `request.token_mint`, or the reason to skip it."""
    equity = portfolio.equity_lamports
    current = drawdown(equity, portfolio.peak_equity_lamports)
    cut = drawdown_cut(current, params)

    def skip(reason: SizingSkip, wanted: int = 0) -> SizingDecision:
        return SizingDecision(
            size_lamports=None,
            skip_reason=reason,
            equity_lamports=equity,
            drawdown=current,
            drawdown_cut=cut,
            wanted_lamports=wanted,
            binding_limit=reason if wanted else None,
        )

    gate = _gate(request, portfolio, params, cut)
    if gate is not None:
        return skip(gate)
    reserve = _floor(params.reserve_sol * LAMPORTS_PER_SOL)
    available = portfolio.balance_lamports - reserve
    if available < _floor(params.min_position_sol * LAMPORTS_PER_SOL):
        return skip(SizingSkip.INSUFFICIENT_BALANCE)

    multiplier = (
        _fraction(params.base_fraction)
        * _fraction(request.conviction_multiplier)
        * _fraction(request.risk_multiplier)
        * (1 - _fraction(cut))
    )
    low = _floor(params.min_position_sol * LAMPORTS_PER_SOL)
    high = _floor(params.max_position_sol * LAMPORTS_PER_SOL)
    wanted = min(high, max(low, _floor(available * multiplier)))

    equity_d = Decimal(equity)
    rooms: list[tuple[int, SizingSkip]] = [
        (available, SizingSkip.INSUFFICIENT_BALANCE),
        (
            _floor(equity_d * _fraction(params.max_allocated_fraction))
            - portfolio.allocated_lamports,
            SizingSkip.MAX_ALLOCATION,
        ),
        (_floor(equity_d * _fraction(params.max_token_fraction)), SizingSkip.TOKEN_CONCENTRATION),
    ]
    if request.cluster_id is not None:
        cluster_held = sum(
            p.lamports for p in portfolio.open_positions if p.cluster_id == request.cluster_id
        )
        rooms.append(
            (
                _floor(equity_d * _fraction(params.max_cluster_fraction)) - cluster_held,
                SizingSkip.CLUSTER_CONCENTRATION,
            )
        )
    size, binding = wanted, None
    for room, reason in rooms:
        if room < size:
            size, binding = room, reason
    if binding is not None and size < low:
        return skip(binding, wanted)
    return SizingDecision(
        size_lamports=size,
        skip_reason=None,
        equity_lamports=equity,
        drawdown=current,
        drawdown_cut=cut,
        wanted_lamports=wanted,
        binding_limit=binding,
    )


def _gate(
    request: SizingRequest, portfolio: Portfolio, params: SizingParams, cut: float
) -> SizingSkip | None:
    """The rule that forbids any new position in this token now, if one does."""
    held = portfolio.open_positions
    if any(p.token_mint == request.token_mint for p in held):
        return SizingSkip.ALREADY_HOLDING_TOKEN
    if len(held) >= params.max_concurrent_positions:
        return SizingSkip.MAX_POSITIONS
    if request.cluster_id is not None:
        in_cluster = sum(1 for p in held if p.cluster_id == request.cluster_id)
        if in_cluster >= params.max_cluster_positions:
            return SizingSkip.CLUSTER_POSITIONS
    if cut >= 1.0:
        return SizingSkip.DRAWDOWN_BLOCKED
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class EquityPeaks:
    """The highest equity of each recent UTC day: the 30-day peak sizing measures from."""

    days: tuple[tuple[date, int], ...] = ()

    def record(self, equity_lamports: int, now: datetime, keep_days: int) -> EquityPeaks:
        """Fold one equity observation in and forget days older than `keep_days`."""
        today = now.date()
        oldest = today - timedelta(days=keep_days - 1)
        kept = [(day, peak) for day, peak in self.days if day >= oldest and day != today]
        today_peak = max([equity_lamports, *(peak for day, peak in self.days if day == today)])
        kept.append((today, today_peak))
        kept.sort()
        return EquityPeaks(days=tuple(kept))

    def peak(self, now: datetime, keep_days: int) -> int:
        """The highest equity seen within the last `keep_days` days (0 when none)."""
        oldest = now.date() - timedelta(days=keep_days - 1)
        return max((peak for day, peak in self.days if day >= oldest), default=0)
