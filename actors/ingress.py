"""IngressActor: the door of the tree; routes each observed swap to its wallet's actor.

Why an actor between the webhook and the wallets: the webhook handler must return at once
(a `tell`), and both the webhook and the RPC backfill produce `SwapObserved`; one place
drops swaps of untracked wallets (counted, for the metrics) and swaps already routed
(the two paths race on the same signature), so each wallet actor sees a swap once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from actors.names import WALLETS, wallet_actor
from actors.pipeline_messages import GetStats, TrackWallets, UntrackWallets
from actors.runtime.base import ActorContext, SupervisedActor
from actors.runtime.protocol import TrackNames
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.messages.trading import PositionOpened
from walltrack.domain.messages.wallets import TradeClosedFeedback, WalletStatusChanged
from walltrack.domain.records.wallets import WalletStatus
from walltrack.logging import get_logger

_log = get_logger("ingress")

RECENT_SIGNATURES = 50_000
"""Swaps remembered for deduplication; the wallet actors keep their own durable record."""

TRACK_TIMEOUT_S = 30.0
TRACKED_STATUSES = frozenset({WalletStatus.WATCHLISTED, WalletStatus.FLAGGED})
"""Wallets whose swaps are routed: the watchlist, and flagged ones still under watch."""
FORWARDED = (PositionOpened, TradeClosedFeedback, WalletStatusChanged)
"""Events about one wallet that its actor must see (positions, feedback, lifecycle)."""


class IngressActor(SupervisedActor):
    """Routes `SwapObserved` to `wallet:<address>`; counts what it drops."""

    def __init__(
        self,
        context: ActorContext,
        tracked: Callable[[], Iterable[str]],
        wallets_supervisor: str = WALLETS,
        mirror: set[str] | None = None,
        resident: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        super().__init__(context)
        self._load_tracked = tracked
        self._load_resident = resident
        self._supervisor = wallets_supervisor
        self._tracked: set[str] = set()
        self._resident: set[str] = set()  # tracked wallets whose actor stays active
        # The webhook classifies against the same set (an O(1) read from its own thread):
        # the ingress owns it, so what is routed and what is classified never disagree.
        self._mirror = mirror
        self._recent: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._stats = {"routed": 0, "dropped_untracked": 0, "duplicates": 0}

    def started(self) -> None:
        # Wallet actors are virtual: they cannot subscribe to the bus themselves (100,000
        # subscriptions), so the ingress forwards the events that concern one wallet.
        for kind in FORWARDED:
            self.context.bus.subscribe(kind, self.name)
        self._track(tuple(self._load_tracked()))
        if self._load_resident is not None:
            self._track(tuple(self._load_resident()), resident=True)

    def handle(self, message: Any) -> Any:
        match message:
            case SwapObserved():
                self._on_swap(message)
            case TrackWallets(addresses=addresses, resident=resident):
                self._track(addresses, resident=resident)
            case UntrackWallets(addresses=addresses):
                self._untrack(addresses)
            case WalletStatusChanged():
                self._on_status(message)
            case PositionOpened() | TradeClosedFeedback():
                if message.wallet in self._tracked:
                    self.tell(wallet_actor(message.wallet), message)
            case GetStats():
                tracked = {"tracked": len(self._tracked), "resident": len(self._resident)}
                return {**self._stats, **tracked}
        return None

    def _on_swap(self, message: SwapObserved) -> None:
        if message.wallet not in self._tracked:
            self._stats["dropped_untracked"] += 1
            return
        key = (message.wallet, message.signature)
        if key in self._recent:
            self._stats["duplicates"] += 1
            return
        self._recent[key] = None
        if len(self._recent) > RECENT_SIGNATURES:
            self._recent.popitem(last=False)
        self._stats["routed"] += 1
        self.tell(wallet_actor(message.wallet), message)

    def _on_status(self, message: WalletStatusChanged) -> None:
        """The lifecycle decides what is routed: watched statuses in, every other out."""
        watched = message.new_status in TRACKED_STATUSES
        if watched:
            resident = message.new_status is WalletStatus.WATCHLISTED
            self._track((message.wallet,), resident=resident)
        if message.wallet in self._tracked:
            self.tell(wallet_actor(message.wallet), message)  # e.g. a blacklisting
        if not watched:
            self._untrack((message.wallet,))

    def _untrack(self, addresses: Iterable[str]) -> None:
        addresses = tuple(addresses)
        self._track(tuple(a for a in addresses if a in self._resident), resident=False)
        for address in addresses:
            self._tracked.discard(address)
            if self._mirror is not None:
                self._mirror.discard(address)

    def _track(self, addresses: tuple[str, ...], *, resident: bool = False) -> None:
        wanted = tuple(dict.fromkeys(addresses))
        new = tuple(a for a in wanted if a not in self._tracked)
        moved = tuple(a for a in wanted if (a in self._resident) != resident)
        if not new and not moved:
            return
        # An ask, not a tell: the names must exist before the first swap is routed to them.
        # Tracking changes are rare operator/intel actions, never on the swap hot path.
        names = tuple(wallet_actor(a) for a in dict.fromkeys((*new, *moved)))
        request = TrackNames(names, resident=resident)
        self.context.registry.ask(self._supervisor, request, timeout=TRACK_TIMEOUT_S)
        self._tracked.update(new)
        if self._mirror is not None:
            self._mirror.update(new)
        if resident:
            self._resident.update(moved)
        else:
            self._resident.difference_update(moved)
        if new:
            _log.info("wallets_tracked", count=len(new), total=len(self._tracked))
