"""Keeping Helius webhooks in step with the tracked wallets, with as few edits as possible.

Why: each create/edit/delete costs 100 Helius credits and a webhook holds at most 100,000
addresses, so the tracked wallets are spread over as many webhooks as needed and a sync
touches only the webhooks whose address list actually changes. Wallets stay on the webhook
that already watches them; new ones fill free room before a new webhook is created.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from walltrack.domain.venues import HeliusWebhook

HELIUS_MAX_ADDRESSES_PER_WEBHOOK = 100_000


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookPlan:
    """Address lists to write: `updates` by webhook id, `creates` as new webhooks."""

    updates: dict[str, tuple[str, ...]]
    creates: tuple[tuple[str, ...], ...]
    deletes: tuple[str, ...]
    unchanged: tuple[str, ...]


def plan_webhook_batches(
    existing: Sequence[HeliusWebhook],
    wallets: Iterable[str],
    *,
    batch_size: int = HELIUS_MAX_ADDRESSES_PER_WEBHOOK,
    config_changed: Iterable[str] = (),
) -> WebhookPlan:
    """Assign `wallets` to `existing` webhooks (ours, same URL) and new ones.

    A webhook in `config_changed` (types, auth header...) is rewritten even if its addresses
    stay the same. Webhooks left empty are deleted.
    """
    if batch_size < 1:
        msg = f"batch_size must be >= 1, got {batch_size}"
        raise ValueError(msg)
    desired = set(wallets)
    must_rewrite = set(config_changed)
    assigned: dict[str, list[str]] = {}
    placed: set[str] = set()
    ordered = sorted(existing, key=lambda hook: hook.webhook_id)
    for hook in ordered:
        keep = [a for a in hook.account_addresses if a in desired and a not in placed]
        keep = keep[:batch_size]
        placed.update(keep)
        assigned[hook.webhook_id] = keep
    pending = sorted(desired - placed)
    # Fill webhooks that are rewritten anyway first: every untouched webhook saves credits.
    changing = {
        h.webhook_id
        for h in ordered
        if h.webhook_id in must_rewrite or len(assigned[h.webhook_id]) != len(h.account_addresses)
    }
    fill_order = sorted(ordered, key=lambda h: (h.webhook_id not in changing, h.webhook_id))
    for hook in fill_order:
        room = batch_size - len(assigned[hook.webhook_id])
        if room > 0 and pending:
            assigned[hook.webhook_id].extend(pending[:room])
            pending = pending[room:]
    creates = tuple(
        tuple(pending[start : start + batch_size]) for start in range(0, len(pending), batch_size)
    )
    updates: dict[str, tuple[str, ...]] = {}
    deletes: list[str] = []
    unchanged: list[str] = []
    for hook in ordered:
        addresses = tuple(assigned[hook.webhook_id])
        if not addresses:
            deletes.append(hook.webhook_id)
        elif (
            hook.webhook_id in must_rewrite
            or len(addresses) != len(hook.account_addresses)
            or set(addresses) != set(hook.account_addresses)
        ):
            updates[hook.webhook_id] = addresses
        else:
            unchanged.append(hook.webhook_id)
    return WebhookPlan(
        updates=updates, creates=creates, deletes=tuple(deletes), unchanged=tuple(unchanged)
    )
