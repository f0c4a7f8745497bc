"""The worker's job for one order attempt: run it (or settle it after a restart) and tell
the position actor how it went.

Why a closure over values: the job runs in the execution worker's thread while the actor
goes on; it must never read or touch the actor's state, only what it was given.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from actors.position_book import Working
from actors.runtime.registry import Registry
from actors.trading_deps import TradingDeps
from actors.trading_protocol import AttemptFinished, BalanceRead
from walltrack.domain.records import OrderState
from walltrack.execution_ports import SwapFill
from walltrack.logging import get_logger
from walltrack.ports import Clock

_log = get_logger("positions")


def attempt_job(
    work: Working,
    deps: TradingDeps,
    reply_to: tuple[Registry, str],
    clock: Clock,
    *,
    recover: bool,
) -> Callable[[], None]:
    """The job of `work`'s current attempt; `recover` settles one that may have run."""
    execution, records = deps.execution, deps.records
    registry, name = reply_to
    request, key, attempt = work.request(), work.ticket.key, work.ticket.attempt
    order_id: UUID = work.order_id

    def on_signed(signature: str) -> None:
        records.transition_order(
            order_id, OrderState.CONFIRMING, clock.now(), tx_signature=signature
        )

    def job() -> None:
        fill: SwapFill | None = None
        error: str | None = None
        try:
            if recover:
                row = records.order(key)
                fill = execution.recover(request, row.tx_signature if row else None)
                error = None if fill else "attempt interrupted by a restart and not landed"
            else:
                fill = execution.execute(request, on_signed)
        except Exception as failure:  # every failure is an answer for the actor
            error = f"{type(failure).__name__}: {failure}"
        try:
            balance: int | None = execution.balance_lamports()
        except Exception:  # the next attempt refreshes it
            balance = None
        registry.tell(
            name,
            AttemptFinished(
                key=key, attempt=attempt, fill=fill, error=error, balance_lamports=balance
            ),
        )

    return job


def balance_job(deps: TradingDeps, reply_to: tuple[Registry, str]) -> Callable[[], None]:
    """The start's reading of the free SOL, told back as `BalanceRead`; on a failure the
    first entry reads it itself."""
    registry, name = reply_to

    def job() -> None:
        try:
            lamports = deps.execution.balance_lamports()
        except Exception as error:  # the first entry asks again
            _log.warning("start_balance_unread", error=f"{type(error).__name__}: {error}")
            return
        registry.tell(name, BalanceRead(lamports))

    return job
