"""Wallet profiling, watchlist, decay and feedback parameters (domain-rules.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from walltrack.domain.params.parsing import bounds


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfilingParams:
    """How a wallet's swap history becomes its profile and confidence."""

    win_pnl_ratio: float = field(default=0.10, metadata=bounds(ge=0))
    high_confidence_trades: int = field(default=20, metadata=bounds(ge=1))
    medium_confidence_trades: int = field(default=5, metadata=bounds(ge=1))
    insufficient_data_score: float = field(default=0.3, metadata=bounds(ge=0, le=1))
    small_buy_max_sol: Decimal = field(default=Decimal(1), metadata=bounds(gt=0))
    medium_buy_max_sol: Decimal = field(default=Decimal(5), metadata=bounds(gt=0))
    copy_entry_delay_s: float = field(default=3.0, metadata=bounds(ge=0))
    copy_slippage: float = field(default=0.05, metadata=bounds(ge=0, le=1))
    flash_flip_seconds: float = field(default=5.0, metadata=bounds(gt=0))
    flash_flip_share: float = field(default=0.30, metadata=bounds(ge=0, le=1))
    bot_trades_7d: int = field(default=2000, metadata=bounds(ge=1))
    bot_window_days: int = field(default=7, metadata=bounds(ge=1))
    # follower (copy-trader): one wallet bought within follow_window_s before this one in
    # >= follow_min_share of its tokens (judged over >= follow_min_tokens tokens)
    follow_window_s: float = field(default=60.0, metadata=bounds(gt=0))
    follow_min_share: float = field(default=0.75, metadata=bounds(gt=0, le=1))
    follow_min_tokens: int = field(default=5, metadata=bounds(ge=1))
    # ... and took >= this share of the tokens that wallet bought meanwhile (when counted)
    follow_min_coverage: float = field(default=0.5, metadata=bounds(ge=0, le=1))
    # launch-block buyer (creator, bundle, insider): first buy within launch_block_s of the
    # token's first buy in >= launch_buyer_share of its tokens (>= launch_buyer_min_tokens)
    launch_block_s: float = field(default=1.0, metadata=bounds(ge=0))
    launch_buyer_share: float = field(default=0.5, metadata=bounds(gt=0, le=1))
    launch_buyer_min_tokens: int = field(default=5, metadata=bounds(ge=1))
    copy_fee_lamports: int = field(default=10_000, metadata=bounds(ge=0))  # per follower swap
    # a buy lot is closed once no more than this share of it is left unsold
    dust_fraction: float = field(default=0.01, metadata=bounds(ge=0, le=0.5))
    # consistency = share of consecutive chunks of this many trades with a net profit
    consistency_chunk_trades: int = field(default=5, metadata=bounds(ge=1))
    preferred_hours_count: int = field(default=3, metadata=bounds(ge=1, le=24))
    # profiling job: re-profile every wallet this often; history read per wallet (pages)
    reprofile_every_hours: int = field(default=6, metadata=bounds(ge=1))
    history_max_pages: int = field(default=50, metadata=bounds(ge=1))

    def problems(self) -> list[tuple[str, str]]:
        """Cross-field rules: the confidence and buy-size ladders must rise."""
        found: list[tuple[str, str]] = []
        if self.medium_confidence_trades > self.high_confidence_trades:
            found.append(("medium_confidence_trades", "must be <= high_confidence_trades"))
        if self.small_buy_max_sol > self.medium_buy_max_sol:
            found.append(("small_buy_max_sol", "must be <= medium_buy_max_sol"))
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchlistParams:
    """The criteria a profiled wallet must meet to be watched and copied."""

    min_win_rate: float = field(default=0.70, metadata=bounds(ge=0, le=1))
    min_pnl_sol: Decimal = field(default=Decimal(5))
    min_trades: int = field(default=10, metadata=bounds(ge=1))
    max_decay_score: float = field(default=0.3, metadata=bounds(ge=0, le=1))


@dataclass(frozen=True, slots=True, kw_only=True)
class DecayParams:
    """When a watched wallet is flagged, downgraded, recovered or dormant."""

    window_trades: int = field(default=20, metadata=bounds(ge=1))
    flag_win_rate: float = field(default=0.40, metadata=bounds(ge=0, le=1))
    flag_multiplier: float = field(default=0.8, metadata=bounds(gt=0, le=1))
    recover_win_rate: float = field(default=0.50, metadata=bounds(ge=0, le=1))
    recover_multiplier: float = field(default=1.1, metadata=bounds(ge=1))
    loss_streak: int = field(default=3, metadata=bounds(ge=1))
    loss_streak_multiplier: float = field(default=0.95, metadata=bounds(gt=0, le=1))
    dormant_days: int = field(default=30, metadata=bounds(ge=1))
    # decay job: every watched wallet re-checked this often (also after each closed trade)
    check_every_hours: int = field(default=1, metadata=bounds(ge=1))

    def problems(self) -> list[tuple[str, str]]:
        """A wallet cannot be flagged and recovered by the same win rate."""
        if self.flag_win_rate > self.recover_win_rate:
            return [("flag_win_rate", "must be <= recover_win_rate")]
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackParams:
    """How a closed trade moves the source wallet's score, and weight suggestions."""

    win_base: float = field(default=0.02, metadata=bounds(ge=0, le=1))
    win_per_10pct: float = field(default=0.01, metadata=bounds(ge=0, le=1))
    win_cap: float = field(default=0.10, metadata=bounds(ge=0, le=1))
    loss_base: float = field(default=0.03, metadata=bounds(ge=0, le=1))
    loss_per_10pct: float = field(default=0.015, metadata=bounds(ge=0, le=1))
    loss_cap: float = field(default=0.15, metadata=bounds(ge=0, le=1))
    win_min_pnl_ratio: float = 0.0  # a closed copy trade above this PnL ratio is a win
    flag_below: float = field(default=0.30, metadata=bounds(ge=0, le=1))
    suggest_after_trades: int = field(default=100, metadata=bounds(ge=1))
    suggestion_blend: float = field(default=0.7, metadata=bounds(ge=0, le=1))
