"""A wallet's profile from its swap history, and the watchlist criteria it must meet.

Metrics (domain-rules.md, Profiling): FIFO trades in SOL (a win is PnL >= 10 %), win rate,
total and average PnL, the timing percentile computed from the buyers' order of each token
the wallet traded (rank / (buyers - 1), 0 = first buyer, averaged), average hold time,
consistency (share of consecutive chunks of `consistency_chunk_trades` trades that made
money), preferred UTC hours (the most frequent buy hours), average buy size and its class,
confidence from the trade count, copy-tradeability, and the flash-flipper, bot, follower
(following.py: a copy-trader of another wallet) and launch-buyer (launch_buyers.py: the
creator, a bundle or an insider) flags.
The profile score is the wallet factor's metric score (0.3 with fewer than 5 trades).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from walltrack.domain.copytrade import PriceAt, copy_tradeability
from walltrack.domain.decay import trailing_losses
from walltrack.domain.fifo import ClosedTrade, pair_fifo
from walltrack.domain.following import FollowVerdict, LeadTokens, TokenBuyers, follower_verdict
from walltrack.domain.launch_buyers import LaunchBuyerVerdict, launch_buyer_verdict
from walltrack.domain.params.scoring import WalletFactorParams
from walltrack.domain.params.wallets import ProfilingParams, WatchlistParams
from walltrack.domain.records.wallets import BuySize, Confidence, WalletProfile
from walltrack.domain.scoring.wallet_factor import WalletFactorInputs, wallet_metrics_score
from walltrack.domain.swap_types import Side, Swap

LAMPORTS_PER_SOL = 1_000_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenEntry:
    """Where the wallet's first buy of a token ranks among all its buyers (0 = first)."""

    rank: int
    buyers: int


def buyer_entries(first_buys: Iterable[tuple[str, datetime]]) -> dict[str, TokenEntry]:
    """Each buyer's rank from (wallet, first buy time) pairs of one token; ties by address."""
    earliest: dict[str, datetime] = {}
    for wallet, at in first_buys:
        if wallet not in earliest or at < earliest[wallet]:
            earliest[wallet] = at
    ordered = sorted(earliest, key=lambda w: (earliest[w], w))
    return {w: TokenEntry(rank=i, buyers=len(ordered)) for i, w in enumerate(ordered)}


def timing_percentile(entries: Iterable[TokenEntry]) -> float | None:
    """Mean of rank / (buyers - 1) over tokens (a sole buyer counts as first)."""
    values = [e.rank / (e.buyers - 1) if e.buyers > 1 else 0.0 for e in entries]
    return sum(values) / len(values) if values else None


def consistency(trades: Sequence[ClosedTrade], chunk: int) -> float | None:
    """Share of chronological chunks of `chunk` trades with a net profit."""
    if not trades:
        return None
    chunks = [trades[i : i + chunk] for i in range(0, len(trades), chunk)]
    good = sum(1 for c in chunks if sum(t.pnl_lamports for t in c) > 0)
    return good / len(chunks)


def preferred_hours(buys: Iterable[Swap], count: int) -> tuple[int, ...]:
    """The `count` UTC hours with the most buys, most frequent first (ties: earlier hour)."""
    hours = Counter(swap.timestamp.hour for swap in buys)
    ranked = sorted(hours.items(), key=lambda item: (-item[1], item[0]))
    return tuple(hour for hour, _ in ranked[:count])


def buy_size_class(avg_lamports: int, params: ProfilingParams) -> BuySize:
    """small <= 1 SOL, medium <= 5 SOL, large above."""
    sol = Decimal(avg_lamports) / LAMPORTS_PER_SOL
    if sol <= params.small_buy_max_sol:
        return BuySize.SMALL
    if sol <= params.medium_buy_max_sol:
        return BuySize.MEDIUM
    return BuySize.LARGE


def confidence(trade_count: int, params: ProfilingParams) -> Confidence:
    """high >= 20 trades, medium >= 5, low > 0, insufficient otherwise."""
    if trade_count >= params.high_confidence_trades:
        return Confidence.HIGH
    if trade_count >= params.medium_confidence_trades:
        return Confidence.MEDIUM
    return Confidence.LOW if trade_count > 0 else Confidence.INSUFFICIENT


