"""The one PostgreSQL connection pool of a process, and how a unit of work runs on it.

Why sync psycopg + `psycopg_pool.ConnectionPool`: WallTrack's actors are pykka threads,
not asyncio tasks. A thread-safe blocking pool lets any actor run a short unit of work
directly on its own thread; an async pool would force every actor to hop onto an event
loop and back for each query. The pool bounds the connections (default 10) however many
actors there are.

A unit of work is one `with pool.connection()`: a function of the connection that runs
either as one transaction (writes) or in autocommit (single-statement reads, one round
trip). Connection losses are retried with a fresh connection when that is safe, counted in
`stats` and logged as `pg_connection_lost`; what cannot be retried surfaces as
StoreUnavailableError.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
import structlog
from psycopg import sql
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from walltrack.adapters.postgres.errors import VENUE, is_connection_error, redact, translate
from walltrack.adapters.postgres.schema import check_schema_name
from walltrack.errors import StoreUnavailableError

type Conn = psycopg.Connection[DictRow]

_log = structlog.get_logger(__name__)


@dataclass(slots=True)
class DatabaseStats:
    """Counters an operator (doctor, dashboard) can read: what went wrong, how often."""

    units: int = 0
    connection_losses: int = 0
    retried_ok: int = 0
    unavailable: int = 0


class Database:
    """A pool bound to one mode's schema; repositories run their units of work through it."""

    def __init__(
        self,
        dsn: str,
        *,
        schema: str,
        min_size: int = 1,
        max_size: int = 10,
        timeout_s: float = 5.0,
        connect_timeout_s: int = 5,
        retries: int = 2,
        retry_backoff_s: float = 0.05,
        name: str = "walltrack",
    ) -> None:
        self.schema = check_schema_name(schema)
        self._retries = retries
        self._backoff = retry_backoff_s
        self._timeout = timeout_s
        self._stats = DatabaseStats()
        self._stats_lock = threading.Lock()
        self._pool: ConnectionPool[Conn] = ConnectionPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout_s,
            open=False,
            name=name,
            kwargs={
                "autocommit": True,
                "row_factory": dict_row,
                "connect_timeout": connect_timeout_s,
                "application_name": f"walltrack:{schema}",
            },
            configure=self._configure,
            connection_class=psycopg.Connection[DictRow],
        )

    def _configure(self, conn: Conn) -> None:
        """Every new connection sees only this mode's schema and speaks UTC."""
        conn.execute(
            sql.SQL("SET search_path TO {}, pg_catalog").format(sql.Identifier(self.schema))
        )
        conn.execute("SET TIME ZONE 'UTC'")

    def open(self, *, wait: bool = True) -> Database:
        """Open the pool; with `wait`, fail fast (StoreUnavailableError) if PG is unreachable."""
        try:
            self._pool.open(wait=wait, timeout=self._timeout)
        except Exception as error:
            self._pool.close()
            mapped = translate(error)
            if mapped is None:
                raise
            raise mapped from error
        return self

    def close(self) -> None:
        """Close every connection; units still running finish first."""
        self._pool.close()

    def __enter__(self) -> Database:
        return self.open()

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def stats(self) -> DatabaseStats:
        """A copy of the counters."""
        with self._stats_lock:
            return DatabaseStats(**{k: getattr(self._stats, k) for k in DatabaseStats.__slots__})

    def read[T](self, work: Callable[[Conn], T]) -> T:
        """Run a read in autocommit: one round trip per statement, always safe to retry."""
        return self._run(work, transaction=False, idempotent=True)

    def write[T](
        self, work: Callable[[Conn], T], *, idempotent: bool = True, pipeline: bool = False
    ) -> T:
        """Run `work` as one transaction.

        `idempotent=False` for writes that would duplicate if repeated (identity-keyed
        inserts): they are retried only when the failure happened before COMMIT was sent.
        `pipeline=True` sends BEGIN, the statements and COMMIT in one network round trip;
        only for work that does not read results between its statements.
        """
        return self._run(work, transaction=True, idempotent=idempotent, pipeline=pipeline)

    def write_one[T](self, work: Callable[[Conn], T]) -> T:
        """Run a single statement in autocommit: atomic by itself, and one round trip
        where a transaction adds BEGIN and COMMIT (the entry path's writes: a signal's
        position and order). Only for a statement safe to repeat after a lost connection
        (an insert that ignores or reports its own duplicate): it is retried like a read.
        """
        return self._run(work, transaction=False, idempotent=True)

    def _run[T](
        self,
        work: Callable[[Conn], T],
        *,
        transaction: bool,
        idempotent: bool,
        pipeline: bool = False,
    ) -> T:
        attempt = 0
        while True:
            committing = False
            try:
                with self._pool.connection() as conn:
                    if not transaction:
                        result = work(conn)
                    elif pipeline:
                        with conn.pipeline(), conn.transaction():
                            result = work(conn)
                            committing = True
                    else:
                        with conn.transaction():
                            result = work(conn)
                            committing = True
                self._count(units=1, retried_ok=1 if attempt else 0)
                return result
            except Exception as error:
                if not is_connection_error(error):
                    mapped = translate(error)
                    if mapped is None:
                        raise
                    raise mapped from error
                attempt += 1
                reason = self._give_up_reason(error, attempt, committing and not idempotent)
                if reason is not None:
                    self._count(unavailable=1)
                    _log.error(
                        "pg_unit_failed", schema=self.schema, attempts=attempt, reason=reason
                    )
                    raise StoreUnavailableError(
                        VENUE, f"{reason} after {attempt} attempt(s): {_describe(error)}"
                    ) from error
                self._count(connection_losses=1)
                _log.warning(
                    "pg_connection_lost",
                    schema=self.schema,
                    attempt=attempt,
                    error=_describe(error),
                )
                time.sleep(self._backoff * attempt)

    def _give_up_reason(
        self, error: BaseException, attempt: int, outcome_unknown: bool
    ) -> str | None:
        """Why this connection failure is final, or None to retry on a fresh connection."""
        if outcome_unknown:
            return "commit outcome unknown"  # a retry could apply the write twice
        if isinstance(error, PoolTimeout):
            return "no free connection in the pool"  # we already waited `timeout_s`
        if attempt > self._retries:
            return "retries exhausted"
        return None

    def _count(self, **increments: int) -> None:
        with self._stats_lock:
            for key, value in increments.items():
                setattr(self._stats, key, getattr(self._stats, key) + value)


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return redact(f"{type(error).__name__}: {text[0] if text else ''}")
