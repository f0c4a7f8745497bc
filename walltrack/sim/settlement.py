"""Landing signed transactions on the simulated chain: what the fake RPC's
sendTransaction and simulateTransaction do.

Why strict: a copy-trader must handle the real failure modes (bad signature, expired
blockhash, slippage exceeded, insufficient funds), so the fake refuses exactly those, with
the JSON-RPC codes and the preflight payload of api-formats.md §5.2-§5.3.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from solders.transaction import VersionedTransaction

from walltrack.sim.constants import ATA_RENT, BASE_FEE, COMPUTE_BUDGET_PROGRAM, SYSTEM_PROGRAM
from walltrack.sim.quotes import quote_route
from walltrack.sim.swap_ix import SwapOrder, parse_swap_instruction
from walltrack.sim.world import World

SLIPPAGE_EXCEEDED = 6001
INSUFFICIENT_FUNDS = 6024


class RpcError(Exception):
    """A JSON-RPC error object to answer with."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


@dataclass(slots=True)
class Plan:
    """A decoded transaction and what it would do."""

    tx: VersionedTransaction
    signature: str
    payer: str
    fee: int
    swaps: list[tuple[int, SwapOrder]] = field(default_factory=list)
    transfers: list[tuple[str, str, int]] = field(default_factory=list)


