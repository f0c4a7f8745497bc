"""The JSON bodies the webhook receiver answers with.

Why a module of its own, and why the usual summary skips the JSON encoder: with one
transaction per POST (how Helius usually delivers), aiohttp's `json_response` cost about
3 us of the receiver's ~50 us of work beyond reading and parsing the body (encoder set-up,
text encoding, content-type parsing; measured in-process). The summary of a clean
delivery has a fixed shape, so it is formatted directly; anything else (a rejected
element, an unavailable store, an error) goes through `json.dumps`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

_SUMMARY_KEYS = ("accepted", "duplicates", "swaps", "unavailable", "rejected")  # in order
_CLEAN_SUMMARY = (
    b'{"accepted": %d, "duplicates": %d, "swaps": %d, "unavailable": [], "rejected": []}'
)


def reply_body(body: Mapping[str, Any]) -> bytes:
    """`body` as JSON (UTF-8), byte for byte what `json.dumps(body)` gives."""
    if (
        tuple(body) == _SUMMARY_KEYS
        and not body["unavailable"]
        and not body["rejected"]
        and type(body["accepted"]) is int
        and type(body["duplicates"]) is int
        and type(body["swaps"]) is int
    ):
        return _CLEAN_SUMMARY % (body["accepted"], body["duplicates"], body["swaps"])
    return json.dumps(body).encode()


def json_reply(status: int, body: Mapping[str, Any]) -> web.Response:
    """A JSON response (RFC 8259: UTF-8, so no charset parameter)."""
    return web.Response(body=reply_body(body), status=status, content_type="application/json")


def late_body(elements: int, rejected: list[dict[str, object]]) -> dict[str, object]:
    """The 503 of a store slower than the budget: what it still records and hands on."""
    return {
        "error": "event store slow; recorded events are handed on when it answers",
        "pending": elements,
        "rejected": rejected,
    }
