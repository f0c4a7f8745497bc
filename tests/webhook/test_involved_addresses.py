"""Which tracked wallets a transaction involves: found wherever they appear, others not kept."""

from __future__ import annotations

from tests.webhook.kit import real_payloads
from walltrack.adapters.webhook.payload_validation import involved_addresses


def test_a_tracked_wallet_is_found_in_any_role_and_nothing_untracked_is_kept() -> None:
    buy = real_payloads()["18"]
    payer = buy["feePayer"]
    others = {
        transfer[side]
        for transfer in (buy.get("tokenTransfers") or []) + (buy.get("nativeTransfers") or [])
        for side in ("fromUserAccount", "toUserAccount")
        if transfer.get(side) and transfer[side] != payer
    }
    assert others  # the swap moved funds through accounts other than the fee payer
    counterparty = sorted(others)[0]
    # A wallet trading through a relayer that pays the fee is still found ...
    assert involved_addresses(buy, frozenset({counterparty})) == {counterparty}
    # ... the fee payer too, and addresses nobody tracks are not gathered.
    assert involved_addresses(buy, frozenset({payer, "NotInThisTx111"})) == {payer}
    assert involved_addresses(buy, frozenset()) == set()
