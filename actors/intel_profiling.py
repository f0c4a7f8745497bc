"""ProfilingActor: profiles on schedule and on demand; owns the operator's watchlist moves.

Why the operator's moves here: adding, pinning and blacklisting are watchlist changes like
the profiling verdicts, and one actor serialises them (no two runs move a wallet at once).
"""

from __future__ import annotations

from typing import Any

from actors.intel_job import IntelJobActor
from actors.intel_messages import AddWallet, BlacklistWallet, ProfileWallets
from actors.pipeline_messages import GetStats
from walltrack.adapters.intel.jobs import IntelJobs


class ProfilingActor(IntelJobActor):
    """`ProfileWallets`, `AddWallet` (profiled at once), `BlacklistWallet`."""

    def scheduled(self) -> Any:
        return ProfileWallets()

    def run(self, jobs: IntelJobs, message: Any) -> Any:
        match message:
            case ProfileWallets(addresses=addresses):
                return self.wait(lambda: jobs.profiler.run(addresses)).as_dict()
            case AddWallet(address=address, pin=pin):
                jobs.watchlist.add_manual(address, pin=pin)
                return self.wait(lambda: jobs.profiler.run((address,))).as_dict()
            case BlacklistWallet(address=address, reason=reason):
                jobs.watchlist.blacklist(address, reason)
                self.wait(jobs.watchlist.sync_webhook)
                return True
            case GetStats():
                return {"runs": self.runs, "failed_runs": self.failed_runs}
        return None
