"""Live execution: Jupiter quote -> swap -> solders signature -> sendTransaction -> confirm.

Why the signature goes out first: a signed transaction's signature is known before it is
sent, so `on_signed` records it against the order's idempotency key; after a restart the
order is settled by asking the chain about that signature (`recover`), never by signing and
sending a second, different transaction. Timeouts: quote 5 s, swap 30 s (the client's),
confirmation 60 s here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

from solders.keypair import Keypair

from walltrack.adapters.execution.async_runner import AsyncRunner
from walltrack.adapters.jupiter import JupiterClient
from walltrack.adapters.jupiter_execution import send_signed_transaction, sign_swap_transaction
from walltrack.adapters.solana_rpc import SolanaRpcClient
from walltrack.errors import RejectedByVenueError, UpstreamTimeoutError
from walltrack.execution_ports import WSOL_MINT, OnSigned, SwapFill, SwapRequest
from walltrack.logging import get_logger

_log = get_logger("live_execution")
BASE_FEE_LAMPORTS = 5_000
CONFIRMED = ("confirmed", "finalized")


class LiveExecution:
    """`Execution` on chain with the trading wallet's keypair."""

    mode = "live"
    latency_s = 0.0

    def __init__(
        self,
        jupiter: JupiterClient,
        rpc: SolanaRpcClient,
        keypair: Keypair,
        runner: AsyncRunner,
        *,
        confirmation_timeout_s: float = 60.0,
        poll_interval_s: float = 0.5,
        call_timeout_s: float = 40.0,
    ) -> None:
        self._jupiter = jupiter
        self._rpc = rpc
        self._keypair = keypair
        self._owner = str(keypair.pubkey())
        self._runner = runner
        self._confirm_s = confirmation_timeout_s
        self._poll_s = poll_interval_s
        self._call_s = call_timeout_s

    @property
    def owner(self) -> str:
        """The trading wallet's address."""
        return self._owner

    def execute(self, request: SwapRequest, on_signed: OnSigned) -> SwapFill:
        return self._runner.run(
            lambda: self._execute(request, on_signed), self._call_s + self._confirm_s
        )

    async def _execute(self, request: SwapRequest, on_signed: OnSigned) -> SwapFill:
        quote = await self._jupiter.quote(
            input_mint=request.input_mint,
            output_mint=request.output_mint,
            amount=request.amount_in,
            slippage_bps=request.slippage_bps,
        )
        swap = await self._jupiter.swap(
            quote,
            user_public_key=self._owner,
            prioritization_fee_lamports=request.priority_fee_lamports,
        )
        signed = sign_swap_transaction(swap, self._keypair)
        token = request.input_mint if request.output_mint == WSOL_MINT else request.output_mint
        decimals = await self._decimals(token)
        before = await self._output_balance(request.output_mint)
        on_signed(signed.signature)  # durable before it can land
        await send_signed_transaction(self._rpc, signed)
        await self._confirm(signed.signature)
        fee = BASE_FEE_LAMPORTS + request.priority_fee_lamports
        after = await self._output_balance(request.output_mint)
        received = after - before + (fee if request.output_mint == WSOL_MINT else 0)
        return SwapFill(
            tx_signature=signed.signature,
            in_amount=quote.in_amount,
            out_amount=received if received > 0 else quote.out_amount,
            fee_lamports=fee,
            token_decimals=decimals,
        )

    async def _decimals(self, mint: str) -> int:
        info = await self._rpc.get_account_info(mint)
        return info.mint.decimals if info is not None and info.mint is not None else 6

    async def _output_balance(self, mint: str) -> int:
        if mint == WSOL_MINT:
            return await self._rpc.get_balance(self._owner)
        accounts = await self._rpc.get_token_accounts_by_owner(self._owner, mint=mint)
        return sum(account.amount for account in accounts)

    async def _confirm(self, signature: str) -> None:
        deadline = time.monotonic() + self._confirm_s
        while True:
            (status,) = await self._rpc.get_signature_statuses([signature])
            if status is not None and status.err is not None:
                raise RejectedByVenueError("solana_rpc", "TransactionFailed", str(status.err))
            if status is not None and status.confirmation_status in CONFIRMED:
                return
            if time.monotonic() >= deadline:
                raise UpstreamTimeoutError("solana_rpc", f"not confirmed in {self._confirm_s} s")
            await asyncio.sleep(self._poll_s)

    def recover(self, request: SwapRequest, tx_signature: str | None) -> SwapFill | None:
        if tx_signature is None:
            return None

        async def status() -> SwapFill | None:
            # Sent but unseen may still land while its blockhash lives: wait it out, so a
            # retry never doubles a transaction that was only late.
            try:
                await self._confirm(tx_signature)
            except (RejectedByVenueError, UpstreamTimeoutError):
                return None
            held = 0
            if request.output_mint != WSOL_MINT:
                held = await self._output_balance(request.output_mint)
            else:
                _log.warning("recovered_sell_proceeds_unknown", signature=tx_signature)
            # One position per token: the wallet's whole holding of it came from this buy.
            return SwapFill(
                tx_signature=tx_signature,
                in_amount=request.amount_in,
                out_amount=held,
                fee_lamports=BASE_FEE_LAMPORTS + request.priority_fee_lamports,
            )

        return self._runner.run(status, self._call_s + self._confirm_s)

    def balance_lamports(self) -> int:
        return self._runner.run(lambda: self._rpc.get_balance(self._owner), self._call_s)

    def token_balances(self) -> Mapping[str, int]:
        async def balances() -> dict[str, int]:
            found: dict[str, int] = {}
            for account in await self._rpc.get_token_accounts_by_owner(self._owner):
                if account.amount:
                    found[account.mint] = found.get(account.mint, 0) + account.amount
            return found

        return self._runner.run(balances, self._call_s)
