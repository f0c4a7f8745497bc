"""What a (re)started position actor does before its first message: take back the entries
journaled after its snapshot, settle every attempt that may have run, and read the free
SOL in the background.

Why the journal: an entry sent in the message that decided it is journaled in its own
statement (the position and its order, not the actor's whole snapshot, which grows with
every open position), and the write-behind store may not have written the snapshot that
holds it when the process ended. Its attempt may have run, so it is settled from the
venue (`recover`), never sent again.
"""

from __future__ import annotations

from actors.order_attempts import balance_job
from actors.order_flow import OrderFlow
from actors.position_book import Holding, Working
from actors.state_codec import decode
from walltrack.logging import get_logger

_log = get_logger("positions")


class PositionRestart(OrderFlow):
    """The start of the position actor's incarnations; subclasses own the state."""

    def resume_orders(self) -> None:
        """Before the first message: the journal, the attempts in flight, the balance."""
        self.replay_journal()
        for work in self.working.values():
            if work.dispatched:
                self.recover_attempt(work)
        # The first entry sizes from this reading instead of asking the venue on its path.
        self.deps.worker.submit(balance_job(self.deps, self.reply_to()))

    def replay_journal(self) -> None:
        """Take back each entry journaled after the snapshot this incarnation restored."""
        for journal in self.deps.records.journaled_entries():
            if journal.position_id in self.holdings:
                continue  # the snapshot has it, in a state at least as new
            holding = decode(Holding, journal.entry["holding"])
            work = decode(Working, journal.entry["working"])
            self.holdings[holding.position_id] = holding
            self.working.setdefault(work.ticket.key, work)
            self.remember_effect(journal.attempt_key)
            self.mark_dirty()
            _log.warning("entry_taken_back_from_journal", key=journal.attempt_key)
