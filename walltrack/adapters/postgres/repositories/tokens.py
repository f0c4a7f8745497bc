"""Tokens under surveillance: market data, computed safety, refresh schedule."""

from __future__ import annotations

from datetime import datetime

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.domain.records import TokenRecord

_UPSERT = """
INSERT INTO tokens (mint, symbol, name, decimals, source, launched_at, discovered_at,
    price_usd, price_sol, liquidity_usd, market_cap_usd, volume_24h_usd, holder_count,
    top10_share, pair_count, mint_authority_revoked, freeze_authority_revoked,
    safety_checked_at, refresh_hours, next_refresh_at, extra)
VALUES (%(mint)s, %(symbol)s, %(name)s, %(decimals)s, %(source)s, %(launched_at)s,
    %(discovered_at)s, %(price_usd)s, %(price_sol)s, %(liquidity_usd)s, %(market_cap_usd)s,
    %(volume_24h_usd)s, %(holder_count)s, %(top10_share)s, %(pair_count)s,
    %(mint_authority_revoked)s, %(freeze_authority_revoked)s, %(safety_checked_at)s,
    %(refresh_hours)s, %(next_refresh_at)s, coalesce(%(extra)s, '{}'::jsonb))
ON CONFLICT (mint) DO UPDATE SET
    symbol = EXCLUDED.symbol, name = EXCLUDED.name, decimals = EXCLUDED.decimals,
    launched_at = EXCLUDED.launched_at, price_usd = EXCLUDED.price_usd,
    price_sol = EXCLUDED.price_sol, liquidity_usd = EXCLUDED.liquidity_usd,
    market_cap_usd = EXCLUDED.market_cap_usd, volume_24h_usd = EXCLUDED.volume_24h_usd,
    holder_count = EXCLUDED.holder_count, top10_share = EXCLUDED.top10_share,
    pair_count = EXCLUDED.pair_count,
    mint_authority_revoked = EXCLUDED.mint_authority_revoked,
    freeze_authority_revoked = EXCLUDED.freeze_authority_revoked,
    safety_checked_at = EXCLUDED.safety_checked_at, refresh_hours = EXCLUDED.refresh_hours,
    next_refresh_at = EXCLUDED.next_refresh_at, extra = EXCLUDED.extra
RETURNING *
"""

_GET = "SELECT * FROM tokens WHERE mint = %(mint)s"

_DUE = """
SELECT * FROM tokens WHERE next_refresh_at <= %(now)s
ORDER BY next_refresh_at LIMIT %(limit)s
"""

_RECENT = "SELECT * FROM tokens ORDER BY discovered_at DESC LIMIT %(limit)s"


class TokenRepository:
    """Reads and writes of the tokens table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert(self, token: TokenRecord) -> TokenRecord:
        """Insert or refresh a token (discovery time and source of the first sighting stay)."""
        params = to_params(token, exclude=("updated_at",))
        row = self._db.write(lambda c: c.execute(_UPSERT, params).fetchone())
        assert row is not None
        return from_row(TokenRecord, row)

    def get(self, mint: str) -> TokenRecord | None:
        """One token by mint address."""
        row = self._db.read(lambda c: c.execute(_GET, {"mint": mint}).fetchone())
        return None if row is None else from_row(TokenRecord, row)

    def due_for_refresh(self, now: datetime, *, limit: int = 100) -> list[TokenRecord]:
        """Tokens whose surveillance refresh is due, most overdue first."""
        params = {"now": now, "limit": limit}
        rows = self._db.read(lambda c: c.execute(_DUE, params).fetchall())
        return [from_row(TokenRecord, r) for r in rows]

    def recent(self, *, limit: int = 100) -> list[TokenRecord]:
        """Most recently discovered tokens first."""
        rows = self._db.read(lambda c: c.execute(_RECENT, {"limit": limit}).fetchall())
        return [from_row(TokenRecord, r) for r in rows]
