"""Requests and replies the signal-path actors exchange with the edges (wiring, CLI, tests).

Why not domain messages: these say nothing about the market; they start or stop tracking
a wallet, trigger a batched job, or read an actor's counters.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TrackWallets:
    """Start routing swaps of `addresses` to their wallet actors; `resident` ones (the
    watchlist) keep their actor running, the others are activated by their swaps."""

    addresses: tuple[str, ...]
    resident: bool = False


@dataclass(frozen=True, slots=True)
class UntrackWallets:
    """Stop routing swaps of `addresses` (their actors passivate when idle)."""

    addresses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GetStats:
    """Ask an actor for its counters (a dict of ints)."""


@dataclass(frozen=True, slots=True)
class FlushGraph:
    """Write the graph edges buffered so far; `background` (the batch tick) does not wait
    for the write, an explicit flush does."""

    background: bool = False


@dataclass(frozen=True, slots=True)
class RunBackfill:
    """Poll the chain once for swaps the webhooks missed."""


@dataclass(frozen=True, slots=True)
class ReloadClusters:
    """Read the clusters again from their source (after a rebuild) and push them."""
