"""Helius enhanced transactions for simulated swaps, in the three shapes seen for memecoins.

- PUMP_FUN (bonding curve): type SWAP, native SOL to the curve, `events` empty: the
  classifier must work from `accountData` and `tokenTransfers`.
- PUMP_AMM (PumpSwap pool): SOL wrapped through the wallet's wSOL account, type SWAP or
  BUY/SELL, empty description, `events` empty.
- JUPITER (routed through either): the same balance moves plus a filled `events.swap`.
"""

from __future__ import annotations

from walltrack.sim.constants import (
    COMPUTE_BUDGET_PROGRAM,
    JUPITER_PROGRAM,
    PUMP_AMM_PROGRAM,
    PUMP_GLOBAL,
    PUMP_PROGRAM,
    SYSTEM_PROGRAM,
    TOKEN_DECIMALS,
    TOKEN_PROGRAM,
    WSOL_MINT,
)
from walltrack.sim.enhanced_common import (
    CU_LIMIT_DATA,
    Json,
    account,
    balance_change,
    envelope,
    inner_instruction,
    instruction,
    native,
    sol_text,
    token_transfer,
    ui_text,
    untouched,
)
from walltrack.sim.events import SwapEvent
from walltrack.sim.keys import KeyFactory
from walltrack.sim.tokens import SimToken


