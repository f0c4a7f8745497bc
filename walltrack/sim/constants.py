"""Fixed numbers of the simulated Solana world: program ids, pump.fun constants, fees.

Why one module: the curve, the pool, the renderers and the fake venues must agree on every
constant, and the reference (api-formats.md §6) is the single source for their values.
"""

from __future__ import annotations

from typing import Final

LAMPORTS_PER_SOL: Final = 1_000_000_000
TOKEN_DECIMALS: Final = 6
SOL_DECIMALS: Final = 9

# Programs and well-known accounts (api-formats.md §6.1).
PUMP_PROGRAM: Final = "6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P"
PUMP_GLOBAL: Final = "4wTV1YmiEkRvAtNtsSGPtUrqRYQMe5SKy2uB4Jjaxnjf"
PUMP_AMM_PROGRAM: Final = "pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA"
JUPITER_PROGRAM: Final = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"
SYSTEM_PROGRAM: Final = "11111111111111111111111111111111"
TOKEN_PROGRAM: Final = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"  # noqa: S105 - a program id
ATA_PROGRAM: Final = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"
COMPUTE_BUDGET_PROGRAM: Final = "ComputeBudget111111111111111111111111111111"
WSOL_MINT: Final = "So11111111111111111111111111111111111111112"

# Bonding curve (api-formats.md §6.2): raw token units (6 decimals) and lamports.
INITIAL_VIRTUAL_TOKEN_RESERVES: Final = 1_073_000_000_000_000
INITIAL_VIRTUAL_SOL_RESERVES: Final = 30_000_000_000
INITIAL_REAL_TOKEN_RESERVES: Final = 793_100_000_000_000
TOKEN_TOTAL_SUPPLY: Final = 1_000_000_000_000_000
POOL_MIGRATION_FEE: Final = 15_000_001
BPS: Final = 10_000
CURVE_PROTOCOL_FEE_BPS: Final = 95
CURVE_CREATOR_FEE_BPS: Final = 30

# PumpSwap pool fees, all taken in SOL: LP part stays in the pool.
POOL_LP_FEE_BPS: Final = 20
POOL_PROTOCOL_FEE_BPS: Final = 5
POOL_CREATOR_FEE_BPS: Final = 5

# Chain facts.
ATA_RENT: Final = 2_039_280
MINT_RENT: Final = 1_461_600
BASE_FEE: Final = 5_000
SLOT_SECONDS: Final = 0.4
GENESIS_SLOT: Final = 352_000_000
BLOCK_HEIGHT_OFFSET: Final = 21_600_000
API_VERSION: Final = "2.2.7"
