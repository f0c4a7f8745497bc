"""Early claims settle on the answer that recorded the signature, whatever the order."""

from __future__ import annotations

from walltrack.adapters.webhook.delivery_memory import DeliveryMemory

SIG = "5tYx9kq2"


def memory() -> DeliveryMemory:
    return DeliveryMemory(capacity=10, load_newest=lambda _limit: [])


def test_a_late_delivery_and_its_retry_answering_in_either_order_hand_on_nothing_again() -> None:
    for answers in ([True, False], [False, True]):  # writer threads (store_workers > 1) race
        delivery_memory = memory()
        assert delivery_memory.claim_early([SIG]) == [SIG]  # handed on as it was submitted
        hand_on = [delivery_memory.recorded(SIG, new=new) for new in answers]
        assert hand_on == [False, False], answers
        assert SIG in delivery_memory


def test_a_record_not_handed_on_early_is_handed_on_once() -> None:
    delivery_memory = memory()
    assert delivery_memory.recorded(SIG, new=True) is True
    assert delivery_memory.recorded(SIG, new=False) is False
    assert delivery_memory.claim_early([SIG]) == [SIG]  # nothing claimed it before


def test_a_claim_recorded_before_a_restart_blocks_a_second_early_hand_on() -> None:
    delivery_memory = memory()
    assert delivery_memory.claim_early([SIG]) == [SIG]
    assert delivery_memory.recorded(SIG, new=False) is False  # the store had it already
    assert delivery_memory.claim_early([SIG]) == []
