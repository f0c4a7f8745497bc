"""Hand-written Helius enhanced transactions, one builder per venue shape of the reference.

Each builder books what really moves on chain for that venue (api-formats.md §1.5, §6):
pump.fun pays the curve and its fee accounts in native SOL; PumpSwap, Raydium and Jupiter
move wSOL through a temporary account the wallet creates and closes in the same
transaction. Amounts are arguments so a test can state the expected numbers itself.
"""

from __future__ import annotations

from typing import Any

from walltrack.domain.swap_types import WSOL_MINT

from .helius_builder import (
    RENT_TOKEN_ACCOUNT,
    SYSTEM_PROGRAM,
    TOKEN_PROGRAM,
    USDC_MINT,
    TxBuilder,
    address,
    raw_change,
    swap_event,
)

PUMP_PROGRAM = "6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P"
PUMPSWAP_PROGRAM = "pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA"
RAYDIUM_V4 = "675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8"
RAYDIUM_AUTHORITY = "5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1"
JUPITER_V6 = "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"
WHIRLPOOL = "whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc"
ATA_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"
PUMP_FEE_RECIPIENT = address("pump-fee-recipient")
JITO_TIP = address("jito-tip")
BOT_FEE_WALLET = address("trading-bot-fee")


def ata(owner: str, mint: str) -> str:
    """The (fake but stable) associated token account of `owner` for `mint`."""
    return address(f"ata:{owner}:{mint}")


def pump_fun_buy(
    *,
    wallet: str,
    mint: str,
    sol_to_curve: int,
    protocol_fee: int,
    creator_fee: int,
    tokens: int,
    create_ata: bool = True,
    tx_type: str = "SWAP",
    with_event: bool = False,
    fee_payer: str | None = None,
    name: str = "pump-buy",
) -> dict[str, Any]:
    """Bonding-curve buy: SOL to the curve and its fee accounts, tokens from the curve."""
    curve = address(f"curve:{mint}")
    b = TxBuilder(
        name=name, fee_payer=fee_payer or wallet, tx_type=tx_type, source="PUMP_FUN", fee=105_000
    )
    if create_ata:
        b.program(ATA_PROGRAM, SYSTEM_PROGRAM, TOKEN_PROGRAM)
        b.create_token_account(wallet, ata(wallet, mint))
    b.program(PUMP_PROGRAM, TOKEN_PROGRAM, SYSTEM_PROGRAM)
    b.move_token(
        mint, 6, tokens, source=(curve, ata(curve, mint)), target=(wallet, ata(wallet, mint))
    )
    b.send_sol(wallet, curve, sol_to_curve)
    b.send_sol(wallet, PUMP_FEE_RECIPIENT, protocol_fee)
    b.send_sol(wallet, address(f"creator-vault:{mint}"), creator_fee)
    if with_event:
        b.events = swap_event(
            native_input=(wallet, sol_to_curve),
            token_outputs=[raw_change(wallet, ata(wallet, mint), mint, tokens, 6)],
            inner_sources=("PUMP_FUN",),
        )
    return b.build()


def pump_fun_sell(
    *,
    wallet: str,
    mint: str,
    tokens: int,
    sol_from_curve: int,
    protocol_fee: int,
    creator_fee: int,
    close_ata: bool = False,
    tx_type: str = "SWAP",
    name: str = "pump-sell",
) -> dict[str, Any]:
    """Bonding-curve sell: the program debits the curve directly, so no native transfer."""
    curve = address(f"curve:{mint}")
    b = TxBuilder(name=name, fee_payer=wallet, tx_type=tx_type, source="PUMP_FUN", fee=80_000)
    b.program(PUMP_PROGRAM, TOKEN_PROGRAM)
    b.move_token(
        mint, 6, tokens, source=(wallet, ata(wallet, mint)), target=(curve, ata(curve, mint))
    )
    b.lamports(curve, -sol_from_curve)
    b.lamports(wallet, sol_from_curve - protocol_fee - creator_fee)
    b.lamports(PUMP_FEE_RECIPIENT, protocol_fee)
    b.lamports(address(f"creator-vault:{mint}"), creator_fee)
    if close_ata:
        b.send_sol(ata(wallet, mint), wallet, RENT_TOKEN_ACCOUNT)
    return b.build()


