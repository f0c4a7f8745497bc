"""WalletDiscoveryActor: scans tokens back to their launch; new wallets go to profiling."""

from __future__ import annotations

from typing import Any

from actors.intel_job import IntelJobActor
from actors.intel_messages import INTEL_PROFILING, DiscoverWallets, ProfileWallets
from actors.pipeline_messages import GetStats
from walltrack.adapters.intel.jobs import IntelJobs


class WalletDiscoveryActor(IntelJobActor):
    """`DiscoverWallets(mints)`; the wallets it finds are handed to the profiling actor."""

    def __init__(self, *args: Any, profiling: str = INTEL_PROFILING, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._profiling = profiling

    def scheduled(self) -> Any:
        return DiscoverWallets()

    def run(self, jobs: IntelJobs, message: Any) -> Any:
        match message:
            case DiscoverWallets(mints=mints):
                summary = self.wait(lambda: jobs.wallets.discover(mints))
                if summary.found:
                    self.tell(self._profiling, ProfileWallets(summary.found))
                return {**summary.as_dict(), "found": list(summary.found)}
            case GetStats():
                return {"runs": self.runs, "failed_runs": self.failed_runs}
        return None
