-- A position whose entry never filled (every attempt failed, e.g. the token is not
-- tradable) is closed with its own reason; before, it was closed without one, which the
-- positions_closed_has_reason constraint refused.
ALTER TABLE positions DROP CONSTRAINT positions_exit_reason_check;
ALTER TABLE positions ADD CONSTRAINT positions_exit_reason_check
    CHECK (exit_reason IN ('stop_loss', 'take_profit', 'trailing_stop', 'time_limit',
        'stagnation', 'mirror', 'moonbag_stop', 'manual', 'emergency', 'entry_failed'));
