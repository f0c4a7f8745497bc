"""From one accepted enhanced transaction to the SwapObserved messages of tracked wallets.

Why every involved address and not only the fee payer: a copied wallet may trade through a
bot or a relayer that pays the fee (api-formats.md §1.4: the tracked wallet "usually"
equals feePayer), and one transaction may touch several tracked wallets. Classification is
the pure domain function, run once per tracked address, so the cost does not grow with the
tracked set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from walltrack.adapters.webhook.payload_validation import involved_addresses
from walltrack.domain.ids import random_uuid
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.swaps import Swap, classify_swap
from walltrack.ports import TrackedWallets


def tracked_swaps(
    tx: dict[str, Any],
    tracked: TrackedWallets,
    received_at: datetime,
    on_not_a_swap: Callable[[str], None],
) -> list[SwapObserved]:
    """One SwapObserved per tracked wallet that swapped in `tx` (sorted by wallet).

    `on_not_a_swap(reason)` hears about tracked wallets whose part was not a swap.
    """
    wallets = sorted(involved_addresses(tx, tracked))
    observed: list[SwapObserved] = []
    for wallet in wallets:
        result = classify_swap(tx, wallet)
        if isinstance(result, Swap):
            flow_id = random_uuid()  # the swap starts its flow: its own id names the flow
            observed.append(
                SwapObserved(
                    correlation_id=flow_id,
                    msg_id=flow_id,
                    ts_event=result.timestamp,
                    ts_init=received_at,
                    wallet=wallet,
                    swap=result,
                    signature=result.signature,
                    received_at=received_at,
                )
            )
        else:
            on_not_a_swap(result.reason.value)
    return observed