def _priority_fee(limit: int, micro_lamports: int) -> int:
    return -(-limit * micro_lamports // 1_000_000)


class Settlement:
    """Decodes, checks and applies transactions against one world."""

    def __init__(self, world: World, blockhashes: dict[str, int], valid_slots: int) -> None:
        self.world = world
        self.blockhashes = blockhashes
        self.valid_slots = valid_slots

    def decode(self, raw: bytes) -> Plan:
        """Parse a serialized v0 transaction into a plan (no state is read)."""
        try:
            tx = VersionedTransaction.from_bytes(raw)
        except (ValueError, TypeError) as error:
            raise RpcError(-32602, f"invalid transaction: failed to deserialize: {error}") from None
        message = tx.message
        keys = [str(k) for k in message.account_keys]
        limit, price = 200_000, 0
        plan = Plan(tx=tx, signature=str(tx.signatures[0]), payer=keys[0], fee=0)
        for index, ix in enumerate(message.instructions):
            program = keys[ix.program_id_index]
            data = bytes(ix.data)
            if program == COMPUTE_BUDGET_PROGRAM and data[:1] == b"\x02" and len(data) >= 5:
                limit = struct.unpack_from("<I", data, 1)[0]
            elif program == COMPUTE_BUDGET_PROGRAM and data[:1] == b"\x03" and len(data) >= 9:
                price = struct.unpack_from("<Q", data, 1)[0]
            elif program == SYSTEM_PROGRAM and data[:4] == b"\x02\x00\x00\x00" and len(data) == 12:
                accounts = bytes(ix.accounts)
                lamports = struct.unpack_from("<Q", data, 4)[0]
                plan.transfers.append((keys[accounts[0]], keys[accounts[1]], lamports))
            else:
                order = parse_swap_instruction(message, ix)
                if order is None:
                    raise self._failure(
                        index,
                        "InvalidInstructionData",
                        [
                            f"Program {program} invoke [1]",
                            f"Program {program} failed: invalid instruction data",
                        ],
                    )
                plan.swaps.append((index, order))
        signers = message.header.num_required_signatures
        plan.fee = BASE_FEE * signers + _priority_fee(limit, price)
        return plan

    def check(self, plan: Plan, *, verify_signatures: bool, check_blockhash: bool) -> None:
        """Raise the RPC error a real node would give in preflight; silent when it lands."""
        tx = plan.tx
        if verify_signatures and not all(tx.verify_with_results()):
            raise RpcError(-32003, "Transaction signature verification failure")
        if plan.signature in self.world.market.by_signature:
            raise self._preflight("AlreadyProcessed", "This transaction has already been processed")
        if check_blockhash:
            issued = self.blockhashes.get(str(tx.message.recent_blockhash))
            if issued is None or self.world.slot - issued > self.valid_slots:
                raise self._preflight("BlockhashNotFound", "Blockhash not found")
        ledger = self.world.market.ledger
        if ledger.lamports(plan.payer) < plan.fee:
            raise self._preflight("InsufficientFundsForFee", "Insufficient funds for fee")
        for index, order in plan.swaps:
            self._check_swap(index, plan, order)

    def _check_swap(self, index: int, plan: Plan, order: SwapOrder) -> None:
        market = self.world.market
        token = market.tokens.get(order.mint)
        signers = {
            str(k)
            for k in plan.tx.message.account_keys[: plan.tx.message.header.num_required_signatures]
        }
        if token is None or order.user not in signers:
            raise self._failure(index, {"Custom": 6014}, ["Program log: unknown market or signer"])
        ledger = market.ledger
        if order.is_buy:
            rent = 0 if ledger.has_account(order.user, order.mint) else ATA_RENT
            if ledger.lamports(order.user) < order.amount_in + plan.fee + rent:
                raise self._failure(index, {"Custom": INSUFFICIENT_FUNDS}, ["Insufficient funds"])
        elif ledger.tokens(order.user, order.mint) < order.amount_in:
            raise self._failure(index, {"Custom": INSUFFICIENT_FUNDS}, ["Insufficient funds"])
        out = quote_route(token, is_buy=order.is_buy, amount=order.amount_in).out
        if out < order.min_out or out <= 0:
            raise self._failure(
                index,
                {"Custom": SLIPPAGE_EXCEEDED},
                [
                    "Program log: AnchorError occurred. Error Code: SlippageToleranceExceeded. "
                    "Error Number: 6001. Error Message: Slippage tolerance exceeded."
                ],
            )

    def apply(self, plan: Plan) -> None:
        """Land a checked plan: its swaps and transfers become chain events."""
        market = self.world.market
        now = self.world.now
        priority = plan.fee - BASE_FEE
        for number, (_, order) in enumerate(plan.swaps):
            signature = plan.signature if number == 0 else None
            if order.is_buy:
                market.buy(
                    now,
                    order.user,
                    order.mint,
                    order.amount_in,
                    priority_fee=priority,
                    venue="JUPITER",
                    min_tokens=order.min_out,
                    signature=signature,
                )
            else:
                market.sell(
                    now,
                    order.user,
                    order.mint,
                    order.amount_in,
                    priority_fee=priority,
                    venue="JUPITER",
                    min_lamports=order.min_out,
                    signature=signature,
                )
        for number, (source, destination, lamports) in enumerate(plan.transfers):
            signature = plan.signature if number == 0 and not plan.swaps else None
            market.transfer(now, source, destination, lamports, fee=plan.fee, signature=signature)

    def simulation_logs(self, plan: Plan) -> list[str]:
        """Program logs of a successful run."""
        keys = plan.tx.message.account_keys
        lines: list[str] = []
        for ix in plan.tx.message.instructions:
            program = str(keys[ix.program_id_index])
            lines += [f"Program {program} invoke [1]", f"Program {program} success"]
        return lines

    def _preflight(self, err: Any, text: str) -> RpcError:
        return RpcError(-32002, f"Transaction simulation failed: {text}", simulation_value(err, []))

    def _failure(self, index: int, err: Any, logs: list[str]) -> RpcError:
        error = {"InstructionError": [index, err]}
        detail = f"Error processing Instruction {index}: {err}"
        return RpcError(
            -32002, f"Transaction simulation failed: {detail}", simulation_value(error, logs)
        )


def simulation_value(err: Any, logs: list[str], units: int = 98_511) -> dict[str, Any]:
    """The `value` of simulateTransaction (also the `data` of a -32002 preflight error)."""
    return {
        "err": err,
        "accounts": None,
        "innerInstructions": None,
        "loadedAccountsDataSize": 413_758 if err is None else None,
        "logs": logs,
        "replacementBlockhash": None,
        "returnData": None,
        "unitsConsumed": units if err is None else 0,
    }
