"""Orders: the swap state machine, with an idempotency key that makes resends impossible."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from walltrack.adapters.postgres.database import Database
from walltrack.adapters.postgres.rows import from_row, to_params
from walltrack.adapters.postgres.state_moves import conditional_move
from walltrack.domain.records import OrderRecord, OrderState, check_order_transition
from walltrack.domain.records.trading import ORDER_TRANSITIONS
from walltrack.errors import DuplicateKeyError

_INSERT = """
INSERT INTO orders (order_id, idempotency_key, position_id, side, purpose, state, attempt,
    amount_in, expected_out, min_out, slippage_bps, priority_fee_lamports, venue,
    tx_signature, error, quote, created_at, submitted_at, finished_at)
VALUES (%(order_id)s, %(idempotency_key)s, %(position_id)s, %(side)s, %(purpose)s,
    %(state)s, %(attempt)s, %(amount_in)s, %(expected_out)s, %(min_out)s, %(slippage_bps)s,
    %(priority_fee_lamports)s, %(venue)s, %(tx_signature)s, %(error)s, %(quote)s,
    %(created_at)s, %(submitted_at)s, %(finished_at)s)
RETURNING *
"""

ORDER_FOR_OPENED_POSITION = """
INSERT INTO orders (order_id, idempotency_key, position_id, side, purpose, state, attempt,
    amount_in, expected_out, min_out, slippage_bps, priority_fee_lamports, venue,
    tx_signature, error, quote, created_at, submitted_at, finished_at)
SELECT %(order_id)s::uuid, %(idempotency_key)s::text, opened.position_id, %(side)s::text,
    %(purpose)s::text, %(state)s::text, %(attempt)s::smallint, %(amount_in)s::numeric,
    %(expected_out)s::numeric, %(min_out)s::numeric, %(slippage_bps)s::integer,
    %(priority_fee_lamports)s::bigint, %(venue)s::text, %(tx_signature)s::text,
    %(error)s::text, %(quote)s::jsonb, %(created_at)s::timestamptz,
    %(submitted_at)s::timestamptz, %(finished_at)s::timestamptz
FROM opened
"""
"""An entry order inserted with its position, in one statement: `opened` is the CTE that
inserted the position, so the order exists exactly when its position was new."""

TRANSITION_ORDER = """
UPDATE orders SET state = %(state)s,
    attempt = attempt + CASE WHEN state = 'failed' AND %(state)s = 'pending' THEN 1 ELSE 0 END,
    tx_signature = coalesce(%(tx_signature)s, tx_signature),
    error = %(error)s,
    submitted_at = CASE WHEN %(state)s = 'submitted' THEN %(at)s ELSE submitted_at END,
    finished_at = CASE WHEN %(state)s IN ('filled', 'cancelled') THEN %(at)s
                       ELSE finished_at END
WHERE order_id = %(order_id)s AND state = ANY(%(from_states)s)
RETURNING *
"""

_GET = "SELECT * FROM orders WHERE order_id = %(order_id)s"
_BY_KEY = "SELECT * FROM orders WHERE idempotency_key = %(key)s"
_UNFINISHED = """
SELECT * FROM orders WHERE state NOT IN ('filled', 'cancelled') ORDER BY created_at
"""
_FOR_POSITION = "SELECT * FROM orders WHERE position_id = %(position_id)s ORDER BY created_at"


ORDER_FROM_STATES: dict[OrderState, list[str]] = {
    new: [old.value for old, allowed in ORDER_TRANSITIONS.items() if new in allowed]
    for new in OrderState
}
"""For each state, the states an order may move to it from."""


def transition_params(
    order_id: UUID,
    new_state: OrderState,
    at: datetime,
    tx_signature: str | None = None,
    error: str | None = None,
) -> dict[str, object]:
    """TRANSITION_ORDER's parameters (also a part of the entry-fill statement)."""
    return {
        "order_id": order_id,
        "state": new_state.value,
        "from_states": ORDER_FROM_STATES[new_state],
        "tx_signature": tx_signature,
        "error": error,
        "at": at,
    }


class OrderRepository:
    """Reads and writes of orders; every state change is checked against ORDER_TRANSITIONS."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def insert(self, order: OrderRecord) -> OrderRecord:
        """Store a new order. An idempotency key seen before raises DuplicateKeyError: the
        caller then loads the existing order with `by_idempotency_key` instead of resending.
        """
        params = to_params(order, exclude=("updated_at",))
        try:
            # One statement: autocommit; a retry after a lost connection meets the key.
            row = self._db.write_one(lambda c: c.execute(_INSERT, params).fetchone())
        except DuplicateKeyError as error:
            if error.constraint != "orders_idempotency_key_unique":
                raise
            raise DuplicateKeyError(
                "orders",
                error.constraint,
                f"an order with idempotency key {order.idempotency_key!r} already exists; "
                "it must not be sent again",
            ) from error
        assert row is not None
        return from_row(OrderRecord, row)

    def transition(
        self,
        order_id: UUID,
        new_state: OrderState,
        *,
        at: datetime,
        tx_signature: str | None = None,
        error: str | None = None,
    ) -> OrderRecord:
        """Move an order to `new_state` (failed -> pending counts as a retry attempt).

        One statement, one round trip (a transition is on the entry path): the update
        applies only from a state that allows the move, so it is also the check, and a
        repeat after a lost connection is refused rather than applied twice.
        """
        params = transition_params(order_id, new_state, at, tx_signature, error)

        def current() -> OrderState | None:
            order = self.get(order_id)
            return None if order is None else order.state

        row = conditional_move(
            lambda: self._db.write_one(lambda c: c.execute(TRANSITION_ORDER, params).fetchone()),
            current,
            lambda state: check_order_transition(order_id, state, new_state),
            key=order_id,
            subject=f"order {order_id}",
            new=new_state,
        )
        return from_row(OrderRecord, row)

    def get(self, order_id: UUID) -> OrderRecord | None:
        """One order by id."""
        row = self._db.read(lambda c: c.execute(_GET, {"order_id": order_id}).fetchone())
        return None if row is None else from_row(OrderRecord, row)

    def by_idempotency_key(self, key: str) -> OrderRecord | None:
        """The order that owns `key`, if any (restart recovery)."""
        row = self._db.read(lambda c: c.execute(_BY_KEY, {"key": key}).fetchone())
        return None if row is None else from_row(OrderRecord, row)

    def unfinished(self) -> list[OrderRecord]:
        """Orders not filled or cancelled, oldest first: what a restart must reconcile."""
        rows = self._db.read(lambda c: c.execute(_UNFINISHED).fetchall())
        return [from_row(OrderRecord, r) for r in rows]

    def for_position(self, position_id: UUID) -> list[OrderRecord]:
        """Every order of one position, in creation order."""
        params = {"position_id": position_id}
        rows = self._db.read(lambda c: c.execute(_FOR_POSITION, params).fetchall())
        return [from_row(OrderRecord, r) for r in rows]
