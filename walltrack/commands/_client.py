"""Talking to a running WallTrack process over its local HTTP API."""

from __future__ import annotations

from typing import Any

import httpx

from walltrack.commands._process import read_control_token
from walltrack.config import Settings
from walltrack.errors import ConfigurationError


def call(settings: Settings, method: str, path: str) -> Any:
    """One authenticated request to the local API; returns the parsed JSON body."""
    token = read_control_token(settings)
    if token is None:
        raise ConfigurationError(
            "WALLTRACK_CONTROL_TOKEN", "not set, and no running instance wrote one"
        )
    url = f"http://{settings.webhook_host}:{settings.webhook_port}{path}"
    try:
        response = httpx.request(
            method, url, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
    except httpx.TransportError as error:
        msg = f"no WallTrack process answers at {url} ({type(error).__name__})"
        raise SystemExit(msg) from None
    if response.status_code >= 400:
        msg = f"{method} {path} failed: {response.status_code} {response.text.strip()}"
        raise SystemExit(msg)
    return response.json()
