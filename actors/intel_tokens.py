"""TokenDiscoveryActor: DexScreener feeds on schedule, due refreshes, manual adds."""

from __future__ import annotations

from typing import Any

from actors.intel_job import IntelJobActor
from actors.intel_messages import DiscoverTokens
from actors.pipeline_messages import GetStats
from walltrack.adapters.intel.jobs import IntelJobs


class TokenDiscoveryActor(IntelJobActor):
    """`DiscoverTokens()` reads the feeds then refreshes due tokens; with mints, adds them."""

    def scheduled(self) -> Any:
        return DiscoverTokens()

    def run(self, jobs: IntelJobs, message: Any) -> Any:
        match message:
            case DiscoverTokens(mints=()):
                found = self.wait(jobs.tokens.discover)
                refreshed = self.wait(jobs.tokens.refresh_due)
                return {**found.as_dict(), "refreshed": refreshed.stored}
            case DiscoverTokens(mints=mints):
                return [self.wait(lambda m=m: jobs.tokens.add(m)).mint for m in mints]  # type: ignore[misc]
            case GetStats():
                return {"runs": self.runs, "failed_runs": self.failed_runs}
        return None
