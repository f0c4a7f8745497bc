"""The WebhookEventStore port over the `webhook_events` table.

Why a separate adapter over the repository: the webhook receiver depends on the narrow
port (record and say whether it was new), not on the whole repository, so tests and
benchmarks swap in the in-memory store. The UNIQUE constraint on `signature` decides
duplicates, so concurrent deliveries of one signature (two workers, two processes, before
and after a restart) yield exactly one `True`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from walltrack.adapters.postgres.repositories.webhook_events import WebhookEventRepository
from walltrack.domain.records.operations import WebhookEventRecord


class PostgresWebhookEventStore:
    """Records raw Helius events; a signature already stored is a duplicate."""

    blocks = True  # database round trips: never on the event loop

    def __init__(
        self,
        repository: WebhookEventRepository | Callable[[], WebhookEventRepository],
        *,
        source: str = "helius",
    ) -> None:
        # A factory when the pool may be replaced (the stores restart): looked up per call.
        self._repository = repository
        self._source = source

    def record_new(self, signature: str, payload: Mapping[str, Any], received_at: datetime) -> bool:
        """Insert the raw payload; False when the signature was already there.

        Blocks on the database: call it from a worker thread. Raises StoreUnavailableError
        when PostgreSQL cannot be reached (the caller then refuses the delivery).
        """
        return self._repository_now().record(self._record(signature, payload, received_at))

    def record_many(self, events: Sequence[tuple[str, Mapping[str, Any], datetime]]) -> list[bool]:
        """Insert every (signature, payload, received_at) in one statement (group commit);
        per event, whether it was new. All or nothing: an outage raises for the batch."""
        records = [self._record(*event) for event in events]
        return self._repository_now().record_many(records)

    def recent_signatures(self, limit: int) -> list[str]:
        """The newest `limit` signatures, newest first (blocks on the database)."""
        return self._repository_now().recent_signatures(limit)

    def _record(
        self, signature: str, payload: Mapping[str, Any], received_at: datetime
    ) -> WebhookEventRecord:
        return WebhookEventRecord(
            signature=signature, source=self._source, payload=dict(payload), received_at=received_at
        )

    def _repository_now(self) -> WebhookEventRepository:
        repository = self._repository
        if not isinstance(repository, WebhookEventRepository):
            repository = repository()
        return repository
