"""Copy-trader detection: a wallet whose entries keep trailing the same other wallet's.

Why: copy-farmers and cluster followers mirror another wallet's buys seconds later. Their
record looks nearly as good as the original's, but copying a copy adds its latency and
its slippage to ours: WallTrack should follow the original. A wallet is a follower when,
over at least `follow_min_tokens` tokens whose buyers are known, one other wallet's first
buy came 0 < dt <= `follow_window_s` seconds before the wallet's own first buy in at
least `follow_min_share` of them. Wallets that buy the same hot launches after whoever
happened to be early (launch snipers are ahead of everybody in about half the launches)
have no single wallet ahead of them that often.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from walltrack.domain.params.wallets import ProfilingParams

type TokenBuyers = Mapping[str, Iterable[tuple[str, datetime]]]
"""mint -> (wallet, buy time) of every known buyer of the token (the earliest buy counts)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LeadWallet:
    """A wallet that bought shortly before the judged wallet in some of its tokens."""

    address: str
    tokens: int  # tokens where it bought within the window before the judged wallet
    share: float  # tokens / tokens judged
    median_delay_s: float  # the judged wallet's median lag behind it


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowVerdict:
    """The judged wallet's dominant lead wallet, and whether that makes it a follower."""

    tokens_judged: int  # tokens where the wallet's own first buy and the buyers are known
    lead: LeadWallet | None  # the wallet ahead of it in the most tokens (None: nobody)
    is_follower: bool


def first_buys(buyers: Iterable[tuple[str, datetime]]) -> dict[str, datetime]:
    """Each wallet's earliest buy among (wallet, buy time) pairs of one token."""
    earliest: dict[str, datetime] = {}
    for wallet, at in buyers:
        if wallet not in earliest or at < earliest[wallet]:
            earliest[wallet] = at
    return earliest


def lead_wallets(wallet: str, token_buyers: TokenBuyers, window_s: float) -> FollowVerdict:
    """Every wallet's lead over `wallet` within `window_s`; the top one as `lead`.

    `is_follower` is left False here: `follower_verdict` applies the thresholds.
    """
    delays: defaultdict[str, list[float]] = defaultdict(list)
    judged = 0
    for buyers in token_buyers.values():
        first = first_buys(buyers)
        own = first.get(wallet)
        if own is None:
            continue
        judged += 1
        for other, at in first.items():
            lag = (own - at).total_seconds()
            if other != wallet and 0 < lag <= window_s:
                delays[other].append(lag)
    if not delays:
        return FollowVerdict(tokens_judged=judged, lead=None, is_follower=False)
    top = min(delays, key=lambda other: (-len(delays[other]), other))
    lead = LeadWallet(
        address=top,
        tokens=len(delays[top]),
        share=len(delays[top]) / judged,
        median_delay_s=median(delays[top]),
    )
    return FollowVerdict(tokens_judged=judged, lead=lead, is_follower=False)


def follower_verdict(
    wallet: str, token_buyers: TokenBuyers, params: ProfilingParams
) -> FollowVerdict:
    """Whether `wallet` follows one lead wallet in enough of enough tokens."""
    found = lead_wallets(wallet, token_buyers, params.follow_window_s)
    lead = found.lead
    follows = (
        lead is not None
        and found.tokens_judged >= params.follow_min_tokens
        and lead.share >= params.follow_min_share
    )
    return FollowVerdict(tokens_judged=found.tokens_judged, lead=lead, is_follower=follows)
