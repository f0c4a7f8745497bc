"""Renders any chain event of the world as a Helius enhanced transaction dict.

Why on demand: the market stores compact records; each venue (webhook pusher, Helius
REST) renders only what it serves, in exactly the wire format of api-formats.md §1.4.
"""

from __future__ import annotations

from walltrack.sim.constants import (
    COMPUTE_BUDGET_PROGRAM,
    PUMP_AMM_PROGRAM,
    PUMP_GLOBAL,
    PUMP_PROGRAM,
    SYSTEM_PROGRAM,
    TOKEN_DECIMALS,
    TOKEN_PROGRAM,
    TOKEN_TOTAL_SUPPLY,
    WSOL_MINT,
)
from walltrack.sim.enhanced_common import (
    CU_LIMIT_DATA,
    Json,
    account,
    balance_change,
    envelope,
    instruction,
    native,
    sol_text,
    token_transfer,
    untouched,
)
from walltrack.sim.enhanced_swap import SwapRenderer
from walltrack.sim.events import ChainEvent, CreateEvent, MigrateEvent, SwapEvent, TransferEvent
from walltrack.sim.market import Market


class EnhancedRenderer:
    """One renderer per market; cheap to call per event."""

    def __init__(self, market: Market) -> None:
        self._market = market
        self._swaps = SwapRenderer(market.keys, market.tokens)
        self.migration_authority = market.keys.address("pump-migration-authority", 0)

    def render(self, event: ChainEvent) -> Json:
        """The enhanced transaction of `event` (REST key order)."""
        if type(event) is SwapEvent:
            return self._swaps.render(event)
        if type(event) is TransferEvent:
            return self._transfer(event)
        if type(event) is CreateEvent:
            return self._create(event)
        assert isinstance(event, MigrateEvent)
        return self._migrate(event)

    def type_of(self, event: ChainEvent) -> str:
        """The Helius `type` the rendering of `event` carries (for webhook filters)."""
        if type(event) is SwapEvent:
            if event.venue == "PUMP_AMM" and ord(event.signature[-1]) % 3 == 0:
                return "BUY" if event.is_buy else "SELL"
            return "SWAP"
        if type(event) is TransferEvent:
            return "TRANSFER"
        return "CREATE" if type(event) is CreateEvent else "CREATE_POOL"

    def _transfer(self, e: TransferEvent) -> Json:
        text = f"{e.source} transferred {sol_text(e.lamports)} SOL to {e.destination}."
        return envelope(
            description=text,
            type_="TRANSFER",
            source="SYSTEM_PROGRAM",
            fee=e.fee,
            fee_payer=e.source,
            signature=e.signature,
            slot=e.slot,
            timestamp=e.timestamp,
            token_transfers=[],
            native_transfers=[native(e.source, e.destination, e.lamports)],
            account_data=[
                account(e.source, -(e.lamports + e.fee)),
                account(e.destination, e.lamports),
                untouched(SYSTEM_PROGRAM),
                untouched(COMPUTE_BUDGET_PROGRAM),
            ],
            instructions=[
                instruction(COMPUTE_BUDGET_PROGRAM, [], CU_LIMIT_DATA),
                instruction(SYSTEM_PROGRAM, [e.source, e.destination], e.signature[20:36]),
            ],
            events={},
        )

    def _create(self, e: CreateEvent) -> Json:
        token = self._market.tokens[e.mint]
        supply = TOKEN_TOTAL_SUPPLY
        mint_to = token_transfer(
            "", token.curve_address, "", token.curve_vault, supply, TOKEN_DECIMALS, e.mint
        )
        return envelope(
            description=f"{e.creator} created {token.name} ({token.symbol}) {e.mint}",
            type_="CREATE",
            source="PUMP_FUN",
            fee=e.fee,
            fee_payer=e.creator,
            signature=e.signature,
            slot=e.slot,
            timestamp=e.timestamp,
            token_transfers=[mint_to],
            native_transfers=[],
            account_data=[
                account(e.creator, -e.fee),
                untouched(e.mint),
                untouched(token.curve_address),
                account(
                    token.curve_vault,
                    0,
                    [
                        balance_change(
                            token.curve_address, token.curve_vault, e.mint, supply, TOKEN_DECIMALS
                        )
                    ],
                ),
                untouched(PUMP_PROGRAM),
            ],
            instructions=[
                instruction(
                    PUMP_PROGRAM,
                    [e.mint, token.curve_address, token.curve_vault, PUMP_GLOBAL, e.creator],
                    e.signature[8:40],
                )
            ],
            events={},
        )

    def _migrate(self, e: MigrateEvent) -> Json:
        token = self._market.tokens[e.mint]
        authority = self.migration_authority
        return envelope(
            description="",
            type_="CREATE_POOL",
            source="PUMP_AMM",
            fee=e.fee,
            fee_payer=authority,
            signature=e.signature,
            slot=e.slot,
            timestamp=e.timestamp,
            token_transfers=[
                token_transfer(
                    e.curve,
                    e.pool,
                    token.curve_vault,
                    token.pool_base_vault,
                    e.tokens,
                    TOKEN_DECIMALS,
                    e.mint,
                ),
                token_transfer(e.curve, e.pool, "", token.pool_quote_vault, e.sol, 9, WSOL_MINT),
            ],
            native_transfers=[native(e.curve, token.pool_quote_vault, e.sol)],
            account_data=[
                account(authority, -e.fee),
                account(e.curve, -e.sol),
                account(
                    token.pool_quote_vault,
                    e.sol,
                    [balance_change(e.pool, token.pool_quote_vault, WSOL_MINT, e.sol, 9)],
                ),
                account(
                    token.pool_base_vault,
                    0,
                    [
                        balance_change(
                            e.pool, token.pool_base_vault, e.mint, e.tokens, TOKEN_DECIMALS
                        )
                    ],
                ),
                untouched(e.pool),
                untouched(PUMP_AMM_PROGRAM),
                untouched(TOKEN_PROGRAM),
            ],
            instructions=[
                instruction(
                    PUMP_PROGRAM,
                    [PUMP_GLOBAL, e.mint, e.curve, e.pool, authority],
                    e.signature[8:40],
                )
            ],
            events={},
        )
