"""An entry's fill settled in one statement: its order filled, the fill, the position open.

Why one statement: the position actor settles a fill between two signals, and the three
writes it made one after another (three round trips, 15-20 ms under load) were time the
next entry spent waiting in its mailbox. Each part keeps its own rule: the order moves
only from a state that allows it, the fill is stored once per transaction signature, the
position is written only from a state that allows it; so the statement is safe to repeat.
"""

from __future__ import annotations

from datetime import datetime

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.repositories.fills import INSERT_FILL
from walltrack.adapters.postgres.repositories.orders import TRANSITION_ORDER, transition_params
from walltrack.adapters.postgres.repositories.positions import (
    UPDATE_POSITION,
    PositionRepository,
    update_params,
)
from walltrack.adapters.postgres.rows import prefixed, to_params
from walltrack.domain.records import FillRecord, OrderState, PositionRecord

_PARTS = (
    ("moved", TRANSITION_ORDER, "order_"),
    ("recorded", INSERT_FILL, "fill_"),
    ("opened", UPDATE_POSITION, "position_"),
)
_CTES = ", ".join(f"{name} AS ({text.replace('%(', '%(' + key)})" for name, text, key in _PARTS)
_COUNTS = "(SELECT count(*) FROM moved) AS moved, (SELECT count(*) FROM opened) AS opened"
ENTRY_FILLED = f"WITH {_CTES} SELECT {_COUNTS}"


def settle_entry_fill(
    db: Database, fill: FillRecord, position: PositionRecord, at: datetime
) -> bool:
    """Store the entry's fill with its order filled and its position; whether the order
    moved (False: its row was filled already, a settlement redone after a restart).

    A position its state does not allow to be written raises, as `PositionRepository.update`
    does, after the order and the fill were stored (as when they were three writes).
    """
    filled = transition_params(fill.order_id, OrderState.FILLED, at, fill.tx_signature)
    params = (
        prefixed("order_", filled)
        | prefixed("fill_", to_params(fill, exclude=("fill_id",)))
        | prefixed("position_", update_params(position))
    )
    row = db.write_one(lambda c: c.execute(ENTRY_FILLED, params).fetchone())
    assert row is not None
    if not row["opened"]:
        PositionRepository(db).update(position)  # refused: raises why (or it moved since)
    return bool(row["moved"])
