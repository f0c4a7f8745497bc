-- The journal of an entry sent in the message that decided it (no modelled venue delay,
-- as in live mode): written in the entry's own statement, with its position and order, so
-- the attempt is durable before it is sent. It holds only what the position actor needs
-- to settle that attempt after a restart (the position and its order in flight); before,
-- the statement rewrote the actor's whole snapshot, which grows with every open position.
-- Read back on start for positions not closed that the actor's snapshot does not hold.
CREATE TABLE entry_journal (
    position_id   uuid PRIMARY KEY REFERENCES positions (position_id),
    attempt_key   text NOT NULL,
    entry         jsonb NOT NULL,
    journaled_at  timestamptz NOT NULL DEFAULT now()
);
