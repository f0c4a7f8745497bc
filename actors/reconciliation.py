"""Start-up reconciliation (live): the trading wallet's tokens against open positions.

Why: after a crash or a manual trade the chain is the truth; if what the wallet holds does
not match what the positions say, opening more positions would size from a wrong picture,
so entries stay halted until the operator resets, with the reason spelled out.
"""

from __future__ import annotations

from walltrack.execution_ports import Execution, TradeRecords
from walltrack.logging import get_logger

_log = get_logger("reconciliation")


def reconcile(execution: Execution, records: TradeRecords) -> str | None:
    """Why the wallet and the open positions disagree, or None when they match."""
    expected: dict[str, int] = {}
    for position in records.live_positions():
        if position.remaining_amount > 0:
            mint = position.token_mint
            expected[mint] = expected.get(mint, 0) + position.remaining_amount
    held = dict(execution.token_balances())
    problems = []
    for mint in sorted(set(expected) | set(held)):
        want, have = expected.get(mint, 0), held.get(mint, 0)
        if want != have:
            problems.append(f"{mint}: positions hold {want}, wallet holds {have}")
    if not problems:
        _log.info("reconciliation_matched", tokens=len(held))
        return None
    reason = "reconciliation mismatch: " + "; ".join(problems)
    _log.error("reconciliation_mismatch", problems=len(problems))
    return reason
