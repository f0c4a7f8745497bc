"""The intelligence jobs' tables: discoveries, token buyers and scans, pins and criteria.

Why next to the jobs and not in postgres/repositories: these tables (migration 0004) exist
for the jobs alone; the wallets and tokens rows themselves stay with their repositories.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from walltrack.adapters.intel.token_history import TokenScan
from walltrack.adapters.postgres.database import Conn, Database
from walltrack.domain.discovery import DiscoveryCandidate
from walltrack.domain.records.wallets import DecayStatus

_DISCOVERY = """
INSERT INTO wallet_discoveries (wallet, token_mint, method, found_at, first_buy_at,
    seconds_after_launch, spent_lamports, received_lamports, bought_amount, sold_amount,
    sold_fraction, profit_ratio, accepted, failed)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (wallet, token_mint, method) DO UPDATE SET
    found_at = EXCLUDED.found_at, first_buy_at = EXCLUDED.first_buy_at,
    seconds_after_launch = EXCLUDED.seconds_after_launch,
    spent_lamports = EXCLUDED.spent_lamports, received_lamports = EXCLUDED.received_lamports,
    bought_amount = EXCLUDED.bought_amount, sold_amount = EXCLUDED.sold_amount,
    sold_fraction = EXCLUDED.sold_fraction, profit_ratio = EXCLUDED.profit_ratio,
    accepted = EXCLUDED.accepted, failed = EXCLUDED.failed
"""

_BUYER = """
INSERT INTO token_buyers (mint, wallet, first_buy_at) VALUES (%s, %s, %s)
ON CONFLICT (mint, wallet) DO UPDATE SET
    first_buy_at = LEAST(token_buyers.first_buy_at, EXCLUDED.first_buy_at)
"""

_SCAN = """
INSERT INTO token_scans (mint, scanned_at, launched_at, oldest_at, transactions, pages,
    reached_launch, buyers)
VALUES (%(mint)s, %(at)s, %(launched)s, %(oldest)s, %(txs)s, %(pages)s, %(reached)s, %(buyers)s)
ON CONFLICT (mint) DO UPDATE SET scanned_at = EXCLUDED.scanned_at,
    launched_at = EXCLUDED.launched_at, oldest_at = EXCLUDED.oldest_at,
    transactions = EXCLUDED.transactions, pages = EXCLUDED.pages,
    reached_launch = EXCLUDED.reached_launch, buyers = EXCLUDED.buyers
"""

_BUYERS_OF = "SELECT mint, wallet, first_buy_at FROM token_buyers WHERE mint = ANY(%(mints)s)"
_SCANNED = "SELECT mint FROM token_scans WHERE mint = ANY(%(mints)s)"
_TOKENS_BOUGHT = """
SELECT count(*) AS n FROM token_buyers
WHERE wallet = %(wallet)s AND first_buy_at BETWEEN %(since)s AND %(until)s
"""
_SCAN_OF = "SELECT * FROM token_scans WHERE mint = %(mint)s"
_FOUND = """
SELECT * FROM wallet_discoveries WHERE wallet = %(wallet)s ORDER BY found_at, token_mint
"""
_UNSCANNED_TOKENS = """
SELECT t.mint FROM tokens t LEFT JOIN token_scans s ON s.mint = t.mint
WHERE s.mint IS NULL ORDER BY t.discovered_at LIMIT %(limit)s
"""
_PIN = "UPDATE wallets SET pinned = %(pinned)s WHERE address = %(address)s"
_METHOD = """
UPDATE wallets SET discovery_method = coalesce(discovery_method, %(method)s)
WHERE address = %(address)s
"""
_CRITERIA = "UPDATE wallets SET failed_criteria = %(failed)s WHERE address = %(address)s"
_INTEL_OF = "SELECT pinned, failed_criteria, discovery_method FROM wallets WHERE address = %(a)s"
_DECAY = """
UPDATE wallets SET decay_status = %(status)s, decay_score = %(score)s,
    consecutive_losses = %(losses)s, score = %(wallet_score)s,
    last_activity_at = GREATEST(last_activity_at, %(active)s)
WHERE address = %(address)s
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class WalletIntel:
    """The wallet columns the lifecycle reads besides its status."""

    pinned: bool
    failed_criteria: tuple[str, ...]
    discovery_method: str | None


