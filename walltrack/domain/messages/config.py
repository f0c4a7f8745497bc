"""Runtime configuration events: validated parameters pushed to the actors that use them.

Why events and not asks: an actor needs the current scoring weights or risk limits on
its hot path; it caches the last `RuntimeConfigChanged` it received instead of asking a
config owner for every decision (DESIGN.md §3).
"""

from __future__ import annotations

from walltrack.domain.messages.base import MESSAGE, Event
from walltrack.domain.params import RuntimeParams


@MESSAGE
class RuntimeConfigChanged(Event):
    """The runtime parameters in force now (the whole set, validated).

    `sections` names what changed (`"*"`: everything may have, e.g. at start-up or after
    the listener reconnected).
    """

    params: RuntimeParams
    sections: frozenset[str]


@MESSAGE
class RuntimeConfigRejected(Event):
    """A stored configuration failed validation; the previous parameters stay in force."""

    problems: tuple[tuple[str, str], ...]

    def describe(self) -> str:
        """`path: problem; path: problem` for logs and the dashboard."""
        return "; ".join(f"{path}: {problem}" for path, problem in self.problems)
