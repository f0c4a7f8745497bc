"""How a supervisor is told what to run: child specs, strategies and restart limits.

Why OTP's vocabulary: it is the best-tested model of supervision there is, and operators
and reviewers already know what one_for_one or a transient child means.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pykka

from actors.runtime.base import ActorContext
from walltrack.domain.tree import ActorKind

type StartFn = Callable[[ActorContext], pykka.ActorRef[Any]]


class Restart(StrEnum):
    """When a child that stopped is started again."""

    PERMANENT = "permanent"  # always
    TRANSIENT = "transient"  # only after a crash, not after a normal exit
    TEMPORARY = "temporary"  # never


class Strategy(StrEnum):
    """Which children restart when one crashes."""

    ONE_FOR_ONE = "one_for_one"  # only the crashed child
    ONE_FOR_ALL = "one_for_all"  # every child (they depend on each other)
    REST_FOR_ONE = "rest_for_one"  # the crashed child and those started after it


@dataclass(frozen=True, slots=True, kw_only=True)
class Intensity:
    """At most `max_restarts` restarts in `window_s` seconds, or the supervisor gives up."""

    max_restarts: int = 5
    window_s: float = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Backoff:
    """Delay before the n-th restart of one child within the window (the first is immediate).

    delay(n) = min(max_s, base_s * 2 ** (n - 2)) * uniform(1 - jitter, 1 + jitter), n >= 2.
    """

    base_s: float = 0.01
    max_s: float = 2.0
    jitter: float = 0.2


@dataclass(frozen=True, slots=True, kw_only=True)
class ChildSpec:
    """One child: its stable name, how to start it, and how it is supervised."""

    name: str
    start: StartFn
    restart: Restart = Restart.PERMANENT
    kind: ActorKind = ActorKind.WORKER
    start_timeout_s: float = 10.0
    shutdown_timeout_s: float = 5.0
