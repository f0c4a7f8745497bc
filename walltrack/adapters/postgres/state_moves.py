"""A state move written as one conditional statement, and the reason when it is refused.

Why: an order's or a position's move is on the position actor's path, so it is one
UPDATE that applies only from a state allowing the move (its own check, safe to repeat).
When it changes nothing, one read says why: the row is missing, the move is illegal, or
the row moved in between to a state that allows it, and the statement is run again.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from walltrack.errors import IllegalTransitionError

MOVED_ATTEMPTS = 3


def conditional_move[R, S: StrEnum](
    write: Callable[[], R | None],
    current_state: Callable[[], S | None],
    check: Callable[[S], None],
    *,
    key: object,
    subject: str,
    new: S,
) -> R:
    """`write()`'s row; KeyError(key) when the row is missing; `check` raises (or
    IllegalTransitionError after MOVED_ATTEMPTS) when the move is refused."""
    seen = new
    for _attempt in range(MOVED_ATTEMPTS):
        row = write()
        if row is not None:
            return row
        state = current_state()
        if state is None:
            raise KeyError(key)
        seen = state
        check(state)  # legal from here: the row moved between the two statements
    raise IllegalTransitionError(subject, seen.value, new.value)