def max_swaps_in_window(swaps: Sequence[Swap], window: timedelta) -> int:
    """The most swaps inside any window of that length."""
    times = sorted(s.timestamp for s in swaps)
    best = start = 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _mean_int(values: Sequence[int]) -> int:
    return round(Fraction(sum(values), len(values))) if values else 0


def profile_wallet(
    swaps: Sequence[Swap],
    *,
    token_entries: Mapping[str, TokenEntry],
    params: ProfilingParams,
    weights: WalletFactorParams,
    price_at: PriceAt | None = None,
    token_buyers: TokenBuyers | None = None,
    lead_tokens: LeadTokens | None = None,
) -> WalletProfile:
    """The profile of the wallet whose swaps these are.

    `token_buyers` (every known buyer of the wallet's tokens) enables the follower and
    launch-buyer flags; `lead_tokens` (a lead's token count) checks a lead is selective.
    """
    fifo = pair_fifo(swaps, params.dust_fraction)
    trades = sorted(fifo.closed, key=lambda t: (t.closed_at, t.opened_at, t.buy_signature))
    buys = [s for s in swaps if s.side is Side.BUY]
    count = len(trades)
    wins = [t.pnl_ratio >= params.win_pnl_ratio for t in trades]
    total_pnl = sum(t.pnl_lamports for t in trades)
    traded = {s.token_mint for s in buys}
    timing = timing_percentile(e for mint, e in token_entries.items() if mint in traded)
    steady = consistency(trades, params.consistency_chunk_trades)
    win_rate = sum(wins) / count if count else 0.0
    flash = sum(1 for t in trades if t.hold_seconds < params.flash_flip_seconds)
    busiest = max_swaps_in_window(swaps, timedelta(days=params.bot_window_days))
    avg_buy = _mean_int([s.sol_lamports for s in buys])
    copy = copy_tradeability(trades, price_at, params) if price_at is not None else None
    follow, launch = _entry_verdicts(swaps, token_buyers, params, lead_tokens)
    score = wallet_metrics_score(
        WalletFactorInputs(
            win_rate=win_rate,
            total_pnl_lamports=total_pnl,
            timing_percentile=timing,
            consistency=steady,
            trade_count=count,
        ),
        weights,
        params,
    )
    return WalletProfile(
        trade_count=count,
        win_rate=win_rate,
        total_pnl_lamports=total_pnl,
        avg_pnl_lamports=_mean_int([t.pnl_lamports for t in trades]),
        timing_percentile=timing,
        avg_hold_seconds=sum(t.hold_seconds for t in trades) / count if count else None,
        consistency=steady,
        preferred_hours=preferred_hours(buys, params.preferred_hours_count),
        avg_buy_lamports=avg_buy,
        buy_size=buy_size_class(avg_buy, params) if buys else None,
        confidence=confidence(count, params),
        copy_pnl_lamports=copy.pnl_lamports if copy is not None and copy.trades else None,
        is_flash_flipper=count > 0 and flash / count >= params.flash_flip_share,
        is_bot=busiest >= params.bot_trades_7d,
        score=score,
        consecutive_losses=trailing_losses(wins),
        metrics={
            "wins": sum(wins),
            "flash_flips": flash,
            "max_swaps_in_bot_window": busiest,
            "open_lots": len(fifo.open_lots),
            "unmatched_sells": len(fifo.unmatched_sells),
            "copy_trades": copy.trades if copy is not None else 0,
            "copy_skipped": copy.skipped if copy is not None else 0,
            "copy_pnl_ratio": copy.pnl_ratio if copy is not None else None,
            **follow_metrics(follow),
            **launch_metrics(launch),
        },
    )


def _entry_verdicts(
    swaps: Sequence[Swap],
    token_buyers: TokenBuyers | None,
    params: ProfilingParams,
    lead_tokens: LeadTokens | None,
) -> tuple[FollowVerdict | None, LaunchBuyerVerdict | None]:
    """Who the wallet enters after, and how often at the launch (None without buyers)."""
    wallet = swaps[0].wallet if swaps else None
    if wallet is None or token_buyers is None:
        return None, None
    return (
        follower_verdict(wallet, token_buyers, params, lead_tokens),
        launch_buyer_verdict(wallet, token_buyers, params),
    )


