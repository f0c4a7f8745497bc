"""The webhook's SwapSink: hands each observed swap to the ingress actor's mailbox.

Why a tiny adapter: the webhook receiver depends on the `SwapSink` port only; this
implementation is a registry `tell`, so the HTTP handler never waits for an actor.
"""

from __future__ import annotations

from actors.names import INGRESS
from actors.runtime.registry import Registry
from walltrack.domain.messages.ingress import SwapObserved


class IngressSink:
    """`submit` tells the ingress actor (returns at once; messages wait if it restarts)."""

    def __init__(self, registry: Registry, name: str = INGRESS) -> None:
        self._registry = registry
        self._name = name

    def submit(self, message: SwapObserved) -> None:
        """Hand `message` to the ingress."""
        self._registry.tell(self._name, message)
