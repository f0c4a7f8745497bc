"""The run summary's realised PnL: closed positions plus what partial sales realised."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.integration.postgres.builders import T0
from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.run_summary import run_positions, summarise_run

pytestmark = pytest.mark.integration

_POSITION = """
INSERT INTO positions (position_id, wallet_address, token_mint, token_decimals, state,
    exit_strategy, entry_lamports, token_amount, remaining_amount, proceeds_lamports,
    realized_pnl_lamports, opened_at, closed_at, exit_reason)
VALUES (%(id)s, 'W', %(mint)s, 6, %(state)s, 'balanced', %(entry)s, %(tokens)s,
    %(remaining)s, %(proceeds)s, %(pnl)s, %(opened)s, %(closed)s, %(reason)s)
"""


def _position(db: Database, **values: object) -> None:
    row = {"id": uuid.uuid4(), "mint": f"M{uuid.uuid4().hex[:8]}", "pnl": None, "closed": None}
    row |= {"reason": None, "opened": T0, **values}
    db.write(lambda c: c.execute(_POSITION, row))


def test_realised_pnl_counts_closed_positions_and_partial_sales(pg_db: Database) -> None:
    closed = T0 + timedelta(hours=1)
    # A stop loss: 2 SOL in, 1.1 SOL back.
    stop_loss = {"closed": closed, "reason": "stop_loss"}
    _position(db=pg_db, state="closed", entry=2 * 10**9, tokens=1000, remaining=0,
              proceeds=1_100_000_000, pnl=-900_000_000, **stop_loss)  # fmt: skip
    # A moonbag: 66 % of 1 SOL's tokens sold for 2 SOL, the rest still held.
    _position(db=pg_db, state="moonbag", entry=10**9, tokens=300, remaining=102,
              proceeds=2 * 10**9, pnl=None)  # fmt: skip
    # Open, nothing sold yet: nothing realised.
    _position(db=pg_db, state="open", entry=10**9, tokens=500, remaining=500, proceeds=0)
    # Before the run began: not counted.
    _position(db=pg_db, state="closed", entry=10**9, tokens=10, remaining=0, proceeds=0,
              pnl=-10**9, opened=T0 - timedelta(days=1), closed=T0, reason="stop_loss")  # fmt: skip

    summary = summarise_run(pg_db, T0)

    assert summary.positions == 3
    assert (summary.closed_positions, summary.wins, summary.partially_sold) == (1, 0, 1)
    assert summary.closed_pnl_lamports == -900_000_000
    # 198 of 300 tokens sold: their cost is floor(1e9 * 198 / 300) = 660,000,000.
    assert summary.partial_pnl_lamports == 2 * 10**9 - 660_000_000
    assert summary.realised_pnl_lamports == -900_000_000 + 1_340_000_000
    assert "1340000000 from partial sales" in summary.lines()[2]


def test_run_positions_lists_the_runs_positions_with_what_they_still_hold(
    pg_db: Database,
) -> None:
    _position(db=pg_db, state="moonbag", entry=10**9, tokens=300, remaining=102,
              proceeds=2 * 10**9, opened=T0 + timedelta(minutes=1))  # fmt: skip
    _position(db=pg_db, state="closed", entry=10**9, tokens=10, remaining=0, proceeds=0,
              pnl=-10**9, opened=T0 - timedelta(days=1), closed=T0, reason="stop_loss")  # fmt: skip

    (moonbag,) = run_positions(pg_db, T0)

    assert (moonbag.wallet, moonbag.state, moonbag.is_open) == ("W", "moonbag", True)
    assert moonbag.sold_cost_lamports == 660_000_000
    assert moonbag.remaining_cost_lamports == 340_000_000
    assert moonbag.realised_pnl_lamports == 2 * 10**9 - 660_000_000