def launch_metrics(verdict: LaunchBuyerVerdict | None) -> dict[str, object]:
    """The launch-buyer flag and its evidence, as stored in the profile's metrics."""
    if verdict is None:
        return {"is_launch_buyer": False}
    return {
        "is_launch_buyer": verdict.is_launch_buyer,
        "launch_block_tokens": verdict.launch_block_tokens,
        "launch_block_share": round(verdict.share, 4),
    }


def follow_metrics(verdict: FollowVerdict | None) -> dict[str, object]:
    """The follower flag and its evidence, as stored in the profile's metrics."""
    if verdict is None:
        return {"is_follower": False}
    lead = verdict.lead
    return {
        "is_follower": verdict.is_follower,
        "follow_tokens_judged": verdict.tokens_judged,
        "lead_wallet": lead.address if lead is not None else None,
        "lead_tokens": lead.tokens if lead is not None else 0,
        "lead_share": round(lead.share, 4) if lead is not None else 0.0,
        "lead_median_delay_s": round(lead.median_delay_s, 2) if lead is not None else None,
        "lead_coverage": None if lead is None or lead.coverage is None else round(lead.coverage, 4),
    }


def followed_wallet(profile: WalletProfile) -> tuple[str, float] | None:
    """(lead wallet, share of the tokens it led) when the profile is flagged a follower."""
    metrics = profile.metrics or {}
    lead, share = metrics.get("lead_wallet"), metrics.get("lead_share")
    if metrics.get("is_follower") is True and isinstance(lead, str):
        return lead, float(share) if isinstance(share, int | float) else 0.0
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchlistVerdict:
    """Whether a profiled wallet is watched, and every criterion it failed."""

    passed: bool
    # win_rate, pnl, trades, decay, bot, flash_flipper, follower, launch_buyer
    failed: tuple[str, ...]
    reasons: tuple[str, ...]  # the same, readable, for the wallet's status reason


def watchlist_check(profile: WalletProfile, params: WatchlistParams) -> WatchlistVerdict:
    """Win rate >= 0.70, PnL >= 5 SOL, >= 10 trades, decay score <= 0.3, and copyable: no
    bot, no flash-flipper, no follower of another wallet (follow the original instead), no
    launch-block buyer (its entries are out of a follower's reach)."""
    pnl_sol = Decimal(profile.total_pnl_lamports) / LAMPORTS_PER_SOL
    followed = followed_wallet(profile)
    metrics = profile.metrics or {}
    launch_share = metrics.get("launch_block_share", 0.0)
    checks = (
        (
            "win_rate",
            profile.win_rate >= params.min_win_rate,
            f"win rate {profile.win_rate:.2f} < {params.min_win_rate:.2f}",
        ),
        ("pnl", pnl_sol >= params.min_pnl_sol, f"PnL {pnl_sol:.3f} SOL < {params.min_pnl_sol} SOL"),
        (
            "trades",
            profile.trade_count >= params.min_trades,
            f"{profile.trade_count} trades < {params.min_trades}",
        ),
        (
            "decay",
            profile.decay_score <= params.max_decay_score,
            f"decay score {profile.decay_score:.2f} > {params.max_decay_score:.2f}",
        ),
        ("bot", not profile.is_bot, "trades like a bot"),
        ("flash_flipper", not profile.is_flash_flipper, "flips within seconds: not copyable"),
        (
            "follower",
            followed is None,
            ""
            if followed is None
            else f"follows {followed[0]} in {followed[1] * 100:.0f} % of its tokens",
        ),
        (
            "launch_buyer",
            metrics.get("is_launch_buyer") is not True,
            f"bought in the launch block of {launch_share * 100:.0f} % of its tokens "
            "(creator, bundle or insider): not copyable",
        ),
    )
    failed = tuple((name, why) for name, ok, why in checks if not ok)
    return WatchlistVerdict(
        passed=not failed,
        failed=tuple(name for name, _ in failed),
        reasons=tuple(why for _, why in failed),
    )
