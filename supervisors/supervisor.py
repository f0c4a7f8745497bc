"""A supervisor of a fixed, ordered list of children with an OTP restart strategy.

Why ordered: later children depend on earlier ones (positions need the circuit breaker,
the scorer needs the cluster context), so they start in order, each proven ready before
the next, and stop in reverse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from actors.runtime.base import ActorContext
from supervisors.core import SupervisorCore
from supervisors.services import TreeServices
from supervisors.specs import Backoff, ChildSpec, Intensity, Restart, Strategy
from walltrack.domain.tree import ActorKind, ActorState


@dataclass(frozen=True, slots=True, kw_only=True)
class SupervisorSpec:
    """A static supervisor: its strategy, its limits and its children in start order."""

    strategy: Strategy = Strategy.ONE_FOR_ONE
    intensity: Intensity = field(default_factory=Intensity)
    backoff: Backoff = field(default_factory=Backoff)
    children: Sequence[ChildSpec] = ()


class Supervisor(SupervisorCore):
    """Starts its children in order; restarts per its strategy; stops them in reverse."""

    def __init__(self, context: ActorContext, services: TreeServices, spec: SupervisorSpec) -> None:
        super().__init__(context, services, spec.intensity, spec.backoff)
        self.strategy = spec.strategy
        names = [child.name for child in spec.children]
        if len(set(names)) != len(names):
            msg = f"{context.name}: child names must be unique, got {names}"
            raise ValueError(msg)
        for child in spec.children:
            self._specs[child.name] = child
            services.registry.add(child.name, parent=context.name, kind=child.kind)

    def started(self) -> None:
        # A previous incarnation may have left children running (it crashed on a bug):
        # stop them first so no name ever has two live incarnations.
        leftovers = [
            name
            for name in self._specs
            if self.services.registry.get(name).state is not ActorState.STOPPED
        ]
        self.stop_children(leftovers, final=False)
        started: list[str] = []
        try:
            for child in self._specs.values():
                self.start_child(child)
                started.append(child.name)
        except Exception:
            self.stop_children(started, final=False)
            raise

    def restart_after_crash(self, name: str) -> None:
        order = list(self._specs)
        match self.strategy:
            case Strategy.ONE_FOR_ONE:
                affected = [name]
            case Strategy.ONE_FOR_ALL:
                affected = order
            case Strategy.REST_FOR_ONE:
                affected = order[order.index(name) :]
        others = [other for other in affected if other != name]
        self.stop_children(others, final=False)
        # Temporary children are not restarted when a sibling's crash takes them down.
        for other in others:
            if self._specs[other].restart is Restart.TEMPORARY:
                self._forget(other)
        self.restart_names([child for child in affected if child in self._specs])


def supervisor_child(
    name: str,
    services: TreeServices,
    spec: SupervisorSpec,
    *,
    restart: Restart = Restart.PERMANENT,
    start_timeout_s: float = 60.0,
    shutdown_timeout_s: float = 60.0,
) -> ChildSpec:
    """A child spec whose child is itself a supervisor of `spec`."""
    return ChildSpec(
        name=name,
        start=lambda context: Supervisor.start(context, services, spec),
        restart=restart,
        kind=ActorKind.SUPERVISOR,
        start_timeout_s=start_timeout_s,
        shutdown_timeout_s=shutdown_timeout_s,
    )
