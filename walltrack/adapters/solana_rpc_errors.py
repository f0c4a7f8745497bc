"""JSON-RPC error objects (api-formats.md §5.3) mapped to WallTrack's error taxonomy.

Why: the same HTTP-200 error envelope means "slow down" (-32005, -32429), "this exact
transaction can never land" (-32002 preflight failure, -32003 bad signature) or "the node
is having a moment" (-32004, -32007, -32014 ...). Each of those needs a different reaction
from the caller: retry with backoff, change the request, or rotate to another provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from walltrack.adapters.json_fields import compact_json, opt_int
from walltrack.errors import RateLimitedError, RejectedByVenueError, UpstreamError, WallTrackError

RATE_LIMIT_CODES = frozenset({-32005, -32429})
"""-32005 NodeUnhealthy and Helius' -32429 are both treated as 'retry later'."""
PREFLIGHT_FAILURE = -32002
SIGNATURE_VERIFICATION_FAILURE = -32003
REJECTED_CODES = frozenset({-32600, -32601, -32602, -32006, -32013, -32015})
"""Requests the node understood and will refuse again: invalid, unsupported, malformed."""

JUPITER_PROGRAM_ERRORS: Mapping[int, str] = {
    6001: "SlippageToleranceExceeded",
    6008: "NotEnoughAccountKeys",
    6014: "IncorrectTokenProgramID",
    6017: "ExactOutAmountNotMatched",
    6024: "InsufficientFunds",
    6025: "InvalidTokenAccount",
}
"""Jupiter v6 on-chain error numbers seen in simulate/send logs (api-formats.md §2.6)."""


def rpc_error(venue: str, method: str, error: Any) -> WallTrackError:
    """The taxonomy error for one JSON-RPC `error` object."""
    fields: Mapping[str, Any] = error if isinstance(error, Mapping) else {}
    code = opt_int(fields.get("code"))
    message = str(fields.get("message", ""))[:200]
    if "max usage" in message.lower():
        # Credits exhausted: retrying this provider will not help; rotation might.
        return UpstreamError(venue, f"{method}: provider credits exhausted ({message})")
    if code in RATE_LIMIT_CODES:
        return RateLimitedError(venue, f"{method}: RPC {code} {message}")
    if code == PREFLIGHT_FAILURE:
        return RejectedByVenueError(venue, preflight_error_code(fields.get("data")), message)
    if code == SIGNATURE_VERIFICATION_FAILURE:
        return RejectedByVenueError(venue, "SignatureVerificationFailure", message)
    if code in REJECTED_CODES:
        return RejectedByVenueError(venue, f"RPC{code}", f"{method}: {message}")
    return UpstreamError(venue, f"{method}: RPC {code} {message}")


def preflight_error_code(data: Any) -> str:
    """A short code for a failed simulation: `BlockhashNotFound`, `SlippageToleranceExceeded`."""
    err = data.get("err") if isinstance(data, Mapping) else None
    return transaction_error_code(err)


def transaction_error_code(err: Any) -> str:
    """A short code for a TransactionError JSON value."""
    if err is None:
        return "PreflightFailure"
    if isinstance(err, str):
        return err
    if isinstance(err, Mapping) and err:
        kind, detail = next(iter(err.items()))
        if kind == "InstructionError" and isinstance(detail, list) and len(detail) == 2:
            inner = detail[1]
            if isinstance(inner, Mapping) and "Custom" in inner:
                number = opt_int(inner["Custom"])
                if number is not None:
                    return JUPITER_PROGRAM_ERRORS.get(number, f"Custom:{number}")
            if isinstance(inner, str):
                return inner
        return str(kind)
    return compact_json(err) or "PreflightFailure"
