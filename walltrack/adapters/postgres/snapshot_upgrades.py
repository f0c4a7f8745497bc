"""Upgrade path for actor snapshots: one function per kind and version step (v1 -> v2 ...).

Why: an actor's state shape changes between releases, but a restart must still rebuild
from the snapshot written by the previous release. Each actor kind registers how to turn
version N into N+1; loading applies the chain up to the current version. A snapshot newer
than the code, or a missing step, is refused loudly instead of being misread.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from walltrack.errors import SnapshotUpgradeError
from walltrack.ports import Snapshot

type Upgrade = Callable[[Mapping[str, Any]], dict[str, Any]]


class SnapshotUpgrades:
    """A registry of upgrade steps, filled at wiring time, read by the snapshot store."""

    def __init__(self) -> None:
        self._steps: dict[tuple[str, int], Upgrade] = {}
        self._current: dict[str, int] = {}

    def register(self, kind: str, from_version: int, upgrade: Upgrade) -> None:
        """`upgrade` turns a `kind` state of `from_version` into `from_version + 1`."""
        if from_version < 1:
            msg = "snapshot versions start at 1"
            raise ValueError(msg)
        if (kind, from_version) in self._steps:
            msg = f"upgrade {kind} v{from_version} -> v{from_version + 1} already registered"
            raise ValueError(msg)
        self._steps[(kind, from_version)] = upgrade
        self._current[kind] = max(self._current.get(kind, 1), from_version + 1)

    def step(self, kind: str, from_version: int) -> Callable[[Upgrade], Upgrade]:
        """Decorator form of `register`."""

        def decorate(upgrade: Upgrade) -> Upgrade:
            self.register(kind, from_version, upgrade)
            return upgrade

        return decorate

    def current_version(self, kind: str) -> int:
        """The version this release writes for `kind` (1 when no step is registered)."""
        return self._current.get(kind, 1)

    def upgrade(self, snapshot: Snapshot) -> Snapshot:
        """`snapshot` brought to the current version of its kind (unchanged if current)."""
        target = self.current_version(snapshot.kind)
        version = snapshot.schema_version
        if version > target:
            raise SnapshotUpgradeError(
                snapshot.kind, version, f"is newer than this release (v{target})"
            )
        state: Mapping[str, Any] = snapshot.state
        while version < target:
            step = self._steps.get((snapshot.kind, version))
            if step is None:
                raise SnapshotUpgradeError(
                    snapshot.kind, version, f"no upgrade registered to v{version + 1}"
                )
            state = step(state)
            version += 1
        if version == snapshot.schema_version:
            return snapshot
        return dataclasses.replace(snapshot, schema_version=version, state=state)
