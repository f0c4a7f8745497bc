"""Requests the intelligence job actors take from the edges (schedules, CLI, dashboard).

Why not domain messages: they start a job run or an operator action on the watchlist;
what the runs find is published as domain events (lifecycle, decay, progress).
"""

from __future__ import annotations

from dataclasses import dataclass

INTEL = "intel"
INTEL_TOKENS = "intel_tokens"
INTEL_WALLETS = "intel_wallets"
INTEL_PROFILING = "intel_profiling"
INTEL_DECAY = "intel_decay"


@dataclass(frozen=True, slots=True)
class DiscoverTokens:
    """Read the DexScreener feeds and refresh due tokens; or add `mints` by hand."""

    mints: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DiscoverWallets:
    """Scan `mints` (None: the tokens never scanned) for early profitable buyers."""

    mints: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class ProfileWallets:
    """Profile `addresses` (None: new wallets and stale profiles)."""

    addresses: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class RunDecay:
    """Check `addresses` (None: every watched wallet) for decay."""

    addresses: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class AddWallet:
    """The operator adds a wallet (profiled at once), pinned if asked."""

    address: str
    pin: bool = False


@dataclass(frozen=True, slots=True)
class BlacklistWallet:
    """The operator blacklists a wallet for good, with the reason."""

    address: str
    reason: str
