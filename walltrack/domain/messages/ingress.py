"""What enters the tree from the outside world: swaps of tracked wallets.

Why a message of its own: the webhook receiver and the backfill job both produce it, and
the ingress routes it to the wallet actor without caring which path saw the swap first
(both deduplicate on the transaction signature before producing it).
"""

from __future__ import annotations

from datetime import datetime

from walltrack.domain.messages.base import MESSAGE, Event
from walltrack.domain.swap_types import Swap


@MESSAGE
class SwapObserved(Event):
    """`wallet` made `swap` (transaction `signature`), first seen at `received_at`.

    `ts_event` is the transaction's block time, `ts_init` the time WallTrack received it;
    the correlation id starts here and follows the swap to its signal and position.
    """

    wallet: str
    swap: Swap
    signature: str
    received_at: datetime
