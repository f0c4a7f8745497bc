"""The offline Solana world: a seeded memecoin market with known ground truth, served over
the real wire formats of Helius, Solana RPC, Jupiter, DexScreener and Birdeye on loopback.

Entry points:
- `walltrack.sim.harness.start_simulation(SimConfig(...))`: async context manager yielding a
  running `Simulation` (world, clock, `endpoints`, `faults`, webhooks, ground truth).
- `walltrack.sim.thread.SimulationThread(SimConfig(...))`: the same on its own loop thread,
  for synchronous callers.
- `walltrack.sim.world.World(seed)`: the pure market alone, advanced by hand.
- `walltrack sim --seed N --speed X`: the world as a standalone process.
"""