def pumpswap_buy(
    *,
    wallet: str,
    mint: str,
    quote_in: int,
    protocol_fee: int,
    creator_fee: int,
    bot_fee: int,
    tokens: int,
    name: str = "pumpswap-buy",
) -> dict[str, Any]:
    """PumpSwap buy, typed BUY with `events: {}`: wSOL from a temporary account."""
    pool = address(f"pumpswap-pool:{mint}")
    temp = address(f"temp-wsol:{name}")
    protocol = address("pumpswap-protocol-fee")
    creator = address(f"pumpswap-creator:{mint}")
    b = TxBuilder(name=name, fee_payer=wallet, tx_type="BUY", source="PUMP_AMM", fee=230_001)
    b.program(ATA_PROGRAM, SYSTEM_PROGRAM, TOKEN_PROGRAM)
    b.create_token_account(wallet, ata(wallet, mint))
    b.create_token_account(wallet, temp)
    wrapped = quote_in + protocol_fee + creator_fee
    b.send_sol(wallet, temp, wrapped)
    b.mint_to(WSOL_MINT, 9, wrapped, owner=wallet, account=temp)
    b.program(PUMPSWAP_PROGRAM, TOKEN_PROGRAM)
    b.move_token(WSOL_MINT, 9, quote_in, source=(wallet, temp), target=(pool, ata(pool, WSOL_MINT)))
    b.move_token(
        WSOL_MINT,
        9,
        protocol_fee,
        source=(wallet, temp),
        target=(protocol, ata(protocol, WSOL_MINT)),
    )
    b.move_token(
        WSOL_MINT, 9, creator_fee, source=(wallet, temp), target=(creator, ata(creator, WSOL_MINT))
    )
    b.move_token(
        mint, 6, tokens, source=(pool, ata(pool, mint)), target=(wallet, ata(wallet, mint))
    )
    b.send_sol(temp, wallet, RENT_TOKEN_ACCOUNT)
    b.send_sol(wallet, BOT_FEE_WALLET, bot_fee)
    return b.build()


def pumpswap_sell(
    *, wallet: str, mint: str, tokens: int, quote_out: int, name: str = "pumpswap-sell"
) -> dict[str, Any]:
    """PumpSwap sell, typed SELL: wSOL into a temporary account, closed back to the wallet."""
    pool = address(f"pumpswap-pool:{mint}")
    temp = address(f"temp-wsol:{name}")
    b = TxBuilder(name=name, fee_payer=wallet, tx_type="SELL", source="PUMP_AMM", fee=7_505_001)
    b.create_token_account(wallet, temp)
    b.program(PUMPSWAP_PROGRAM, TOKEN_PROGRAM)
    b.move_token(
        mint, 6, tokens, source=(wallet, ata(wallet, mint)), target=(pool, ata(pool, mint))
    )
    b.move_token(
        WSOL_MINT, 9, quote_out, source=(pool, ata(pool, WSOL_MINT)), target=(wallet, temp)
    )
    b.send_sol(temp, wallet, RENT_TOKEN_ACCOUNT + quote_out)
    return b.build()


def jupiter_route_buy(
    *, wallet: str, mint: str, sol_in: int, usdc_mid: int, tokens: int, name: str = "jup-buy"
) -> dict[str, Any]:
    """Jupiter SOL -> USDC (Whirlpool) -> token (Raydium), USDC passing through the wallet."""
    temp = address(f"temp-wsol:{name}")
    whirl = address("whirlpool-sol-usdc")
    b = TxBuilder(name=name, fee_payer=wallet, tx_type="SWAP", source="JUPITER", fee=45_998)
    b.create_token_account(wallet, temp)
    b.send_sol(wallet, temp, sol_in)
    b.mint_to(WSOL_MINT, 9, sol_in, owner=wallet, account=temp)
    b.program(JUPITER_V6, WHIRLPOOL, TOKEN_PROGRAM, RAYDIUM_V4, TOKEN_PROGRAM)
    b.move_token(WSOL_MINT, 9, sol_in, source=(wallet, temp), target=(whirl, ata(whirl, WSOL_MINT)))
    b.move_token(
        USDC_MINT,
        6,
        usdc_mid,
        source=(whirl, ata(whirl, USDC_MINT)),
        target=(wallet, ata(wallet, USDC_MINT)),
    )
    b.move_token(
        USDC_MINT,
        6,
        usdc_mid,
        source=(wallet, ata(wallet, USDC_MINT)),
        target=(RAYDIUM_AUTHORITY, ata(RAYDIUM_AUTHORITY, USDC_MINT)),
    )
    b.move_token(
        mint,
        6,
        tokens,
        source=(RAYDIUM_AUTHORITY, ata(RAYDIUM_AUTHORITY, mint)),
        target=(wallet, ata(wallet, mint)),
    )
    b.send_sol(temp, wallet, RENT_TOKEN_ACCOUNT)
    b.events = swap_event(
        native_input=(wallet, sol_in),
        token_outputs=[raw_change(wallet, ata(wallet, mint), mint, tokens, 6)],
        inner_sources=("ORCA", "RAYDIUM"),
    )
    return b.build()