class IntelStore:
    """Reads and writes of the intelligence tables; every method is one unit of work."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record_discoveries(
        self, candidates: Sequence[DiscoveryCandidate], *, method: str, at: datetime
    ) -> None:
        """Where and how each candidate was found, with the figures it was judged on."""
        rows = [
            (
                c.wallet, c.token_mint, method, at, c.first_buy_at, c.seconds_after_launch,
                c.spent_lamports, c.received_lamports, c.bought_amount, c.sold_amount,
                c.sold_fraction, c.profit_ratio, c.accepted, list(c.failed),
            )
            for c in candidates
        ]  # fmt: skip

        def work(conn: Conn) -> None:
            with conn.cursor() as cursor:
                cursor.executemany(_DISCOVERY, rows)

        if rows:
            self._db.write(work)

    def save_scan(self, scan: TokenScan, *, at: datetime) -> None:
        """A token's buyers' order and how far back its history was read."""
        first = scan.first_buys()
        rows = [(scan.mint, wallet, when) for wallet, when in first.items()]
        params = {
            "mint": scan.mint,
            "at": at,
            "launched": scan.launched_at,
            "oldest": scan.oldest_at,
            "txs": scan.transactions,
            "pages": scan.pages,
            "reached": scan.reached_launch,
            "buyers": len(first),
        }

        def work(conn: Conn) -> None:
            with conn.cursor() as cursor:
                cursor.executemany(_BUYER, rows)
            conn.execute(_SCAN, params)

        self._db.write(work)

    def first_buys(self, mints: Iterable[str]) -> dict[str, list[tuple[str, datetime]]]:
        """(wallet, first buy) of every stored buyer of each token."""
        wanted = sorted(set(mints))
        rows = self._db.read(lambda c: c.execute(_BUYERS_OF, {"mints": wanted}).fetchall())
        found: dict[str, list[tuple[str, datetime]]] = {}
        for row in rows:
            found.setdefault(row["mint"], []).append((row["wallet"], row["first_buy_at"]))
        return found

    def tokens_bought(self, wallet: str, since: datetime, until: datetime) -> int:
        """How many scanned tokens `wallet` first bought between two times (inclusive)."""
        params = {"wallet": wallet, "since": since, "until": until}
        row = self._db.read(lambda c: c.execute(_TOKENS_BOUGHT, params).fetchone())
        return int(row["n"]) if row is not None else 0

    def scanned(self, mints: Iterable[str]) -> set[str]:
        """Which of `mints` were scanned already."""
        wanted = sorted(set(mints))
        rows = self._db.read(lambda c: c.execute(_SCANNED, {"mints": wanted}).fetchall())
        return {row["mint"] for row in rows}

    def scan_of(self, mint: str) -> Mapping[str, object] | None:
        """The stored scan summary of one token."""
        return self._db.read(lambda c: c.execute(_SCAN_OF, {"mint": mint}).fetchone())

    def discoveries_of(self, wallet: str) -> list[dict[str, Any]]:
        """Where and how `wallet` was found, oldest first."""
        return self._db.read(lambda c: c.execute(_FOUND, {"wallet": wallet}).fetchall())

    def unscanned_tokens(self, limit: int) -> list[str]:
        """Stored tokens never scanned for buyers, oldest discovery first."""
        rows = self._db.read(lambda c: c.execute(_UNSCANNED_TOKENS, {"limit": limit}).fetchall())
        return [row["mint"] for row in rows]

    def set_pinned(self, address: str, pinned: bool) -> None:
        """Pin (or unpin) a wallet: a pinned wallet stays watched whatever its metrics."""
        self._db.write(lambda c: c.execute(_PIN, {"address": address, "pinned": pinned}))

    def note_method(self, address: str, method: str) -> None:
        """How the wallet was first found (kept once set)."""
        self._db.write(lambda c: c.execute(_METHOD, {"address": address, "method": method}))

    def set_failed_criteria(self, address: str, failed: Sequence[str]) -> None:
        """The watchlist criteria the latest profile failed (empty: it passed)."""
        params = {"address": address, "failed": list(failed)}
        self._db.write(lambda c: c.execute(_CRITERIA, params))

    def intel_of(self, address: str) -> WalletIntel | None:
        """Pin, failed criteria and discovery method of a wallet."""
        row = self._db.read(lambda c: c.execute(_INTEL_OF, {"a": address}).fetchone())
        if row is None:
            return None
        return WalletIntel(
            pinned=bool(row["pinned"]),
            failed_criteria=tuple(row["failed_criteria"] or ()),
            discovery_method=row["discovery_method"],
        )

    def save_decay(
        self,
        address: str,
        *,
        status: DecayStatus,
        decay_score: float,
        losses: int,
        wallet_score: float,
        active_at: datetime | None,
    ) -> None:
        """The decay verdict of a wallet and its score after the multiplier."""
        params = {
            "address": address,
            "status": status.value,
            "score": decay_score,
            "losses": losses,
            "wallet_score": min(1.0, max(0.0, wallet_score)),
            "active": active_at,
        }
        self._db.write(lambda c: c.execute(_DECAY, params))
