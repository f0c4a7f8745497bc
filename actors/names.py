"""Stable names of the pipeline's actors: the one place every sender and receiver agrees on.

Why constants: actors talk by name through the registry (a restarted actor keeps its
name), so a typo is a message lost; importing the name makes it a NameError instead.
"""

from __future__ import annotations

INGRESS = "ingress"
WALLETS = "wallets"
SCORER = "scorer"
CLUSTER = "cluster"
BACKFILL = "backfill"
POSITIONS = "positions"
EXIT_WATCHER = "exit_watcher"
CIRCUIT_BREAKER = "circuit_breaker"
TRADING = "trading"

WALLET_PREFIX = "wallet:"


def wallet_actor(address: str) -> str:
    """The name of the (virtual) actor of tracked wallet `address`."""
    return f"{WALLET_PREFIX}{address}"


def wallet_of(name: str) -> str:
    """The address a wallet actor's name stands for."""
    if not name.startswith(WALLET_PREFIX):
        msg = f"not a wallet actor name: {name!r}"
        raise ValueError(msg)
    return name[len(WALLET_PREFIX) :]
