"""Progress of the intelligence jobs (token discovery, wallet discovery, profiling, decay).

Why an event: a run can take minutes (a token's whole history, hundreds of wallets); the
dashboard's status line and the CLI's progress bar follow it without asking the job.
"""

from __future__ import annotations

from walltrack.domain.messages.base import MESSAGE, Event


@MESSAGE
class IntelJobProgressed(Event):
    """`done` of `total` steps of one run of `job` (`total` 0 while still unknown)."""

    job: str  # "tokens", "wallets", "profiling", "decay"
    phase: str  # what is being done now, e.g. "scanning <mint>"
    done: int
    total: int
    finished: bool = False
    summary: tuple[tuple[str, int], ...] = ()  # counters of a finished run

    @property
    def fraction(self) -> float:
        """Share done in [0, 1] (0 while the total is unknown)."""
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0
