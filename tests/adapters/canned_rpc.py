"""A tiny Solana world behind the fake venue's JSON-RPC, in the exact wire format (§5.2).

Balances, signature histories, transactions, token accounts, a mint and a blockhash are
plain dicts the tests edit. `sendTransaction` verifies signatures with solders, like a
real node's preflight, and records what landed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from solders.hash import Hash
from solders.keypair import Keypair
from solders.signature import Signature
from solders.transaction import VersionedTransaction

from tests.adapters.fake_venue import FakeVenue, RpcFailureError

TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
TOKEN_2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
MINT = "9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCpump"
OWNER = "Cqx1u15KT8kb4cVcUoVizJ8XSUFvJa6vy1UCrkaf9moC"
TOKEN_ACCOUNT = "ADBAJH3QL3NrNz8cB2uid9o9V3teinNEsaSpcvZ43Znz"
BLOCKHASH = "676T5Ffpudig5hVGU39oKMriyLuoWH17pmCpQh4JEkdn"
SLOT = 352114873


def new_signature() -> str:
    """A fresh, correctly formatted base58 signature."""
    return str(Signature.new_unique())


def new_address() -> str:
    """A fresh base58 public key."""
    return str(Keypair().pubkey())


def context(value: Any) -> dict[str, Any]:
    """The `{"context", "value"}` wrapper of context methods."""
    return {"context": {"apiVersion": "2.2.7", "slot": SLOT}, "value": value}


def signature_entry(signature: str, slot: int, *, err: Any = None) -> dict[str, Any]:
    """One getSignaturesForAddress element."""
    return {
        "signature": signature,
        "slot": slot,
        "err": err,
        "memo": None,
        "blockTime": 1761312456 - (SLOT - slot),
        "confirmationStatus": "finalized",
    }


def token_account_json(address: str, mint: str, owner: str, amount: int, program: str) -> Any:
    """A jsonParsed SPL token account as getTokenAccountsByOwner returns it."""
    return {
        "pubkey": address,
        "account": {
            "data": {
                "program": "spl-token" if program == TOKEN_PROGRAM else "spl-token-2022",
                "parsed": {
                    "type": "account",
                    "info": {
                        "isNative": False,
                        "mint": mint,
                        "owner": owner,
                        "state": "initialized",
                        "tokenAmount": {
                            "amount": str(amount),
                            "decimals": 6,
                            "uiAmount": amount / 1e6,
                            "uiAmountString": str(amount / 1e6),
                        },
                    },
                },
                "space": 165,
            },
            "executable": False,
            "lamports": 2039280,
            "owner": program,
            "rentEpoch": 18446744073709551615,
            "space": 165,
        },
    }


MINT_ACCOUNT = {
    "data": {
        "program": "spl-token",
        "parsed": {
            "type": "mint",
            "info": {
                "decimals": 6,
                "freezeAuthority": None,
                "isInitialized": True,
                "mintAuthority": None,
                "supply": "999999843223100",
            },
        },
        "space": 82,
    },
    "executable": False,
    "lamports": 1461600,
    "owner": TOKEN_PROGRAM,
    "rentEpoch": 18446744073709551615,
    "space": 82,
}


def transaction_json(signature: str, slot: int) -> dict[str, Any]:
    """A getTransaction result (json encoding, v0 with one loaded address)."""
    return {
        "slot": slot,
        "blockTime": 1761312461,
        "version": 0,
        "meta": {
            "err": None,
            "status": {"Ok": None},
            "fee": 105000,
            "computeUnitsConsumed": 98511,
            "preBalances": [4821337560, 0, 1461600, 1, 7],
            "postBalances": [4569193280, 2039280, 1461600, 1, 7],
            "innerInstructions": [],
            "logMessages": ["Program JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4 success"],
            "preTokenBalances": [],
            "postTokenBalances": [
                {
                    "accountIndex": 1,
                    "mint": MINT,
                    "owner": OWNER,
                    "programId": TOKEN_PROGRAM,
                    "uiTokenAmount": {
                        "amount": "589731221468",
                        "decimals": 6,
                        "uiAmount": 589731.221468,
                        "uiAmountString": "589731.221468",
                    },
                }
            ],
            "rewards": [],
            "loadedAddresses": {
                "writable": [],
                "readonly": ["ComputeBudget111111111111111111111111111111"],
            },
        },
        "transaction": {
            "signatures": [signature],
            "message": {
                "header": {
                    "numRequiredSignatures": 1,
                    "numReadonlySignedAccounts": 0,
                    "numReadonlyUnsignedAccounts": 2,
                },
                "accountKeys": [
                    OWNER,
                    TOKEN_ACCOUNT,
                    MINT,
                    "JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4",
                ],
                "recentBlockhash": BLOCKHASH,
                "instructions": [],
                "addressTableLookups": [],
            },
        },
    }


@dataclass
class RpcWorld:
    """State served by the fake RPC; tests read and edit it directly."""

    balances: dict[str, int] = field(default_factory=dict)
    signatures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # newest first
    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_accounts: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    accounts: dict[str, Any] = field(default_factory=lambda: {MINT: MINT_ACCOUNT})
    landed: dict[str, int] = field(default_factory=dict)  # signature -> slot

    def install(self, fake: FakeVenue) -> None:
        """Register every RPC method on `fake`."""
        fake.rpc("getBalance", lambda p: context(self.balances.get(p[0], 0)))
        fake.rpc("getSignaturesForAddress", self._signatures)
        fake.rpc("getTransaction", self._transaction)
        fake.rpc("getTokenAccountsByOwner", self._token_accounts)
        fake.rpc("getAccountInfo", lambda p: context(self.accounts.get(p[0])))
        fake.rpc("getTokenLargestAccounts", self._largest)
        fake.rpc(
            "getLatestBlockhash",
            lambda p: context({"blockhash": BLOCKHASH, "lastValidBlockHeight": 330502217}),
        )
        fake.rpc("sendTransaction", self._send)
        fake.rpc("simulateTransaction", self._simulate)
        fake.rpc("getSignatureStatuses", self._statuses)

    def add_signatures(self, address: str, count: int) -> list[str]:
        """Prepend `count` new signatures (newest last in the returned list)."""
        history = self.signatures.setdefault(address, [])
        slot = history[0]["slot"] if history else SLOT - 10_000
        added = []
        for _ in range(count):
            slot += 1
            signature = new_signature()
            history.insert(0, signature_entry(signature, slot))
            added.append(signature)
        return added

    def _signatures(self, params: list[Any]) -> Any:
        config = params[1] if len(params) > 1 else {}
        history = self.signatures.get(params[0], [])
        names = [entry["signature"] for entry in history]
        start = names.index(config["before"]) + 1 if config.get("before") in names else 0
        stop = names.index(config["until"]) if config.get("until") in names else len(names)
        return history[start:stop][: config.get("limit", 1000)]

    def _transaction(self, params: list[Any]) -> Any:
        config = params[1] if len(params) > 1 else {}
        if "maxSupportedTransactionVersion" not in config:
            raise RpcFailureError(-32015, "Transaction version (0) is not supported")
        return self.transactions.get(params[0])

    def _token_accounts(self, params: list[Any]) -> Any:
        owner, account_filter = params[0], params[1]
        entries = self.token_accounts.get(owner, [])
        if "mint" in account_filter:
            chosen = [
                e
                for _, e in entries
                if e["account"]["data"]["parsed"]["info"]["mint"] == account_filter["mint"]
            ]
        else:
            chosen = [e for program, e in entries if program == account_filter["programId"]]
        return context(chosen)

    def _largest(self, params: list[Any]) -> Any:
        holders = [
            ("5u7GskJ2Vhf1oYRmYkDef9bXQMVpEf1mrzg2y6VWH6W7", 206900000000000),
            (TOKEN_ACCOUNT, 589731221468),
        ]
        return context(
            [
                {
                    "address": a,
                    "amount": str(n),
                    "decimals": 6,
                    "uiAmount": n / 1e6,
                    "uiAmountString": str(n / 1e6),
                }
                for a, n in holders
            ]
        )

    def _decode(self, params: list[Any]) -> VersionedTransaction:
        return VersionedTransaction.from_bytes(base64.b64decode(params[0]))

    def _send(self, params: list[Any]) -> Any:
        transaction = self._decode(params)
        if not all(transaction.verify_with_results()):
            raise RpcFailureError(-32003, "Transaction signature verification failure")
        signature = str(transaction.signatures[0])
        self.landed[signature] = SLOT + 3
        return signature

    def _simulate(self, params: list[Any]) -> Any:
        self._decode(params)
        logs = [
            "Program 11111111111111111111111111111111 invoke [1]",
            "Program 11111111111111111111111111111111 success",
        ]
        return context(
            {
                "err": None,
                "accounts": None,
                "innerInstructions": None,
                "loadedAccountsDataSize": 413758,
                "logs": logs,
                "replacementBlockhash": {
                    "blockhash": str(Hash.default()),
                    "lastValidBlockHeight": 1,
                },
                "returnData": None,
                "unitsConsumed": 98511,
            }
        )

    def _statuses(self, params: list[Any]) -> Any:
        values = []
        for signature in params[0]:
            slot = self.landed.get(signature)
            values.append(
                None
                if slot is None
                else {
                    "slot": slot,
                    "confirmations": 3,
                    "err": None,
                    "status": {"Ok": None},
                    "confirmationStatus": "confirmed",
                }
            )
        return context(values)