class SwapRenderer:
    """Renders SwapEvents; `fee_recipient` accounts are the world's protocol fee sinks."""

    def __init__(self, keys: KeyFactory, tokens: dict[str, SimToken]) -> None:
        self._keys = keys
        self._tokens = tokens
        self.curve_fee_recipient = keys.address("pump-fee-recipient", 0)
        self.pool_fee_recipient = keys.address("pumpswap-fee-recipient", 0)
        self.pool_fee_account = keys.ata(self.pool_fee_recipient, WSOL_MINT)

    def render(self, event: SwapEvent) -> Json:
        """The enhanced transaction of `event`."""
        token = self._tokens[event.mint]
        if event.on_curve:
            body = self._curve(event, token)
            program, program_name = PUMP_PROGRAM, "PUMP_FUN"
        else:
            body = self._pool(event, token)
            program, program_name = PUMP_AMM_PROGRAM, "PUMP_AMM"
        if event.venue == "JUPITER":
            self._route_through_jupiter(event, body, program, program_name)
        return body

    # -- shapes -------------------------------------------------------------------------
    def _curve(self, e: SwapEvent, token: SimToken) -> Json:
        w, mint, curve = e.wallet, e.mint, token.curve_address
        ata = self._keys.ata(w, mint)
        fee_to, creator_vault = self.curve_fee_recipient, token.creator_vault
        sign = 1 if e.is_buy else -1
        natives: list[Json] = []
        if e.is_buy:
            if e.rent:
                natives.append(native(w, ata, e.rent))
            natives.append(native(w, curve, e.sol))
            natives.append(native(w, fee_to, e.protocol_fee))
            natives.append(native(w, creator_vault, e.creator_fee))
            transfer = token_transfer(
                curve, w, token.curve_vault, ata, e.tokens, TOKEN_DECIMALS, mint
            )
            text = (
                f"{w} swapped {sol_text(e.sol + e.protocol_fee + e.creator_fee)} SOL for "
                f"{ui_text(e.tokens, TOKEN_DECIMALS)} {mint}"
            )
        else:
            natives.append(native(curve, w, e.sol - e.protocol_fee - e.creator_fee))
            natives.append(native(curve, fee_to, e.protocol_fee))
            natives.append(native(curve, creator_vault, e.creator_fee))
            transfer = token_transfer(
                w, curve, ata, token.curve_vault, e.tokens, TOKEN_DECIMALS, mint
            )
            text = (
                f"{w} swapped {ui_text(e.tokens, TOKEN_DECIMALS)} {mint} for "
                f"{sol_text(e.sol - e.protocol_fee - e.creator_fee)} SOL"
            )
        accounts = [
            account(w, e.wallet_sol_change),
            account(ata, e.rent, [balance_change(w, ata, mint, sign * e.tokens, TOKEN_DECIMALS)]),
            account(curve, sign * e.sol),
            account(
                token.curve_vault,
                0,
                [balance_change(curve, token.curve_vault, mint, -sign * e.tokens, TOKEN_DECIMALS)],
            ),
            account(fee_to, e.protocol_fee),
            account(creator_vault, e.creator_fee),
            untouched(mint),
            untouched(PUMP_PROGRAM),
            untouched(COMPUTE_BUDGET_PROGRAM),
        ]
        sig = e.signature
        inner = [
            inner_instruction(TOKEN_PROGRAM, [token.curve_vault, ata, curve], sig[40:52]),
            inner_instruction(SYSTEM_PROGRAM, [w, curve], sig[52:68]),
        ]
        instructions = [
            instruction(COMPUTE_BUDGET_PROGRAM, [], CU_LIMIT_DATA),
            instruction(COMPUTE_BUDGET_PROGRAM, [], sig[70:79]),
            instruction(
                PUMP_PROGRAM,
                [PUMP_GLOBAL, fee_to, mint, curve, token.curve_vault, ata, w, creator_vault],
                sig[10:35],
                inner,
            ),
        ]
        return envelope(
            description=text,
            type_="SWAP",
            source="PUMP_FUN",
            fee=e.fee,
            fee_payer=w,
            signature=sig,
            slot=e.slot,
            timestamp=e.timestamp,
            token_transfers=[transfer],
            native_transfers=natives,
            account_data=accounts,
            instructions=instructions,
            events={},
        )

    def _pool(self, e: SwapEvent, token: SimToken) -> Json:
        w, mint, pool = e.wallet, e.mint, token.pool_address
        ata = self._keys.ata(w, mint)
        wsol = self._keys.ata(w, WSOL_MINT)
        base_vault, quote_vault = token.pool_base_vault, token.pool_quote_vault
        fee_account, creator_vault = self.pool_fee_account, token.creator_vault
        creator_wsol = self._keys.ata(creator_vault, WSOL_MINT)
        fees = e.protocol_fee + e.creator_fee
        sign = 1 if e.is_buy else -1
        natives: list[Json] = []
        if e.is_buy:
            if e.rent:
                natives.append(native(w, ata, e.rent))
            natives.append(native(w, wsol, e.sol + fees))
            transfers = [
                token_transfer(w, pool, wsol, quote_vault, e.sol, 9, WSOL_MINT),
                token_transfer(
                    w, self.pool_fee_recipient, wsol, fee_account, e.protocol_fee, 9, WSOL_MINT
                ),
                token_transfer(w, creator_vault, wsol, creator_wsol, e.creator_fee, 9, WSOL_MINT),
                token_transfer(pool, w, base_vault, ata, e.tokens, TOKEN_DECIMALS, mint),
            ]
        else:
            natives.append(native(wsol, w, e.sol - fees))
            transfers = [
                token_transfer(w, pool, ata, base_vault, e.tokens, TOKEN_DECIMALS, mint),
                token_transfer(pool, w, quote_vault, wsol, e.sol - fees, 9, WSOL_MINT),
                token_transfer(
                    pool,
                    self.pool_fee_recipient,
                    quote_vault,
                    fee_account,
                    e.protocol_fee,
                    9,
                    WSOL_MINT,
                ),
                token_transfer(
                    pool, creator_vault, quote_vault, creator_wsol, e.creator_fee, 9, WSOL_MINT
                ),
            ]
        accounts = [
            account(w, e.wallet_sol_change),
            account(ata, e.rent, [balance_change(w, ata, mint, sign * e.tokens, TOKEN_DECIMALS)]),
            untouched(wsol),
            account(
                quote_vault,
                sign * e.sol,
                [balance_change(pool, quote_vault, WSOL_MINT, sign * e.sol, 9)],
            ),
            account(
                base_vault,
                0,
                [balance_change(pool, base_vault, mint, -sign * e.tokens, TOKEN_DECIMALS)],
            ),
            account(
                fee_account,
                e.protocol_fee,
                [
                    balance_change(
                        self.pool_fee_recipient, fee_account, WSOL_MINT, e.protocol_fee, 9
                    )
                ],
            ),
            account(
                creator_wsol,
                e.creator_fee,
                [balance_change(creator_vault, creator_wsol, WSOL_MINT, e.creator_fee, 9)],
            ),
            untouched(pool),
            untouched(mint),
            untouched(PUMP_AMM_PROGRAM),
        ]
        sig = e.signature
        label = "SWAP" if ord(sig[-1]) % 3 else ("BUY" if e.is_buy else "SELL")
        instructions = [
            instruction(COMPUTE_BUDGET_PROGRAM, [], CU_LIMIT_DATA),
            instruction(
                PUMP_AMM_PROGRAM,
                [
                    pool,
                    w,
                    mint,
                    WSOL_MINT,
                    ata,
                    wsol,
                    base_vault,
                    quote_vault,
                    fee_account,
                    creator_vault,
                ],
                sig[12:36],
                [inner_instruction(TOKEN_PROGRAM, [wsol, quote_vault, w], sig[44:56])],
            ),
        ]
        return envelope(
            description="",
            type_=label,
            source="PUMP_AMM",
            fee=e.fee,
            fee_payer=w,
            signature=sig,
            slot=e.slot,
            timestamp=e.timestamp,
            token_transfers=transfers,
            native_transfers=natives,
            account_data=accounts,
            instructions=instructions,
            events={},
        )

    def _route_through_jupiter(
        self, e: SwapEvent, body: Json, program: str, program_name: str
    ) -> None:
        w, mint = e.wallet, e.mint
        ata = self._keys.ata(w, mint)
        fees = e.protocol_fee + e.creator_fee
        leg = {
            "userAccount": w,
            "tokenAccount": ata,
            "mint": mint,
            "rawTokenAmount": {"tokenAmount": str(e.tokens), "decimals": TOKEN_DECIMALS},
        }
        token_legs = [t for t in body["tokenTransfers"] if t["mint"] == mint]
        sol_legs = [t for t in body["tokenTransfers"] if t["mint"] == WSOL_MINT][:1]
        inner_swap = {
            "tokenInputs": sol_legs if e.is_buy else token_legs,
            "tokenOutputs": token_legs if e.is_buy else sol_legs,
            "tokenFees": [],
            "nativeFees": [],
            "programInfo": {
                "source": program_name,
                "account": program,
                "programName": program_name,
                "instructionName": "buy" if e.is_buy else "sell",
            },
        }
        swap: Json = {
            "nativeInput": {"account": w, "amount": str(e.sol + fees)} if e.is_buy else None,
            "nativeOutput": None if e.is_buy else {"account": w, "amount": str(e.sol - fees)},
            "tokenInputs": [] if e.is_buy else [leg],
            "tokenOutputs": [leg] if e.is_buy else [],
            "tokenFees": [],
            "nativeFees": [],
            "innerSwaps": [inner_swap],
        }
        body["type"] = "SWAP"
        body["source"] = "JUPITER"
        body["events"] = {"swap": swap}
        body["accountData"].append(untouched(JUPITER_PROGRAM))
        routed = body["instructions"][-1]
        body["instructions"][-1] = instruction(
            JUPITER_PROGRAM,
            [w, ata, mint, *routed["accounts"][:3]],
            e.signature[6:30],
            [inner_instruction(program, routed["accounts"], routed["data"])],
        )
        if e.is_buy:
            body["description"] = (
                f"{w} swapped {sol_text(e.sol + fees)} SOL for "
                f"{ui_text(e.tokens, TOKEN_DECIMALS)} {mint}"
            )
        else:
            body["description"] = (
                f"{w} swapped {ui_text(e.tokens, TOKEN_DECIMALS)} {mint} "
                f"for {sol_text(e.sol - fees)} SOL"
            )
