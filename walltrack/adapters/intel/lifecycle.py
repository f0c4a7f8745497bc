"""The watchlist lifecycle: discovered -> profiled -> watchlisted | ignored -> flagged ->
removed, blacklisted for good, manual adds and pins.

Why one place: profiling, decay, the operator and the closed-trade feedback all move
wallets; every move goes through `move`, which checks it against the domain's transition
table, stores it with its reason, and publishes `WalletStatusChanged` (the ingress starts
or stops routing the wallet's swaps on it). Watched wallets (watchlisted, flagged) are the
Helius webhook's address list: a run that changed the set re-syncs it once.

Rules beyond the table: a re-profile that fails the criteria flags a watchlisted wallet
and removes a flagged one; decay flags a watchlisted wallet, removes one still decayed
at the next scheduled check, and brings a recovered one back when its profile passes. A
pinned wallet is watched whatever its metrics and is never ignored or removed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from walltrack.adapters.intel.store import IntelStore
from walltrack.adapters.intel.venues import Publish, WebhookTarget, no_publish
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.wallets import WalletStatusChanged
from walltrack.domain.profiling import WatchlistVerdict
from walltrack.domain.records.wallets import WalletRecord, WalletStatus
from walltrack.domain.venues import WebhookSyncResult
from walltrack.logging import get_logger

_log = get_logger("watchlist")

WATCHED = (WalletStatus.WATCHLISTED, WalletStatus.FLAGGED)
MAX_WATCHED = 100_000
_S = WalletStatus


class Watchlist:
    """Lifecycle moves with their events, manual operations and the webhook address list."""

    def __init__(
        self,
        *,
        wallets: WalletRepository,
        store: IntelStore,
        now: Callable[[], datetime],
        publish: Publish = no_publish,
        webhook: WebhookTarget | None = None,
    ) -> None:
        self._wallets = wallets
        self._store = store
        self._now = now
        self._publish = publish
        self._webhook = webhook
        self.watch_changed = False

    # ----- moves ------------------------------------------------------------------------
    def move(
        self, address: str, new: WalletStatus, reason: str, failed: Sequence[str] = ()
    ) -> bool:
        """Move `address` to `new` (IllegalTransitionError if not allowed); False if there."""
        record = self._wallets.get(address)
        if record is None:
            raise KeyError(address)
        old = record.status
        if old is new:
            return False
        at = self._now()
        self._wallets.set_status(address, new, at=at, reason=reason)
        if (old in WATCHED) != (new in WATCHED):
            self.watch_changed = True
        self._publish(
            WalletStatusChanged(
                correlation_id=random_uuid(),
                ts_event=at,
                ts_init=at,
                wallet=address,
                old_status=old,
                new_status=new,
                reason=reason,
                failed_criteria=tuple(failed),
            )
        )
        _log.debug("wallet_status_changed", wallet=address, old=old.value, new=new.value)
        return True

    def after_profile(self, record: WalletRecord, verdict: WatchlistVerdict) -> WalletStatus:
        """Where a freshly profiled wallet goes; returns its status afterwards."""
        address = record.address
        intel = self._store.intel_of(address)
        pinned = intel is not None and intel.pinned
        self._store.set_failed_criteria(address, verdict.failed)
        ok = verdict.passed or pinned
        why = "; ".join(verdict.reasons) or "meets the watchlist criteria"
        if pinned and not verdict.passed:
            why = f"pinned (fails: {why})"
        status = record.status
        if status is _S.BLACKLISTED:
            return status
        if status in (_S.DISCOVERED, _S.IGNORED, _S.REMOVED):
            self.move(address, _S.PROFILED, "profiled")
            status = _S.PROFILED
        if status is _S.PROFILED:
            target = _S.WATCHLISTED if ok else _S.IGNORED
            self.move(address, target, why, () if ok else verdict.failed)
            return target
        if status is _S.WATCHLISTED and not ok:
            self.move(address, _S.FLAGGED, f"re-profile failed: {why}", verdict.failed)
            return _S.FLAGGED
        if status is _S.FLAGGED:
            target = _S.WATCHLISTED if ok else _S.REMOVED
            self.move(address, target, why if ok else f"still failing: {why}", verdict.failed)
            return target
        return status

    def after_decay(self, address: str, *, decayed: bool, reason: str, scheduled: bool) -> None:
        """A decay verdict's lifecycle move (a scheduled check may remove, an event never)."""
        record = self._wallets.get(address)
        if record is None or record.status not in WATCHED:
            return
        intel = self._store.intel_of(address)
        pinned = intel is not None and intel.pinned
        if decayed and record.status is _S.WATCHLISTED:
            self.move(address, _S.FLAGGED, f"decay: {reason}")
        elif decayed and scheduled and not pinned:
            self.move(address, _S.REMOVED, f"still decayed: {reason}")
        elif (
            not decayed
            and record.status is _S.FLAGGED
            and (intel is None or not intel.failed_criteria)
        ):
            self.move(address, _S.WATCHLISTED, f"decay: {reason}")

    # ----- operator -----------------------------------------------------------------------
    def add_manual(self, address: str, *, pin: bool = False) -> WalletRecord:
        """A wallet added by hand (profiled by the caller); pinned if asked."""
        record = self._wallets.add_discovered(address, at=self._now(), from_token=None)
        self._store.note_method(address, "manual")
        if pin:
            self._store.set_pinned(address, pinned=True)
        return record

    def blacklist(self, address: str, reason: str) -> None:
        """Permanent: the wallet is never watched, profiled into the list, or copied again."""
        if self._wallets.get(address) is None:
            self._wallets.add_discovered(address, at=self._now(), from_token=None)
            self._store.note_method(address, "manual")
        self.move(address, _S.BLACKLISTED, f"blacklisted: {reason}")

    # ----- webhook address list -------------------------------------------------------------
    def watched(self) -> list[str]:
        """Addresses of every watched wallet."""
        return [
            r.address
            for status in WATCHED
            for r in self._wallets.by_status(status, limit=MAX_WATCHED)
        ]

    async def sync_webhook(self, *, force: bool = False) -> WebhookSyncResult | None:
        """Point the Helius webhook at the watched wallets when the set changed."""
        if self._webhook is None or not (force or self.watch_changed):
            return None
        result = await self._webhook.sync(self.watched())
        self.watch_changed = False
        return result
