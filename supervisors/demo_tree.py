"""The demo tree: the runtime's behaviours on built-in demo actors, no stores needed."""

from __future__ import annotations

from actors.demo import LEDGER, SCORER, DemoLedger, DemoScorer, DemoWallet
from supervisors.dynamic import DynamicSpec, dynamic_child
from supervisors.services import TreeServices
from supervisors.specs import ChildSpec, Intensity, Strategy
from supervisors.supervisor import SupervisorSpec, supervisor_child
from walltrack.domain.messages.base import Command
from walltrack.domain.messages.control import PauseTrading, ResetCircuitBreaker, ResumeTrading

WALLETS = "demo_wallets"
DEMO_ROUTES: dict[type[Command], str] = {
    PauseTrading: LEDGER,
    ResumeTrading: LEDGER,
    ResetCircuitBreaker: LEDGER,
}
"""Operator commands of the demo: the ledger plays the circuit breaker's part."""


def demo_tree(services: TreeServices, passivate_after_s: float) -> SupervisorSpec:
    """Ledger, then a scoring supervisor, then the dynamic wallet supervisor."""
    scoring = SupervisorSpec(
        strategy=Strategy.ONE_FOR_ONE,
        intensity=Intensity(max_restarts=10, window_s=10),
        children=[ChildSpec(name=SCORER, start=DemoScorer.start)],
    )
    wallets = DynamicSpec(
        template=lambda name: ChildSpec(name=name, start=DemoWallet.start),
        passivate_after_s=passivate_after_s,
    )
    return SupervisorSpec(
        strategy=Strategy.REST_FOR_ONE,
        intensity=Intensity(max_restarts=10, window_s=10),
        children=[
            ChildSpec(name=LEDGER, start=DemoLedger.start),
            supervisor_child("demo_scoring", services, scoring),
            dynamic_child(WALLETS, services, wallets),
        ],
    )
