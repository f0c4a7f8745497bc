"""What the webhook receiver counts and times, for /metrics.

Why these: an operator must see at a glance whether Helius reaches us (received), whether
we refuse it (unauthorised, rejected by reason, store unavailable), whether it repeats
itself (duplicates, and which layer caught them), whether tracked wallets' swaps come out
of it (swaps by side, other classifications), and where the time goes (one latency
histogram per stage of the path, and the whole request against Helius' 1 s budget).
"""

from __future__ import annotations

from walltrack.adapters.webhook.prometheus import Counter, Histogram, TextWriter

STAGES = ("auth", "read", "parse", "validation", "dedupe", "classify", "handoff", "total")
"""Stages of one POST, in order; `total` is the whole handler."""


class WebhookMetrics:
    """Counters and histograms of the receiver; written by the event-loop thread only."""

    def __init__(self) -> None:
        self.requests = Counter(
            "walltrack_webhook_requests_total",
            "Webhook POSTs answered, by HTTP status.",
            ["status"],
        )
        self.unauthorised = Counter(
            "walltrack_webhook_unauthorised_total",
            "POSTs refused for a wrong or missing Authorization header or HMAC signature.",
            ["check"],
        )
        self.bad_requests = Counter(
            "walltrack_webhook_bad_requests_total",
            "Whole bodies refused (too large, not JSON, not an array, nothing valid).",
            ["reason"],
        )
        self.received = Counter(
            "walltrack_webhook_events_received_total", "Array elements received."
        )
        self.accepted = Counter(
            "walltrack_webhook_events_accepted_total", "New events recorded in the store."
        )
        self.duplicates = Counter(
            "walltrack_webhook_events_duplicate_total",
            "Events whose signature was already seen, by the layer that knew it.",
            ["layer"],
        )
        self.rejected = Counter(
            "walltrack_webhook_events_rejected_total",
            "Malformed elements, by the first field found wrong.",
            ["reason"],
        )
        self.unavailable = Counter(
            "walltrack_webhook_events_store_unavailable_total",
            "Events refused with 503 because the store could not record them.",
        )
        self.swaps = Counter(
            "walltrack_webhook_swaps_observed_total",
            "Swaps of tracked wallets handed to the ingress, by side.",
            ["side"],
        )
        self.not_swaps = Counter(
            "walltrack_webhook_tracked_not_swaps_total",
            "Transactions of tracked wallets that are not swaps, by reason.",
            ["reason"],
        )
        self.handoff_failures = Counter(
            "walltrack_webhook_handoff_failures_total",
            "Swaps the sink refused (recorded, so replayable from the store).",
        )
        self.stage_seconds = Histogram(
            "walltrack_webhook_stage_seconds",
            "Time spent per request in each stage of the webhook path.",
            ["stage"],
        )
        for layer in ("memory", "store"):
            self.duplicates.preset(layer)
        for check in ("authorization", "signature"):
            self.unauthorised.preset(check)
        for side in ("buy", "sell"):
            self.swaps.preset(side)

    def write(self, out: TextWriter) -> None:
        """Render every family of the receiver."""
        for family in (
            self.requests,
            self.unauthorised,
            self.bad_requests,
            self.received,
            self.accepted,
            self.duplicates,
            self.rejected,
            self.unavailable,
            self.swaps,
            self.not_swaps,
            self.handoff_failures,
            self.stage_seconds,
        ):
            family.write(out)
