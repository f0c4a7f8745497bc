"""The answers: who is smart, who clusters with whom, who funds, who rugs — as JSON.

Why exported: later issues evaluate wallet discovery, profiling and clustering against
the world; they need the truth the world was built from, plus what actually happened
(realised peaks, rugs, each labelled wallet's SOL in and out).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from walltrack.sim.events import SwapEvent

if TYPE_CHECKING:
    from walltrack.sim.world import World

RUNNER_MULTIPLE = 10.0


def wallet_summary(world: World, wallet: str) -> dict[str, int]:
    """Swaps of `wallet`: counts and SOL in/out in lamports (fees and rent included)."""
    buys = sells = spent = received = 0
    tokens: set[str] = set()
    market = world.market
    for seq in market.events_for(wallet):
        event = market.event(seq)
        if type(event) is not SwapEvent or event.wallet != wallet:
            continue
        tokens.add(event.mint)
        if event.is_buy:
            buys += 1
            spent -= event.wallet_sol_change
        else:
            sells += 1
            received += event.wallet_sol_change
    return {
        "buys": buys,
        "sells": sells,
        "tokens": len(tokens),
        "sol_spent": spent,
        "sol_received": received,
    }


def ground_truth(world: World) -> dict[str, Any]:
    """Everything an evaluation needs, JSON-ready (amounts in lamports, times ISO UTC)."""
    roles = world.ctx.roles
    market = world.market

    def iso(t: float | None) -> str | None:
        return None if t is None else world.datetime_at(t).isoformat()

    tokens = []
    rugs = []
    for token in market.token_list:
        multiple = token.peak_price / token.launch_price
        tokens.append(
            {
                "mint": token.mint,
                "name": token.name,
                "symbol": token.symbol,
                "creator": token.creator,
                "fate": token.script.fate,
                "launched_at": iso(token.launch_t),
                "launch_slot": market.slot_at(token.launch_t),
                "graduated_at": iso(token.migrated_t),
                "rugged_at": iso(token.rugged_t),
                "peak_multiple": round(multiple, 3),
                "peak_at": iso(token.peak_t),
                "runner": multiple >= RUNNER_MULTIPLE and token.script.fate == "runner",
                "freeze_authority": token.script.freeze_authority,
                "insiders": list(token.insiders),
            }
        )
        if token.script.fate == "rug":
            rugs.append(
                {
                    "mint": token.mint,
                    "dev": token.creator,
                    "insiders": list(token.insiders),
                    "rugged_at": iso(token.rugged_t),
                }
            )
    funders = sorted({c.funder for c in roles.clusters})
    return {
        "seed": world.seed,
        "sim_seconds": world.now,
        "as_of": iso(world.now),
        "smart_wallets": [
            {"address": wallet, "skill": round(skill, 4), **wallet_summary(world, wallet)}
            for wallet, skill in roles.smart.items()
        ],
        "clusters": [
            {
                "id": c.cluster_id,
                "kind": c.kind,
                "funder": c.funder,
                "leader": c.leader,
                "members": list(c.members),
                "leader_skill": None if c.leader_skill is None else round(c.leader_skill, 4),
            }
            for c in roles.clusters
        ],
        "funders": funders,
        "insiders": [{"address": a, "dev": dev} for a, dev in roles.insiders.items()],
        "dev_wallets": [
            {
                "address": dev,
                "tokens": list(mints),
                "rugs": sum(1 for m in mints if market.tokens[m].script.fate == "rug"),
            }
            for dev, mints in roles.devs.items()
        ],
        "bots": [{"address": a, "kind": kind} for a, kind in roles.bots.items()],
        "copy_farmers": [
            {"address": a, "copies": target} for a, target in roles.copy_farmers.items()
        ],
        "exchanges": list(roles.exchanges),
        "retail_wallets": len(roles.retail),
        "tokens": tokens,
        "rugs": rugs,
    }


def write_ground_truth(world: World, path: Path) -> None:
    """Write the ground truth of `world` as indented JSON."""
    path.write_text(json.dumps(ground_truth(world), indent=2) + "\n", encoding="utf-8")
