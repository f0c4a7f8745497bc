"""Launch-block buyers: wallets whose entries sit in the very first moment of a token.

Why: a wallet that buys in the launch block of most of its tokens is the creator, a
bundle funded with it or one of its insiders. Its record is excellent (it buys at the
curve's floor and sells to everyone after it) but no follower can ever get that entry,
and its edge is knowing the dev, not reading the market: WallTrack must not copy it. A
wallet is a launch-block buyer when, over at least `launch_buyer_min_tokens` tokens
whose buyers are known, its first buy came within `launch_block_s` seconds of the
token's first known buy (the creation's own buy) in at least `launch_buyer_share` of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from walltrack.domain.following import TokenBuyers, own_entry
from walltrack.domain.params.wallets import ProfilingParams


@dataclass(frozen=True, slots=True, kw_only=True)
class LaunchBuyerVerdict:
    """How often the wallet bought in the launch block of its tokens."""

    tokens_judged: int  # tokens where its first buy and the buyers are known
    launch_block_tokens: int  # of those, bought within launch_block_s of the first buy
    is_launch_buyer: bool

    @property
    def share(self) -> float:
        """launch_block_tokens / tokens_judged (0 when nothing was judged)."""
        return self.launch_block_tokens / self.tokens_judged if self.tokens_judged else 0.0


def launch_buyer_verdict(
    wallet: str, token_buyers: TokenBuyers, params: ProfilingParams
) -> LaunchBuyerVerdict:
    """Whether `wallet` buys in the launch block of enough of enough tokens."""
    judged = in_block = 0
    block = timedelta(seconds=params.launch_block_s)
    for buyers in token_buyers.values():
        own, first = own_entry(wallet, buyers)
        if own is None or first is None:
            continue
        judged += 1
        if own - first <= block:
            in_block += 1
    flagged = (
        judged >= params.launch_buyer_min_tokens and in_block / judged >= params.launch_buyer_share
    )
    return LaunchBuyerVerdict(
        tokens_judged=judged, launch_block_tokens=in_block, is_launch_buyer=flagged
    )
