"""The simulated population: every kind of wallet that trades in the world."""
