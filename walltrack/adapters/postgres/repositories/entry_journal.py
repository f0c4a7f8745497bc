"""The entry journal: an entry attempt made durable in its own statement before it is sent.

Why a table of its own: the position actor's snapshot grows with every open position
(about 1 KB each); rewriting it in every entry's statement put that cost on the decision
path. A journal row holds only the position and its order in flight, and is read back on
start for a position still open that the actor's (write-behind) snapshot does not hold.
"""

from __future__ import annotations

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.rows import jsonb
from walltrack.execution_ports import EntryJournal

JOURNAL_FOR_OPENED_POSITION = """
INSERT INTO entry_journal (position_id, attempt_key, entry)
SELECT opened.position_id, %(attempt_key)s::text, %(entry)s::jsonb FROM opened
"""
"""The journal row, written only with a position its statement creates (`opened`, a CTE
returning the inserted row); parameters from `journal_params`."""

_OPEN_ENTRIES = """
SELECT j.position_id, j.attempt_key, j.entry FROM entry_journal j
JOIN positions p ON p.position_id = j.position_id
WHERE p.state <> 'closed'
ORDER BY j.journaled_at, j.position_id
"""


def journal_params(journal: EntryJournal) -> dict[str, object]:
    """The journal row's parameters, by name."""
    return {"attempt_key": journal.attempt_key, "entry": jsonb(dict(journal.entry))}


def open_entries(db: Database) -> list[EntryJournal]:
    """The journal of every position not closed, oldest first."""
    rows = db.read(lambda c: c.execute(_OPEN_ENTRIES).fetchall())
    return [
        EntryJournal(
            position_id=row["position_id"], attempt_key=row["attempt_key"], entry=row["entry"]
        )
        for row in rows
    ]
