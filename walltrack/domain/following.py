"""Copy-trader detection: a wallet whose entries keep trailing the same other wallet's.

Why: copy-farmers and cluster followers mirror another wallet's buys seconds later. Their
record looks nearly as good as the original's, but copying a copy adds its latency and
its slippage to ours: WallTrack should follow the original. A wallet is a follower when,
over at least `follow_min_tokens` tokens whose buyers are known, one other wallet's first
buy came 0 < dt <= `follow_window_s` seconds before the wallet's own first buy in at
least `follow_min_share` of them, and (when the caller can count the lead's tokens) the
wallet bought at least `follow_min_coverage` of the tokens the lead bought meanwhile: a
copier takes nearly everything its lead takes, whereas a sniper that is ahead of everybody
in every launch is not anyone's lead. Wallets that buy the same hot launches after
whoever happened to be early have no single wallet ahead of them that often.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from statistics import median

from walltrack.domain.params.wallets import ProfilingParams

type TokenBuyers = Mapping[str, Iterable[tuple[str, datetime]]]
"""mint -> (wallet, first buy time) of every known buyer of the token. A wallet listed
twice counts at its earliest time for its own entry, and as ahead when any listed buy
falls in the window."""

type LeadTokens = Callable[[str, datetime, datetime], int]
"""How many tokens with known buyers `wallet` first bought between two times (inclusive)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LeadWallet:
    """A wallet that bought shortly before the judged wallet in some of its tokens."""

    address: str
    tokens: int  # tokens where it bought within the window before the judged wallet
    share: float  # tokens / tokens judged
    median_delay_s: float  # the judged wallet's median lag behind it
    coverage: float | None = None  # tokens / the lead's own tokens meanwhile (None: uncounted)


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowVerdict:
    """The judged wallet's dominant lead wallet, and whether that makes it a follower."""

    tokens_judged: int  # tokens where the wallet's own first buy and the buyers are known
    lead: LeadWallet | None  # the lead it follows, else the one ahead most often (or None)
    is_follower: bool


def own_entry(
    wallet: str, buyers: Iterable[tuple[str, datetime]]
) -> tuple[datetime | None, datetime | None]:
    """(`wallet`'s first buy, the token's first buy) among one token's (wallet, time) pairs."""
    own: datetime | None = None
    first: datetime | None = None
    for buyer, at in buyers:
        if first is None or at < first:
            first = at
        if buyer == wallet and (own is None or at < own):
            own = at
    return own, first


def _ahead(
    wallet: str, buyers: Iterable[tuple[str, datetime]], own: datetime, window: timedelta
) -> dict[str, datetime]:
    """Each other buyer whose buys include one 0 < dt <= window before `own` (earliest)."""
    since = own - window
    found: dict[str, datetime] = {}
    for buyer, at in buyers:
        if since <= at < own and buyer != wallet and (buyer not in found or at < found[buyer]):
            found[buyer] = at
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class Leads:
    """Every wallet ahead of the judged one within the window, most tokens first."""

    tokens_judged: int
    wallets: tuple[LeadWallet, ...]
    first_at: datetime | None  # the judged wallet's first and last entries
    last_at: datetime | None


def lead_wallets(wallet: str, token_buyers: TokenBuyers, window_s: float) -> Leads:
    """Who bought 0 < dt <= `window_s` before `wallet`'s first buy, token by token."""
    delays: defaultdict[str, list[float]] = defaultdict(list)
    entries: list[datetime] = []
    window = timedelta(seconds=window_s)
    for buyers in token_buyers.values():
        own, _ = own_entry(wallet, buyers)
        if own is None:
            continue
        entries.append(own)
        for other, at in _ahead(wallet, buyers, own, window).items():
            delays[other].append((own - at).total_seconds())
    judged = len(entries)
    ranked = sorted(delays, key=lambda other: (-len(delays[other]), other))
    return Leads(
        tokens_judged=judged,
        wallets=tuple(
            LeadWallet(
                address=other,
                tokens=len(delays[other]),
                share=len(delays[other]) / judged,
                median_delay_s=median(delays[other]),
            )
            for other in ranked
        ),
        first_at=min(entries, default=None),
        last_at=max(entries, default=None),
    )


def follower_verdict(
    wallet: str,
    token_buyers: TokenBuyers,
    params: ProfilingParams,
    lead_tokens: LeadTokens | None = None,
) -> FollowVerdict:
    """Whether `wallet` follows one lead wallet in enough of enough tokens.

    With `lead_tokens`, a lead must also be selective: the wallet took at least
    `follow_min_coverage` of the tokens the lead bought over the wallet's active span.
    """
    found = lead_wallets(wallet, token_buyers, params.follow_window_s)
    top = found.wallets[0] if found.wallets else None
    if found.tokens_judged < params.follow_min_tokens or found.first_at is None:
        return FollowVerdict(tokens_judged=found.tokens_judged, lead=top, is_follower=False)
    since = found.first_at - timedelta(seconds=params.follow_window_s)
    until = found.last_at or found.first_at
    checked: LeadWallet | None = None
    for candidate in found.wallets:
        if candidate.share < params.follow_min_share:
            break
        lead = candidate
        if lead_tokens is not None:
            own_tokens = max(lead_tokens(lead.address, since, until), lead.tokens)
            lead = replace(lead, coverage=lead.tokens / own_tokens)
        if lead.coverage is None or lead.coverage >= params.follow_min_coverage:
            return FollowVerdict(tokens_judged=found.tokens_judged, lead=lead, is_follower=True)
        checked = checked or lead
    return FollowVerdict(tokens_judged=found.tokens_judged, lead=checked or top, is_follower=False)
