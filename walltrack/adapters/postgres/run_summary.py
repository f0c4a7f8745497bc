"""What a run did, from the tables: signals, positions, realised PnL, breaker events.

Why from the tables and not from counters: the summary must agree with what the operator
finds in the database afterwards (and survive actor restarts during the run). The
positions themselves (`run_positions`) let a caller value what is still held at the end
or break the PnL down by the wallet each position copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from walltrack.adapters.postgres.database import Database

LAMPORTS_PER_SOL = Decimal(1_000_000_000)

_SUMMARY = """
SELECT
  (SELECT count(*) FROM signals WHERE observed_at >= %(since)s) AS signals,
  (SELECT count(*) FROM signals WHERE observed_at >= %(since)s AND decision = 'trade')
      AS traded_signals,
  (SELECT count(*) FROM positions WHERE opened_at >= %(since)s) AS positions,
  (SELECT count(*) FROM positions WHERE opened_at >= %(since)s AND state = 'closed')
      AS closed_positions,
  (SELECT count(*) FROM positions
     WHERE opened_at >= %(since)s AND state = 'closed' AND realized_pnl_lamports > 0) AS wins,
  (SELECT coalesce(sum(realized_pnl_lamports), 0) FROM positions
     WHERE opened_at >= %(since)s AND state = 'closed') AS closed_pnl_lamports,
  (SELECT coalesce(sum(proceeds_lamports
          - floor(entry_lamports * (token_amount - remaining_amount) / token_amount)), 0)
     FROM positions
     WHERE opened_at >= %(since)s AND state <> 'closed' AND token_amount > 0
       AND remaining_amount < token_amount) AS partial_pnl_lamports,
  (SELECT count(*) FROM positions
     WHERE opened_at >= %(since)s AND state <> 'closed' AND token_amount > 0
       AND remaining_amount < token_amount) AS partially_sold,
  (SELECT count(*) FROM circuit_breaker_events WHERE occurred_at >= %(since)s)
      AS breaker_events
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSummary:
    """Counts since the run began; PnL in lamports.

    Realised PnL is that of closed positions plus what the sales of still-open ones
    realised (proceeds minus the entry cost of the share sold): a take-profit ladder
    that sold most of a position at 3x has realised that gain before the moonbag closes.
    """

    signals: int
    traded_signals: int
    positions: int
    closed_positions: int
    wins: int
    closed_pnl_lamports: int
    partial_pnl_lamports: int
    partially_sold: int
    breaker_events: int

    @property
    def realised_pnl_lamports(self) -> int:
        return self.closed_pnl_lamports + self.partial_pnl_lamports

    def lines(self) -> list[str]:
        """For the operator's terminal."""
        sol = Decimal(self.realised_pnl_lamports) / LAMPORTS_PER_SOL
        return [
            f"signals:        {self.signals} scored, {self.traded_signals} traded",
            f"positions:      {self.positions} opened, {self.closed_positions} closed "
            f"({self.wins} won), {self.partially_sold} still open after partial sales",
            f"realised PnL:   {self.realised_pnl_lamports} lamports ({sol:+.4f} SOL): "
            f"{self.closed_pnl_lamports} from closed positions, "
            f"{self.partial_pnl_lamports} from partial sales",
            f"breaker events: {self.breaker_events}",
        ]


_POSITIONS = """
SELECT position_id::text AS position_id, wallet_address, token_mint, state, entry_lamports,
    token_amount, remaining_amount, proceeds_lamports, realized_pnl_lamports
FROM positions WHERE opened_at >= %(since)s ORDER BY opened_at, position_id
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunPosition:
    """One position of the run (amounts in lamports and raw token units)."""

    position_id: str
    wallet: str
    token_mint: str
    state: str
    entry_lamports: int
    token_amount: int
    remaining_amount: int
    proceeds_lamports: int
    closed_pnl_lamports: int | None  # set once closed

    @property
    def is_open(self) -> bool:
        """Still holding tokens (any state but closed, with an entry filled)."""
        return self.state != "closed" and self.token_amount > 0 and self.remaining_amount > 0

    @property
    def realised_pnl_lamports(self) -> int:
        """What is realised: the closed PnL, or the sales so far less the sold share's cost."""
        if self.closed_pnl_lamports is not None and self.state == "closed":
            return self.closed_pnl_lamports
        if self.token_amount <= 0:
            return 0
        return self.proceeds_lamports - self.sold_cost_lamports

    @property
    def sold_cost_lamports(self) -> int:
        """Entry cost of the tokens sold (floored, as in the summary's SQL)."""
        if self.token_amount <= 0:
            return 0
        sold = self.token_amount - self.remaining_amount
        return self.entry_lamports * sold // self.token_amount

    @property
    def remaining_cost_lamports(self) -> int:
        """Entry cost of the tokens still held."""
        return self.entry_lamports - self.sold_cost_lamports if self.token_amount > 0 else 0


def run_positions(db: Database, since: datetime) -> list[RunPosition]:
    """Every position opened since `since`, oldest first."""
    rows = db.read(lambda c: c.execute(_POSITIONS, {"since": since}).fetchall())
    return [
        RunPosition(
            position_id=str(r["position_id"]),
            wallet=str(r["wallet_address"]),
            token_mint=str(r["token_mint"]),
            state=str(r["state"]),
            entry_lamports=int(r["entry_lamports"]),
            token_amount=int(r["token_amount"]),
            remaining_amount=int(r["remaining_amount"]),
            proceeds_lamports=int(r["proceeds_lamports"]),
            closed_pnl_lamports=(
                None if r["realized_pnl_lamports"] is None else int(r["realized_pnl_lamports"])
            ),
        )
        for r in rows
    ]


def summarise_run(db: Database, since: datetime) -> RunSummary:
    """The run's figures since `since` (event time: the simulator's in the demo)."""
    row = db.read(lambda c: c.execute(_SUMMARY, {"since": since}).fetchone())
    assert row is not None
    return RunSummary(**{key: int(value) for key, value in row.items()})
