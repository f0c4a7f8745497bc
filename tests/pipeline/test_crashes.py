"""Wallet and scorer actors killed mid-stream lose no signal and store none twice.

Crashes are injected where they hurt most: a wallet actor after it told the scorer but
before its snapshot recorded the swap (the swap is redelivered and signalled again), the
scorer before it stored a signal, and the scorer right after storing a batch (the store
sees the same signal id again).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from actors.names import POSITIONS, SCORER
from actors.pipeline_messages import GetStats
from actors.scorer import ScorerActor
from actors.wallet import WalletActor
from supervisors.signal_tree import SignalActors
from tests.pipeline.kit import START, pipeline, seed_token, seed_wallet, swap
from walltrack.domain.messages.ingress import SwapObserved
from walltrack.domain.messages.signals import WalletSignal
from walltrack.domain.params import default_params
from walltrack.domain.records.signals import SignalRecord
from walltrack.pipeline_ports import SignalSink

WALLETS = [f"Crash{i}" + "1" * 38 for i in range(3)]
MINTS = [f"Mint{i}" + "1" * 40 for i in range(4)]
PER_WALLET = 12


_DEFAULTS = default_params()
LENIENT = replace(_DEFAULTS, scoring=replace(_DEFAULTS.scoring, threshold=0.3))
"""Every signal of these seeded wallets and tokens trades: each must reach positions once."""


class Faults:
    """Signatures whose handling crashes once, wherever the fault is placed."""

    def __init__(self, signatures: set[str]) -> None:
        self._pending = set(signatures)
        self._lock = threading.Lock()
        self.fired: list[str] = []

    def fire(self, signature: str) -> bool:
        with self._lock:
            if signature not in self._pending:
                return False
            self._pending.discard(signature)
            self.fired.append(signature)
            return True


def crashing_actors(
    wallet_faults: Faults, scorer_faults: Faults, received: list[str]
) -> SignalActors:
    class CrashingWallet(WalletActor):
        def handle(self, message: Any) -> Any:
            result = super().handle(message)  # the signal is already told to the scorer
            if isinstance(message, SwapObserved) and wallet_faults.fire(message.signature):
                raise RuntimeError("wallet actor killed after signalling")
            return result

    class CrashingScorer(ScorerActor):
        def handle(self, message: Any) -> Any:
            if isinstance(message, WalletSignal):
                received.append(message.swap.signature)
            if isinstance(message, WalletSignal) and scorer_faults.fire(message.swap.signature):
                raise RuntimeError("scorer killed before storing")
            return super().handle(message)

    return SignalActors(wallet=CrashingWallet, scorer=CrashingScorer)


class CrashAfterInsert:
    """The signal store, with the scorer killed right after a row is written."""

    def __init__(self, inner: SignalSink, faults: Faults) -> None:
        self._inner = inner
        self._faults = faults

    def insert_many(self, signals: Sequence[SignalRecord]) -> None:
        self._inner.insert_many(signals)
        fired = [self._faults.fire(signal.tx_signature or "") for signal in signals]
        if any(fired):  # every fault in the batch fires now: one crash for the batch
            raise RuntimeError("scorer killed after storing, before publishing")


def test_killed_wallet_and_scorer_actors_lose_no_signal_and_duplicate_none(pg_dsn: str) -> None:
    swaps = [
        swap(
            wallet,
            MINTS[(n + i) % len(MINTS)],
            at=START + timedelta(seconds=10 * n + i),
            signature=f"sig-{i}-{n}",
        )
        for n in range(PER_WALLET)
        for i, wallet in enumerate(WALLETS)
    ]
    wallet_faults = Faults({"sig-0-2", "sig-1-5", "sig-2-9", "sig-0-10"})
    scorer_faults = Faults({"sig-1-3", "sig-2-7"})
    insert_faults = Faults({"sig-0-4", "sig-2-11"})
    received: list[str] = []
    with pipeline(
        pg_dsn,
        tracked=WALLETS,
        actors=crashing_actors(wallet_faults, scorer_faults, received),
        wrap_signals=lambda inner: CrashAfterInsert(inner, insert_faults),
        params=LENIENT,
    ) as p:
        for wallet in WALLETS:
            seed_wallet(p.stores, wallet)
        for mint in MINTS:
            seed_token(p.stores, mint)
        for observed_swap in swaps:  # one burst: the crashes happen with messages queued
            p.submit(observed_swap)
        told = p.wait_told(len(swaps))
        p.drain(WALLETS)

        assert len(wallet_faults.fired) == 4
        assert len(scorer_faults.fired) == 2
        assert len(insert_faults.fired) == 2
        stored = p.signals()
        assert sorted(s.tx_signature or "" for s in stored) == sorted(s.signature for s in swaps)
        assert len({s.signal_id for s in stored}) == len(swaps)
        # Each signal came out of the scorer exactly once ...
        assert sorted(t.swap_signature for t in told) == sorted(s.signature for s in swaps)
        # ... and every traded one reached the positions actor: told as soon as scored,
        # so a scorer killed before its batch was stored tells it again when the batch is
        # requeued (the positions actor keys the position on the signal id: one position,
        # tests/trading/test_crashes.py), but never under another id.
        p.ask(POSITIONS, GetStats())  # its mailbox is FIFO: everything told is handled
        traded = sorted(t.swap_signature for t in told if t.result.traded)
        assert traded
        assert sorted({t.swap_signature for t in p.traded}) == traded
        assert len({t.signal_id for t in p.traded}) == len(traded)
        # ... though the swaps of killed wallet actors were signalled twice: the scorer knew.
        twice = {sig for sig in received if received.count(sig) > 1}
        assert set(wallet_faults.fired) <= twice
        scorer = p.registry.get(SCORER)
        # two kills before storing, and one per stored batch that held an insert fault
        # (group commit: both may share a batch)
        assert scorer.incarnation >= 4
