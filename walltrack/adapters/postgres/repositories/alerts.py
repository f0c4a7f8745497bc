"""Alerts for the operator: raised by actors, acknowledged from the dashboard or CLI."""

from __future__ import annotations

from datetime import datetime

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.domain.records import AlertRecord

_INSERT = """
INSERT INTO alerts (raised_at, severity, source, code, message, details)
VALUES (%(raised_at)s, %(severity)s, %(source)s, %(code)s, %(message)s, %(details)s)
RETURNING *
"""

_ACK = """
UPDATE alerts SET acknowledged_at = %(at)s, acknowledged_by = %(by)s
WHERE alert_id = %(alert_id)s AND acknowledged_at IS NULL
RETURNING *
"""

_OPEN = """
SELECT * FROM alerts WHERE acknowledged_at IS NULL
ORDER BY raised_at DESC, alert_id DESC LIMIT %(limit)s
"""
_RECENT = "SELECT * FROM alerts ORDER BY raised_at DESC, alert_id DESC LIMIT %(limit)s"


class AlertRepository:
    """Reads and writes of the alerts table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def raise_alert(self, alert: AlertRecord) -> AlertRecord:
        """Store a new alert; returns it with its id."""
        params = to_params(alert, exclude=("alert_id", "acknowledged_at", "acknowledged_by"))
        row = self._db.write(lambda c: c.execute(_INSERT, params).fetchone(), idempotent=False)
        assert row is not None
        return from_row(AlertRecord, row)

    def acknowledge(self, alert_id: int, *, by: str, at: datetime) -> AlertRecord | None:
        """Mark an open alert as seen; None when it was already acknowledged or unknown."""
        params = {"alert_id": alert_id, "by": by, "at": at}
        row = self._db.write(lambda c: c.execute(_ACK, params).fetchone())
        return None if row is None else from_row(AlertRecord, row)

    def open_alerts(self, *, limit: int = 100) -> list[AlertRecord]:
        """Unacknowledged alerts, newest first."""
        rows = self._db.read(lambda c: c.execute(_OPEN, {"limit": limit}).fetchall())
        return [from_row(AlertRecord, r) for r in rows]

    def recent(self, *, limit: int = 100) -> list[AlertRecord]:
        """All alerts, newest first."""
        rows = self._db.read(lambda c: c.execute(_RECENT, {"limit": limit}).fetchall())
        return [from_row(AlertRecord, r) for r in rows]
