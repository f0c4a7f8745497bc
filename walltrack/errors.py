"""One error taxonomy for WallTrack, each branch with exactly one reaction.

Why: an actor or a client must know what to do with a failure without guessing from its
message. The reaction is a property of the class, so handlers dispatch on it instead of
matching strings (DESIGN.md §6).
"""

from __future__ import annotations

from enum import StrEnum


class Reaction(StrEnum):
    """What the runtime does when an error of a branch reaches it."""

    HALT = "halt"  # configuration error: stop trading and tell the operator
    RETRY = "retry"  # temporary upstream error: retry with backoff
    ISOLATE = "isolate"  # rule error: isolate the rule and use its safe default
    REJECT = "reject"  # bad input from outside: answer 4xx, keep running
    CRASH = "crash"  # anything else: crash the actor, its supervisor decides


class WallTrackError(Exception):
    """Root of every error WallTrack raises on purpose."""

    reaction: Reaction = Reaction.CRASH


class ConfigurationError(WallTrackError):
    """A setting is missing or invalid; the message names the variable."""

    reaction = Reaction.HALT

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        self.problem = problem
        super().__init__(f"{variable}: {problem}")


class UpstreamError(WallTrackError):
    """A venue (Helius, RPC, Jupiter, DexScreener, a store) failed in a way that may pass."""

    reaction = Reaction.RETRY

    def __init__(self, venue: str, detail: str) -> None:
        self.venue = venue
        self.detail = detail
        super().__init__(f"{venue}: {detail}")


class RateLimitedError(UpstreamError):
    """The venue answered 429 or our own token bucket is empty."""


class UpstreamTimeoutError(UpstreamError):
    """The venue did not answer in time."""


class VenueUnavailableError(UpstreamError):
    """The venue's circuit breaker is open: calls fail fast until it half-opens."""


class StoreUnavailableError(UpstreamError):
    """PostgreSQL or the graph server cannot be reached right now."""


class RejectedByVenueError(WallTrackError):
    """The venue understood the request and refused it (bad route, slippage, no liquidity).

    Retrying the same request cannot help; the caller changes the request or gives up.
    """

    reaction = Reaction.ISOLATE

    def __init__(self, venue: str, code: str, detail: str) -> None:
        self.venue = venue
        self.code = code
        super().__init__(f"{venue} rejected the request ({code}): {detail}")


class RuleError(WallTrackError):
    """A scoring, risk or exit rule failed; the rule is isolated and its safe default used."""

    reaction = Reaction.ISOLATE


class InvalidInputError(WallTrackError):
    """Input from outside the process is malformed; it is rejected with a reason."""

    reaction = Reaction.REJECT

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# --- Stores and runtime parameters (issue 3) -------------------------------------------


class InvalidParameterError(InvalidInputError):
    """A runtime parameter (config table, dashboard, CLI) failed validation.

    Every problem names the parameter path, e.g. ``scoring.threshold: must be within
    [0, 1]``; the change is refused and the last valid parameters stay in force.
    """

    def __init__(self, problems: tuple[tuple[str, str], ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {problem}" for path, problem in problems))


class ConstraintViolationError(WallTrackError):
    """The database refused a write that breaks one of its rules (check, foreign key...).

    The write did not happen and nothing is corrupt: the caller fixes the request.
    """

    reaction = Reaction.REJECT

    def __init__(self, table: str, constraint: str, detail: str) -> None:
        self.table = table
        self.constraint = constraint
        self.detail = detail
        super().__init__(f"{table}: constraint {constraint} violated: {detail}")


class DuplicateKeyError(ConstraintViolationError):
    """A unique key already exists (an order idempotency key, a webhook signature...)."""


class IllegalTransitionError(WallTrackError):
    """A state machine (order, position, wallet lifecycle) was asked for a forbidden move."""

    reaction = Reaction.REJECT

    def __init__(self, entity: str, current: str, requested: str) -> None:
        self.entity = entity
        self.current = current
        self.requested = requested
        super().__init__(f"{entity}: cannot move from {current} to {requested}")


class SnapshotUpgradeError(WallTrackError):
    """A stored snapshot has a schema version no registered upgrade path can reach."""

    def __init__(self, kind: str, version: int, detail: str) -> None:
        self.kind = kind
        self.version = version
        super().__init__(f"snapshot kind {kind} v{version}: {detail}")
