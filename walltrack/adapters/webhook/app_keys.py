"""Typed keys of what the HTTP application holds, shared by its route modules."""

from __future__ import annotations

from aiohttp import web

from walltrack.adapters.webhook.webhook_metrics import WebhookMetrics
from walltrack.ports import Clock, MetricsSource, TreeControl

TREE = web.AppKey("tree", TreeControl)
CLOCK = web.AppKey("clock", Clock)
CONTROL_TOKEN = web.AppKey("control_token", str)
WEBHOOK_METRICS = web.AppKey("webhook_metrics", WebhookMetrics)
VENUE_METRICS = web.AppKey("venue_metrics", MetricsSource)
