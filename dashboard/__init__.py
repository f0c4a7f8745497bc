"""The Panel dashboard: reads the state feed and the read model, sends control messages only."""
