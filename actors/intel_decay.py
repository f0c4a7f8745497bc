"""DecayActor: watched wallets re-checked on schedule; wallet actors' verdicts applied.

Why it listens to `WalletDecayChanged`: the wallet actor re-judges decay on every closed
copy trade (actors/wallet.py) but owns no lifecycle; this actor moves the wallet (flagged,
or back on the watchlist) when such a verdict arrives. Removal is left to the schedule.
"""

from __future__ import annotations

from typing import Any

from actors.intel_job import IntelJobActor
from actors.intel_messages import RunDecay
from actors.pipeline_messages import GetStats
from walltrack.adapters.intel.jobs import IntelJobs
from walltrack.domain.messages.wallets import WalletDecayChanged


class DecayActor(IntelJobActor):
    """`RunDecay` on schedule or request; `WalletDecayChanged` from the bus."""

    def started(self) -> None:
        super().started()
        self.context.bus.subscribe(WalletDecayChanged, self.name)

    def scheduled(self) -> Any:
        return RunDecay()

    def run(self, jobs: IntelJobs, message: Any) -> Any:
        match message:
            case RunDecay(addresses=addresses):
                return self.wait(lambda: jobs.decay.run(addresses)).as_dict()
            case WalletDecayChanged():
                jobs.decay.on_decay_changed(message)
                self.wait(jobs.watchlist.sync_webhook)
                return None
            case GetStats():
                return {"runs": self.runs, "failed_runs": self.failed_runs}
        return None
