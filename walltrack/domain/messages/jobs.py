"""When a scheduled job runs next: the intel jobs and the cluster rebuild announce it.

Why an event: the status bar shows each job's last and next run; the job actor knows its
schedule (read from the runtime parameters at every tick), so it says when it armed its
timer instead of the dashboard guessing from the parameters.
"""

from __future__ import annotations

from datetime import datetime

from walltrack.domain.messages.base import MESSAGE, Event


@MESSAGE
class JobScheduled(Event):
    """`job` ("tokens", "wallets", "profiling", "decay", "clusters") runs next at
    `next_run_at` (the tree's clock), `interval_s` after its timer was armed."""

    job: str
    next_run_at: datetime
    interval_s: float
