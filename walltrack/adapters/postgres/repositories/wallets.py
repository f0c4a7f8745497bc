"""Wallets: lifecycle status and profile metrics. The profile-by-address read is hot."""

from __future__ import annotations

from datetime import datetime

from walltrack.adapters.postgres.database import Conn, Database
from walltrack.adapters.postgres.rows import Row, from_row, to_params
from walltrack.domain.records import (
    WalletProfile,
    WalletRecord,
    WalletStatus,
    check_wallet_transition,
)

_GET = "SELECT * FROM wallets WHERE address = %(address)s"

_ADD = """
INSERT INTO wallets (address, status, status_changed_at, discovered_at, discovered_from_token)
VALUES (%(address)s, 'discovered', %(at)s, %(at)s, %(token)s)
ON CONFLICT (address) DO NOTHING
"""

_LOCK_STATUS = "SELECT status FROM wallets WHERE address = %(address)s FOR UPDATE"

_SET_STATUS = """
UPDATE wallets SET status = %(status)s, status_reason = %(reason)s, status_changed_at = %(at)s
WHERE address = %(address)s
RETURNING *
"""

_SET_PROFILE = """
UPDATE wallets SET
    trade_count = %(trade_count)s, win_rate = %(win_rate)s,
    total_pnl_lamports = %(total_pnl_lamports)s, avg_pnl_lamports = %(avg_pnl_lamports)s,
    timing_percentile = %(timing_percentile)s, avg_hold_seconds = %(avg_hold_seconds)s,
    consistency = %(consistency)s, preferred_hours = %(preferred_hours)s,
    avg_buy_lamports = %(avg_buy_lamports)s, buy_size = %(buy_size)s,
    confidence = %(confidence)s, copy_pnl_lamports = %(copy_pnl_lamports)s,
    is_flash_flipper = %(is_flash_flipper)s, is_bot = %(is_bot)s, score = %(score)s,
    decay_status = %(decay_status)s, decay_score = %(decay_score)s,
    consecutive_losses = %(consecutive_losses)s, metrics = %(metrics)s,
    profiled_at = %(profiled_at)s
WHERE address = %(address)s
RETURNING *
"""

_SET_SCORE = "UPDATE wallets SET score = %(score)s WHERE address = %(address)s RETURNING *"

_TOUCH = """
UPDATE wallets SET last_activity_at = GREATEST(last_activity_at, %(at)s)
WHERE address = %(address)s
"""

_BY_STATUS = """
SELECT * FROM wallets WHERE status = %(status)s ORDER BY score DESC, address LIMIT %(limit)s
"""

_COUNTS = "SELECT status, count(*) AS n FROM wallets GROUP BY status"


def _record(row: Row) -> WalletRecord:
    return from_row(WalletRecord, row, profile=from_row(WalletProfile, row))


class WalletRepository:
    """Reads and writes of the wallets table; every method is one unit of work."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, address: str) -> WalletRecord | None:
        """The wallet and its profile, or None (primary-key read: the hot path)."""
        row = self._db.read(lambda c: c.execute(_GET, {"address": address}).fetchone())
        return None if row is None else _record(row)

    def add_discovered(
        self, address: str, *, at: datetime, from_token: str | None = None
    ) -> WalletRecord:
        """Record a newly discovered wallet; an existing wallet is returned unchanged."""

        def work(conn: Conn) -> WalletRecord:
            conn.execute(_ADD, {"address": address, "at": at, "token": from_token})
            row = conn.execute(_GET, {"address": address}).fetchone()
            assert row is not None
            return _record(row)

        return self._db.write(work)

    def set_status(
        self, address: str, status: WalletStatus, *, at: datetime, reason: str | None = None
    ) -> WalletRecord:
        """Move a wallet along its lifecycle; an illegal move raises IllegalTransitionError."""

        def work(conn: Conn) -> WalletRecord:
            current = conn.execute(_LOCK_STATUS, {"address": address}).fetchone()
            if current is None:
                raise KeyError(address)
            check_wallet_transition(address, WalletStatus(current["status"]), status)
            params = {"address": address, "status": status.value, "reason": reason, "at": at}
            row = conn.execute(_SET_STATUS, params).fetchone()
            assert row is not None
            return _record(row)

        return self._db.write(work)

    def save_profile(
        self, address: str, profile: WalletProfile, *, profiled_at: datetime
    ) -> WalletRecord:
        """Replace the profile metrics of a known wallet."""
        params = to_params(profile) | {"address": address, "profiled_at": profiled_at}
        row = self._db.write(lambda c: c.execute(_SET_PROFILE, params).fetchone())
        if row is None:
            raise KeyError(address)
        return _record(row)

    def set_score(self, address: str, score: float) -> WalletRecord:
        """Store a new wallet score (feedback after a closed trade)."""
        params = {"address": address, "score": score}
        row = self._db.write(lambda c: c.execute(_SET_SCORE, params).fetchone())
        if row is None:
            raise KeyError(address)
        return _record(row)

    def touch_activity(self, address: str, at: datetime) -> None:
        """Note activity at `at` (never moves the timestamp backwards)."""
        self._db.write(lambda c: c.execute(_TOUCH, {"address": address, "at": at}))

    def by_status(self, status: WalletStatus, *, limit: int = 500) -> list[WalletRecord]:
        """Wallets in one lifecycle stage, best score first."""
        params = {"status": status.value, "limit": limit}
        rows = self._db.read(lambda c: c.execute(_BY_STATUS, params).fetchall())
        return [_record(r) for r in rows]

    def count_by_status(self) -> dict[WalletStatus, int]:
        """How many wallets sit in each stage (dashboard)."""
        rows = self._db.read(lambda c: c.execute(_COUNTS).fetchall())
        return {WalletStatus(r["status"]): int(r["n"]) for r in rows}
