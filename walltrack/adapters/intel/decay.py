"""The decay job: is each watched wallet still as good as when it was watchlisted?

Why a job besides the wallet actor: the wallet actor re-evaluates decay on every closed
copy trade (TradeClosedFeedback), but a wallet WallTrack never copied, or one that went
quiet, only shows its decline in its own history. On schedule, every watched wallet's
recent swaps are paired FIFO, the rolling window, loss streak and dormancy judged
(domain.decay), the verdict stored, a change published as `WalletDecayChanged`, and the
lifecycle moved (flagged, removed, or back on the watchlist).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from walltrack.adapters.intel.lifecycle import WATCHED, Watchlist
from walltrack.adapters.intel.profiling import wallet_swaps
from walltrack.adapters.intel.store import IntelStore
from walltrack.adapters.intel.venues import AddressHistory, Progress, Publish, no_publish
from walltrack.adapters.postgres.repositories.wallets import WalletRepository
from walltrack.domain.decay import DecayState, DecayVerdict, evaluate_decay, is_decayed
from walltrack.domain.fifo import pair_fifo
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.wallets import WalletDecayChanged
from walltrack.domain.params import RuntimeParams
from walltrack.domain.records.wallets import WalletRecord
from walltrack.errors import UpstreamError
from walltrack.logging import get_logger

_log = get_logger("decay")

MAX_WATCHED = 100_000


@dataclass(frozen=True, slots=True, kw_only=True)
class DecayRunSummary:
    """What one run checked and changed."""

    checked: int = 0
    changed: int = 0
    decayed: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        """Counters for the progress event."""
        return asdict(self)


class DecayJob:
    """`run()` over every watched wallet; `check(address)` for one."""

    def __init__(
        self,
        *,
        history: AddressHistory,
        wallets: WalletRepository,
        store: IntelStore,
        watchlist: Watchlist,
        params: Callable[[], RuntimeParams],
        now: Callable[[], datetime],
        publish: Publish = no_publish,
    ) -> None:
        self._history = history
        self._wallets = wallets
        self._store = store
        self._watchlist = watchlist
        self._params = params
        self._now = now
        self._publish = publish

    async def run(self, addresses: Sequence[str] | None = None) -> DecayRunSummary:
        """Check `addresses` (default: every watched wallet)."""
        todo = list(addresses) if addresses is not None else self._watchlist.watched()
        progress = Progress("decay", self._publish, self._now)
        counts = DecayRunSummary().as_dict()
        for index, address in enumerate(todo):
            progress.report(f"checking {address}", done=index, total=len(todo))
            try:
                verdict = await self.check(address)
            except UpstreamError as error:
                _log.warning("decay_check_failed", wallet=address, error=type(error).__name__)
                counts["failed"] += 1
                continue
            if verdict is None:
                continue
            counts["checked"] += 1
            counts["changed"] += verdict.changed
            counts["decayed"] += is_decayed(verdict.state.status)
        await self._watchlist.sync_webhook()
        summary = DecayRunSummary(**counts)
        progress.finish(summary.as_dict())
        return summary

    async def check(self, address: str) -> DecayVerdict | None:
        """Judge one watched wallet from its own recent trades (None: not watched)."""
        record = self._wallets.get(address)
        if record is None or record.status not in WATCHED:
            return None
        params = self._params()
        swaps = await wallet_swaps(self._history, address, params.profiling.history_max_pages)
        trades = sorted(
            pair_fifo(swaps, params.profiling.dust_fraction).closed, key=lambda t: t.closed_at
        )
        outcomes = [t.pnl_ratio >= params.profiling.win_pnl_ratio for t in trades]
        last = swaps[-1].timestamp if swaps else None
        if record.last_activity_at is not None and (last is None or record.last_activity_at > last):
            last = record.last_activity_at
        verdict = evaluate_decay(
            outcomes=outcomes,
            lifetime_win_rate=record.profile.win_rate if record.profile.trade_count else None,
            last_activity_at=last,
            now=self._now(),
            previous=DecayState(status=record.profile.decay_status),
            params=params.decay,
        )
        self._apply(record, verdict, last, scheduled=True)
        return verdict

    def _apply(
        self,
        record: WalletRecord,
        verdict: DecayVerdict,
        last: datetime | None,
        *,
        scheduled: bool,
    ) -> None:
        self._store.save_decay(
            record.address,
            status=verdict.state.status,
            decay_score=verdict.decay_score,
            losses=verdict.consecutive_losses,
            wallet_score=record.profile.score * verdict.score_multiplier,
            active_at=last,
        )
        if verdict.changed:
            at = self._now()
            self._publish(
                WalletDecayChanged(
                    correlation_id=random_uuid(),
                    ts_event=at,
                    ts_init=at,
                    wallet=record.address,
                    old_status=record.profile.decay_status,
                    new_status=verdict.state.status,
                    reason=verdict.reason,
                    score_multiplier=verdict.score_multiplier,
                )
            )
        self._watchlist.after_decay(
            record.address,
            decayed=is_decayed(verdict.state.status),
            reason=verdict.reason,
            scheduled=scheduled,
        )

    def on_decay_changed(self, event: WalletDecayChanged) -> None:
        """A wallet actor re-judged decay after a closed trade: move the lifecycle (never
        removes; the scheduled check does)."""
        self._watchlist.after_decay(
            event.wallet,
            decayed=is_decayed(event.new_status),
            reason=event.reason,
            scheduled=False,
        )
