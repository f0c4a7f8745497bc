"""Element-by-element validation of a Helius enhanced-webhook body.

Why here and not only in the classifier: the receiver must decide, per element, whether to
persist it and spend a dedupe slot on it, and must tell the sender *which* element was
wrong and why. The checks cover the envelope every enhanced transaction has (signature,
slot, block time, fee, fee payer, and the container types of the lists the classifier
walks); finer shape problems are the classifier's (it never raises and says MALFORMED).
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any, NamedTuple

_BASE58 = frozenset("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")
_MAX_TIMESTAMP = 10**11  # unix seconds; anything larger is milliseconds or garbage
_LIST_FIELDS = ("accountData", "instructions")
_LIST_OR_NULL_FIELDS = ("tokenTransfers", "nativeTransfers")
_STRING_FIELDS = ("type", "source", "description")


def _base58(value: object, shortest: int, longest: int) -> bool:
    return type(value) is str and shortest <= len(value) <= longest and _BASE58.issuperset(value)


def _non_negative_int(value: object, below: int | None = None) -> bool:
    return type(value) is int and value >= 0 and (below is None or value < below)


_is_object = dict.__instancecheck__  # a C call per item, no generator frame (hot path)


def _list_of_objects(value: object) -> bool:
    return type(value) is list and all(map(_is_object, value))


class Problem(NamedTuple):
    """What is wrong with one element: `field` is a low-cardinality code for metrics."""

    field: str
    reason: str


def element_problem(element: object) -> Problem | None:  # noqa: PLR0911, PLR0912 - one reason per check
    """Why `element` is not an enhanced transaction we can take, or None when it is."""
    if type(element) is not dict:
        return Problem("element", f"not a JSON object but {_json_type(element)}")
    tx: dict[str, Any] = element
    if not _base58(tx.get("signature"), 64, 88):
        return Problem("signature", "signature is missing or not a base58 transaction signature")
    if not _base58(tx.get("feePayer"), 32, 44):
        return Problem("feePayer", "feePayer is missing or not a base58 address")
    if not _non_negative_int(tx.get("slot")):
        return Problem("slot", "slot is missing or not a non-negative integer")
    if not _non_negative_int(tx.get("timestamp"), _MAX_TIMESTAMP):
        return Problem("timestamp", "timestamp is missing or not unix seconds")
    if not _non_negative_int(tx.get("fee")):
        return Problem("fee", "fee is missing or not a non-negative integer (lamports)")
    for name in _STRING_FIELDS:
        if name in tx and type(tx[name]) is not str:
            return Problem(name, f"{name} is not a string")
    for name in _LIST_FIELDS:
        if name in tx and not _list_of_objects(tx[name]):
            return Problem(name, f"{name} is not a list of objects")
    for name in _LIST_OR_NULL_FIELDS:
        value = tx.get(name)
        if value is not None and not _list_of_objects(value):
            return Problem(name, f"{name} is neither null nor a list of objects")
    events = tx.get("events")
    if events is not None and type(events) not in (dict, list):
        return Problem("events", "events is neither an object nor a list")
    return None


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if type(value) is bool:
        return "a boolean"
    if type(value) in (int, float):
        return "a number"
    if type(value) is str:
        return "a string"
    if type(value) is list:
        return "an array"
    return type(value).__name__


def involved_addresses(tx: dict[str, Any], among: Container[str]) -> set[str]:
    """The addresses of `among` whose balances this transaction may have changed.

    Tolerant of odd shapes: it only collects strings, the classifier judges the rest.
    Filtered while collecting: a swap touches dozens of program and pool accounts, and
    gathering them all only to drop them cost most of the classification's time.
    """
    payer = tx["feePayer"]
    found = {payer} if payer in among else set()
    for entry in tx.get("accountData") or ():
        if type(entry) is not dict:
            continue
        account = entry.get("account")
        if type(account) is str and account in among:
            found.add(account)
        changes = entry.get("tokenBalanceChanges")
        for change in changes if type(changes) is list else ():
            if type(change) is dict:
                owner = change.get("userAccount")
                if type(owner) is str and owner in among:
                    found.add(owner)
    for name in _LIST_OR_NULL_FIELDS:
        for transfer in tx.get(name) or ():
            if type(transfer) is not dict:
                continue
            for side in ("fromUserAccount", "toUserAccount"):
                address = transfer.get(side)
                if type(address) is str and address in among:
                    found.add(address)
    return found