def raydium_buy(
    *,
    wallet: str,
    mint: str,
    sol_in: int,
    tip: int,
    tokens: int,
    standing_wsol: bool = False,
    tx_type: str = "SWAP",
    with_event: bool = True,
    name: str = "ray-buy",
) -> dict[str, Any]:
    """Raydium AMM v4 buy with a Jito tip; wSOL from a temporary or a standing account."""
    wsol = ata(wallet, WSOL_MINT) if standing_wsol else address(f"temp-wsol:{name}")
    source = "UNKNOWN" if tx_type == "UNKNOWN" else "RAYDIUM"
    b = TxBuilder(name=name, fee_payer=wallet, tx_type=tx_type, source=source, fee=305_000)
    if not standing_wsol:
        b.create_token_account(wallet, wsol)
        b.send_sol(wallet, wsol, sol_in)
        b.mint_to(WSOL_MINT, 9, sol_in, owner=wallet, account=wsol)
    b.program(RAYDIUM_V4, TOKEN_PROGRAM)
    b.move_token(
        WSOL_MINT,
        9,
        sol_in,
        source=(wallet, wsol),
        target=(RAYDIUM_AUTHORITY, ata(RAYDIUM_AUTHORITY, WSOL_MINT)),
    )
    b.move_token(
        mint,
        6,
        tokens,
        source=(RAYDIUM_AUTHORITY, ata(RAYDIUM_AUTHORITY, mint)),
        target=(wallet, ata(wallet, mint)),
    )
    if not standing_wsol:
        b.send_sol(wsol, wallet, RENT_TOKEN_ACCOUNT)
    b.send_sol(wallet, JITO_TIP, tip)
    if with_event:
        b.events = swap_event(
            native_input=(wallet, sol_in),
            token_outputs=[
                raw_change(RAYDIUM_AUTHORITY, ata(RAYDIUM_AUTHORITY, mint), mint, tokens, 6)
            ],
        )
    return b.build()


def raydium_sell(
    *, wallet: str, mint: str, tokens: int, sol_out: int, name: str = "ray-sell"
) -> dict[str, Any]:
    """Raydium AMM v4 sell into a temporary wSOL account closed back to the wallet."""
    temp = address(f"temp-wsol:{name}")
    b = TxBuilder(name=name, fee_payer=wallet, tx_type="SWAP", source="RAYDIUM", fee=5_000)
    b.create_token_account(wallet, temp)
    b.program(RAYDIUM_V4, TOKEN_PROGRAM)
    b.move_token(
        mint,
        6,
        tokens,
        source=(wallet, ata(wallet, mint)),
        target=(RAYDIUM_AUTHORITY, ata(RAYDIUM_AUTHORITY, mint)),
    )
    b.move_token(
        WSOL_MINT,
        9,
        sol_out,
        source=(RAYDIUM_AUTHORITY, ata(RAYDIUM_AUTHORITY, WSOL_MINT)),
        target=(wallet, temp),
    )
    b.send_sol(temp, wallet, RENT_TOKEN_ACCOUNT + sol_out)
    b.events = swap_event(
        native_output=(wallet, sol_out),
        token_inputs=[raw_change(wallet, ata(wallet, mint), mint, tokens, 6)],
    )
    return b.build()
