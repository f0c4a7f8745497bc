"""A consistent-enough picture of the tree, read without asking any actor.

Why no asks: the dashboard and `walltrack tree` must work even when an actor is stuck; the
counters live in registry slots that any thread may read.
"""

from __future__ import annotations

import time
from collections import defaultdict

from actors.runtime.registry import Registry, Slot
from supervisors.services import Quarantine
from walltrack.domain.tree import ActorInfo, ActorState, TreeSnapshot


def _info(slot: Slot, now: float) -> ActorInfo:
    running = slot.state is ActorState.RUNNING
    return ActorInfo(
        name=slot.name,
        parent=slot.parent,
        kind=slot.kind,
        state=slot.state,
        restarts=slot.restarts,
        last_error=slot.last_error,
        mailbox_depth=slot.mailbox_depth,
        uptime_s=round(now - slot.started_at, 3) if running else 0.0,
        messages_handled=slot.handled,
        incarnation=slot.incarnation,
    )


def tree_snapshot(registry: Registry, quarantine: Quarantine, root: str) -> TreeSnapshot:
    """Every live or restarting actor below (and including) `root`, depth-first."""
    children: dict[str | None, list[Slot]] = defaultdict(list)
    inactive = 0
    for slot in registry.slots():
        if slot.state is ActorState.INACTIVE:
            inactive += 1
            continue
        children[slot.parent].append(slot)
    now = time.monotonic()
    ordered: list[ActorInfo] = []
    top = registry.find(root)
    stack = [top] if top is not None else []
    while stack:
        slot = stack.pop()
        ordered.append(_info(slot, now))
        stack.extend(reversed(children.get(slot.name, [])))
    return TreeSnapshot(
        actors=tuple(ordered),
        quarantined=quarantine.entries(),
        inactive_count=inactive,
    )


def render_tree(snapshot: TreeSnapshot) -> str:
    """The tree as indented text, for `walltrack tree` and the demo."""
    depth: dict[str, int] = {}
    lines = []
    for info in snapshot.actors:
        level = depth.get(info.parent or "", -1) + 1
        depth[info.name] = level
        error = f"  last error: {info.last_error}" if info.last_error else ""
        lines.append(
            f"{'  ' * level}{info.name} [{info.kind.value}] {info.state.value}"
            f"  restarts={info.restarts} handled={info.messages_handled}"
            f" mailbox={info.mailbox_depth} up={info.uptime_s:.1f}s{error}"
        )
    lines.append(f"passivated actors: {snapshot.inactive_count}")
    lines.extend(
        f"quarantined: {q.actor} {q.message_type} after {q.crashes} crashes: {q.last_error}"
        for q in snapshot.quarantined
    )
    return "\n".join(lines)
